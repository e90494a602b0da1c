from django.contrib.auth.models import AbstractUser
from django.db import models

from chuangcheng.core.scoping import Scope, ScopedManager, ScopedModelMixin


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", "创建办管理员"
    OFFICE_STAFF = "office_staff", "创建办工作人员"
    LEADER = "leader", "领导"
    UNIT_HEAD = "unit_head", "单位负责人"
    UNIT_HANDLER = "unit_handler", "单位承办人"
    INSPECTOR = "inspector", "督查员"
    GRID_WORKER = "grid_worker", "网格员"


OFFICE_ROLES = frozenset({Role.OFFICE_ADMIN, Role.OFFICE_STAFF})


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)
    is_service_account = models.BooleanField(
        "集成账号", default=False, help_text="供其他系统调用接口的账号：不能登录页面，只凭 API 令牌访问"
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def compute_scope(self) -> Scope:
        """Scope from memberships by level (``accounts/jurisdiction.py``): an office sees its jurisdiction's
        subtree (the root's office and superusers see all), others their units' subtrees."""
        from chuangcheng.accounts.jurisdiction import scope_for

        memberships = list(self.memberships.select_related("unit__parent").filter(unit__is_active=True))
        return scope_for(self, memberships)


class Membership(ScopedModelMixin, models.Model):
    """A user's role in a unit; the unit's subtree is the user's data scope."""

    user = models.ForeignKey(User, verbose_name="用户", related_name="memberships", on_delete=models.CASCADE)
    unit = models.ForeignKey("org.Unit", verbose_name="单位", related_name="memberships", on_delete=models.CASCADE)
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "角色分配"
        verbose_name_plural = "角色分配"
        constraints = [
            models.UniqueConstraint(
                fields=("user", "unit", "role"),
                name="membership_unique",
                violation_error_message="该用户在此单位已有此角色",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


class TokenScope(models.TextChoices):
    """What an API token may do; an endpoint names the scope it needs (``accounts.authentication``)."""

    CASES_READ = "cases:read", "读取问题"
    CASES_WRITE = "cases:write", "写入问题"
    EXCHANGE = "exchange", "案件交换"
    HOTLINE_PUSH = "hotline:push", "12345 工单推送"


class ApiToken(models.Model):
    """A scoped API token of a service account. Only a SHA-256 of the token is stored; its prefix
    (``cct_`` plus 8 characters) stays visible so people can tell tokens apart."""

    user = models.ForeignKey(User, verbose_name="集成账号", related_name="api_tokens", on_delete=models.CASCADE)
    name = models.CharField("名称", max_length=100)
    prefix = models.CharField("前缀", max_length=20, unique=True)
    key_hash = models.CharField("令牌摘要", max_length=64, unique=True)
    scopes = models.JSONField("权限范围", default=list)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(
        User, verbose_name="创建人", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    expires_at = models.DateTimeField("失效时间", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", verbose_name="轮换后的令牌", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True)
    last_used_ip = models.GenericIPAddressField("最近使用地址", null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        ordering = ("-id",)

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def scope_labels(self) -> list[str]:
        labels = dict(TokenScope.choices)
        return [f"{labels.get(scope, scope)}（{scope}）" for scope in self.scopes]

    def is_usable(self, now) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def status_label(self, now) -> str:
        if self.revoked_at is not None:
            return "已吊销"
        if self.expires_at is not None and self.expires_at <= now:
            return "已失效"
        if self.expires_at is not None:
            return "轮换宽限中"
        return "有效"
