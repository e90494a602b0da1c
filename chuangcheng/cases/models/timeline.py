from django.conf import settings
from django.db import models

from chuangcheng.core.hashchain import instant
from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin


class CaseTransition(ScopedModelMixin, models.Model):
    """One step of a case's append-only timeline, hash-chained per case.

    ``hash = sha256(prev_hash + payload)``; the first row of a case starts from
    GENESIS and ``Case.timeline_head`` holds the last hash, so removing the
    newest row is detected too.
    """

    case = models.ForeignKey("cases.Case", verbose_name="问题", related_name="transitions", on_delete=models.PROTECT)
    from_status = models.CharField("原状态", max_length=20, blank=True)
    to_status = models.CharField("新状态", max_length=20)
    action = models.CharField("动作", max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField("操作人名称", max_length=150, blank=True)
    actor_unit = models.ForeignKey(
        "org.Unit", verbose_name="操作人单位", null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField("时间")
    note = models.TextField("说明", blank=True)
    data = models.JSONField("附加信息", default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = ScopedManager()

    class Meta:
        verbose_name = "处置记录"
        verbose_name_plural = "处置记录"
        ordering = ("case", "id")
        indexes = [models.Index(fields=("case", "id"))]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def scope_q(cls, scope, user):
        from chuangcheng.cases.models.cases import Case

        return models.Q(case__in=Case.objects.visible_to(user).values("pk"))

    def chain_payload(self) -> dict:
        return {
            "case_id": self.case_id,
            "from": self.from_status,
            "to": self.to_status,
            "action": self.action,
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "at": instant(self.at),
            "note": self.note,
            "data": self.data,
        }


class PhotoKind(models.TextChoices):
    BEFORE = "before", "问题照片"
    EVIDENCE = "evidence", "整改照片"
    VERIFY = "verify", "核查照片"


class CasePhoto(ScopedModelMixin, models.Model):
    """A photo with its EXIF facts. ``image`` is the original (office only); ``public_image``
    and ``thumbnail`` are re-encoded copies without EXIF for everyone else."""

    case = models.ForeignKey("cases.Case", verbose_name="问题", related_name="photos", on_delete=models.CASCADE)
    kind = models.CharField("类型", max_length=10, choices=PhotoKind.choices)
    attempt = models.PositiveSmallIntegerField("整改批次", default=1)
    image = models.ImageField("原图", upload_to="cases/original/%Y/%m/")
    public_image = models.ImageField("图片（已去除EXIF）", upload_to="cases/public/%Y/%m/", blank=True)
    thumbnail = models.ImageField("缩略图", upload_to="cases/thumb/%Y/%m/", blank=True)
    taken_at = models.DateTimeField("拍摄时间", null=True, blank=True)
    lng = models.FloatField("拍摄经度", null=True, blank=True)
    lat = models.FloatField("拍摄纬度", null=True, blank=True)
    phash = models.CharField("感知哈希", max_length=32, blank=True, db_index=True)
    sha256 = models.CharField(max_length=64, blank=True)
    flags = models.JSONField("核查提示", default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "问题照片"
        verbose_name_plural = "问题照片"
        ordering = ("case", "kind", "attempt", "id")

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()} #{self.pk}"

    @classmethod
    def scope_q(cls, scope, user):
        from chuangcheng.cases.models.cases import Case

        return models.Q(case__in=Case.objects.visible_to(user).values("pk"))
