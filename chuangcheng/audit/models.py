from django.conf import settings
from django.db import models

from chuangcheng.core.hashchain import instant
from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin


class AuditEvent(ScopedModelMixin, models.Model):
    """One write, recorded by the service that made it, in the same transaction.

    Rows are append-only and hash-chained: ``hash = sha256(prev_hash + payload)``.
    A row is written *pending* (no ``seq``/``prev_hash``/``hash``) so that no
    business transaction holds the chain lock; right after its transaction
    commits, ``audit.services.seal_pending`` gives it the next chain position
    (``seq``) and its hashes in a short transaction of its own.
    """

    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField("操作人名称", max_length=150, blank=True)
    verb = models.CharField("动作", max_length=80, db_index=True)
    target_type = models.CharField("对象类型", max_length=80)
    target_id = models.CharField("对象ID", max_length=64, blank=True)
    target_repr = models.CharField("对象", max_length=255, blank=True)
    unit = models.ForeignKey("org.Unit", verbose_name="所属单位", null=True, blank=True, on_delete=models.SET_NULL)
    changes = models.JSONField("变更", default=dict, blank=True)
    seq = models.BigIntegerField("链序号", null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    # HMAC of the payload with the application's key, written by ``record``: sealing refuses a row without it.
    mac = models.CharField(max_length=64, blank=True, editable=False)
    refused = models.BooleanField("拒绝入链", default=False, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计日志"
        ordering = ("-id",)
        indexes = [
            models.Index(fields=("target_type", "target_id")),
            models.Index(fields=("id",), condition=models.Q(seq__isnull=True), name="audit_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.verb} {self.target_repr}"

    @property
    def is_sealed(self) -> bool:
        return self.seq is not None

    # The columns the hash covers, in ``payload`` order (sealing reads just these).
    PAYLOAD_FIELDS = (
        "at", "actor_id", "actor_label", "verb", "target_type", "target_id", "target_repr", "unit_id", "changes",
    )  # fmt: skip

    @staticmethod
    def payload(at, actor_id, actor_label, verb, target_type, target_id, target_repr, unit_id, changes) -> dict:
        return {
            "at": instant(at),
            "actor_id": actor_id,
            "actor_label": actor_label,
            "verb": verb,
            "target_type": target_type,
            "target_id": target_id,
            "target_repr": target_repr,
            "unit_id": unit_id,
            "changes": changes,
        }

    def chain_payload(self) -> dict:
        return self.payload(*(getattr(self, name) for name in self.PAYLOAD_FIELDS))


class AuditCheckpoint(models.Model):
    """The chain's head as last sealed (one row), signed with the application's key.

    Kept outside the chain so that deleting its last rows, or appending rows by SQL, no longer verifies:
    the table's last row must be this sequence number with this hash.
    """

    seq = models.BigIntegerField("链序号")
    hash = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)
    at = models.DateTimeField("封存时间")

    class Meta:
        verbose_name = "审计链检查点"
        verbose_name_plural = "审计链检查点"


class AuditVerification(models.Model):
    """One run of the chain verification and what it found (shown to the office on /audit/)."""

    at = models.DateTimeField("校验时间", db_index=True)
    actor_label = models.CharField("发起", max_length=150, blank=True)
    ok = models.BooleanField("通过")
    checked = models.PositiveIntegerField("已校验条数", default=0)
    pending = models.PositiveIntegerField("待封存条数", default=0)
    problems = models.JSONField("发现的问题", default=list, blank=True)

    class Meta:
        verbose_name = "审计校验记录"
        verbose_name_plural = "审计校验记录"
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'通过' if self.ok else '失败'}"
