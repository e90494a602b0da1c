from django.contrib.auth.models import AbstractUser
from django.db import models

from chuangcheng.core.scoping import Scope, ScopedManager, ScopedModelMixin
from chuangcheng.org.selectors import subtree_ids


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

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def compute_scope(self) -> Scope:
        """Scope from memberships: office roles (or a superuser) see all, others their units' subtrees."""
        memberships = list(self.memberships.select_related("unit").filter(unit__is_active=True))
        roles = frozenset(m.role for m in memberships)
        member_units = frozenset(m.unit_id for m in memberships)
        if self.is_superuser or roles & OFFICE_ROLES:
            return Scope(
                sees_all=True,
                roles=roles | ({Role.OFFICE_ADMIN} if self.is_superuser else set()),
                member_unit_ids=member_units,
            )
        unit_ids = frozenset(subtree_ids(m.unit for m in memberships))
        return Scope(sees_all=False, unit_ids=unit_ids, roles=roles, member_unit_ids=member_units)


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
