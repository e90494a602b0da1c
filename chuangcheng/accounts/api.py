from django.shortcuts import get_object_or_404
from rest_framework import permissions, routers, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from chuangcheng.accounts import services
from chuangcheng.accounts.filters import UserFilterSet
from chuangcheng.accounts.models import Membership, Role, User
from chuangcheng.accounts.permissions import can_manage_users
from chuangcheng.accounts.service_api import ApiTokenViewSet, ServiceAccountViewSet
from chuangcheng.core.errors import DomainError
from chuangcheng.core.scoping import scope_of
from chuangcheng.org.models import Unit


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()


class MeViewSet(viewsets.ViewSet):
    """当前用户及其角色、数据范围。"""

    serializer_class = MeSerializer

    def list(self, request):
        scope = scope_of(request.user)
        memberships = request.user.memberships.select_related("unit")
        return Response(
            {
                "id": request.user.pk,
                "username": request.user.username,
                "display_name": request.user.display_name,
                "roles": [
                    {"role": m.role, "role_display": Role(m.role).label, "unit": m.unit_id, "unit_name": m.unit.name}
                    for m in memberships
                ],
                "sees_all": scope.sees_all,
            }
        )

    @action(detail=False, methods=["get"])
    def scope(self, request):
        scope = scope_of(request.user)
        return Response({"sees_all": scope.sees_all, "unit_ids": sorted(scope.unit_ids)})


class MembershipSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ("id", "unit", "unit_name", "role", "role_display")


class UserSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = (
            "id",
            "username",
            "full_name",
            "phone",
            "email",
            "is_active",
            "must_change_password",
            "last_login",
            "memberships",
        )
        read_only_fields = fields


class UserInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    full_name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    unit = serializers.IntegerField()
    role = serializers.ChoiceField(choices=Role.choices)


class IsOfficeAdmin(permissions.BasePermission):
    message = "只有创建办管理员可以管理账号"

    def has_permission(self, request, view):
        return can_manage_users(request.user)


class UserViewSet(viewsets.GenericViewSet):
    """账号管理（仅创建办管理员）：新建账号返回一次性临时密码，首次登录须修改；每次写入都记审计。"""

    serializer_class = UserSerializer
    permission_classes = [permissions.IsAuthenticated, IsOfficeAdmin]
    filterset_class = UserFilterSet
    queryset = User.objects.prefetch_related("memberships__unit").order_by("username")

    def _unit(self, value) -> Unit:
        unit = (
            Unit.objects.visible_to(self.request.user)
            .filter(is_active=True, pk=int(value or 0) if str(value or "").isdigit() else 0)
            .first()
        )
        if unit is None:
            raise DomainError("单位不存在或已停用", field="unit")
        return unit

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(UserSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(UserSerializer(self.get_object()).data)

    def create(self, request):
        form = UserInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        data["unit"] = self._unit(data["unit"])
        user, password = services.create_account(actor=request.user, **data)
        return Response(UserSerializer(user).data | {"temporary_password": password}, status=201)

    def partial_update(self, request, pk=None):
        fields = {k: str(v) for k, v in request.data.items() if k in services.PROFILE_FIELDS}
        user = services.update_user(actor=request.user, user=self.get_object(), **fields)
        return Response(UserSerializer(user).data)

    @action(detail=True, methods=["post"], url_path="grant-role")
    def grant_role(self, request, pk=None):
        unit = self._unit(request.data.get("unit"))
        services.grant_role(actor=request.user, user=self.get_object(), unit=unit, role=str(request.data.get("role")))
        return Response(UserSerializer(self.get_object()).data)

    @action(detail=True, methods=["post"], url_path="revoke-role")
    def revoke_role(self, request, pk=None):
        user = self.get_object()
        membership = get_object_or_404(Membership, pk=request.data.get("membership") or 0, user=user)
        services.revoke_role(actor=request.user, membership=membership)
        return Response(UserSerializer(self.get_object()).data)

    @action(detail=True, methods=["post"], url_path="set-active")
    def set_active(self, request, pk=None):
        value = request.data.get("is_active")
        if value not in (True, False, "true", "false", "1", "0"):
            raise DomainError("is_active 须为 true 或 false", field="is_active")
        active = value in (True, "true", "1")
        user = services.set_active(actor=request.user, user=self.get_object(), is_active=active)
        return Response(UserSerializer(user).data)

    @action(detail=True, methods=["post"], url_path="reset-password")
    def reset_password(self, request, pk=None):
        password = services.reset_password(actor=request.user, user=self.get_object())
        return Response({"temporary_password": password})


router = routers.DefaultRouter()
router.register("me", MeViewSet, basename="me")
router.register("users", UserViewSet, basename="user")
router.register("service-accounts", ServiceAccountViewSet, basename="service-account")
router.register("api-tokens", ApiTokenViewSet, basename="api-token")
