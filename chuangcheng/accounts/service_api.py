"""API of integration accounts and their tokens (office administrator only; every write audited).

``/api/v1/service-accounts/`` (list, create, detail, ``tokens/`` to issue) and ``/api/v1/api-tokens/``
(list, detail, ``rotate/``, ``revoke/``). The raw token appears once, in the answer that created it.
"""

from __future__ import annotations

from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from chuangcheng.accounts import service_accounts
from chuangcheng.accounts.models import ApiToken, Role, TokenScope, User
from chuangcheng.accounts.permissions import can_manage_users
from chuangcheng.core.errors import DomainError
from chuangcheng.org.models import Unit


class IsOfficeAdmin(permissions.BasePermission):
    message = "只有创建办管理员可以管理集成账号"

    def has_permission(self, request, view):
        return can_manage_users(request.user)


class ApiTokenSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    replaced_by_prefix = serializers.CharField(source="replaced_by.prefix", default=None, read_only=True)

    class Meta:
        model = ApiToken
        fields = (
            "id",
            "user",
            "name",
            "prefix",
            "scopes",
            "status",
            "created_at",
            "expires_at",
            "revoked_at",
            "replaced_by_prefix",
            "last_used_at",
            "last_used_ip",
        )
        read_only_fields = fields

    def get_status(self, token) -> str:
        return token.status_label(self.context["now"])


class ServiceAccountSerializer(serializers.ModelSerializer):
    memberships = serializers.SerializerMethodField()
    tokens = ApiTokenSerializer(source="api_tokens", many=True, read_only=True)

    class Meta:
        model = User
        fields = ("id", "username", "full_name", "is_active", "memberships", "tokens")
        read_only_fields = fields

    def get_memberships(self, user) -> list[dict]:
        return [
            {"unit": m.unit_id, "unit_name": m.unit.name, "role": m.role, "role_display": m.get_role_display()}
            for m in user.memberships.all()
        ]


class ServiceAccountInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    full_name = serializers.CharField(max_length=50)
    unit = serializers.IntegerField()
    role = serializers.ChoiceField(choices=[c for c in Role.choices if c[0] != Role.OFFICE_ADMIN])


class TokenInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=TokenScope.choices), allow_empty=False)


class RotateInput(serializers.Serializer):
    grace_hours = serializers.IntegerField(min_value=0, max_value=service_accounts.MAX_GRACE_HOURS, default=0)


def _context(request) -> dict:
    from django.utils import timezone

    return {"request": request, "now": timezone.now()}


class ServiceAccountViewSet(viewsets.GenericViewSet):
    """集成账号（仅创建办管理员）：供其他系统调用接口；所属单位决定数据范围，令牌决定可用接口。"""

    serializer_class = ServiceAccountSerializer
    permission_classes = [permissions.IsAuthenticated, IsOfficeAdmin]
    queryset = service_accounts.accounts_with_tokens().order_by("username")

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ServiceAccountSerializer(page, many=True, context=_context(request)).data)

    def retrieve(self, request, pk=None):
        return Response(ServiceAccountSerializer(self.get_object(), context=_context(request)).data)

    def create(self, request):
        form = ServiceAccountInput(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        unit = Unit.objects.visible_to(request.user).filter(is_active=True, pk=data.pop("unit")).first()
        if unit is None:
            raise DomainError("单位不存在或已停用", field="unit")
        user = service_accounts.create_service_account(actor=request.user, unit=unit, **data)
        user = self.get_queryset().get(pk=user.pk)
        return Response(ServiceAccountSerializer(user, context=_context(request)).data, status=201)

    @action(detail=True, methods=["post"], serializer_class=TokenInput)
    def tokens(self, request, pk=None):
        """签发令牌：令牌原文只在本次响应中出现一次，请立即保存。"""
        form = TokenInput(data=request.data)
        form.is_valid(raise_exception=True)
        token, raw = service_accounts.issue_token(actor=request.user, user=self.get_object(), **form.validated_data)
        return Response(ApiTokenSerializer(token, context=_context(request)).data | {"token": raw}, status=201)


class ApiTokenViewSet(viewsets.GenericViewSet):
    """API 令牌（仅创建办管理员）：查看前缀、范围、最近使用；轮换或吊销。"""

    serializer_class = ApiTokenSerializer
    permission_classes = [permissions.IsAuthenticated, IsOfficeAdmin]
    queryset = ApiToken.objects.select_related("replaced_by").order_by("-id")

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ApiTokenSerializer(page, many=True, context=_context(request)).data)

    def retrieve(self, request, pk=None):
        return Response(ApiTokenSerializer(self.get_object(), context=_context(request)).data)

    @action(detail=True, methods=["post"], serializer_class=RotateInput)
    def rotate(self, request, pk=None):
        """轮换：签发同名同范围的新令牌（原文只显示一次）；旧令牌立即吊销，或在宽限小时数后失效。"""
        form = RotateInput(data=request.data)
        form.is_valid(raise_exception=True)
        token, raw = service_accounts.rotate_token(actor=request.user, token=self.get_object(), **form.validated_data)
        return Response(ApiTokenSerializer(token, context=_context(request)).data | {"token": raw}, status=201)

    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = service_accounts.revoke_token(actor=request.user, token=self.get_object())
        return Response(ApiTokenSerializer(token, context=_context(request)).data)
