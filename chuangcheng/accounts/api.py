from rest_framework import routers, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from chuangcheng.accounts.models import Role
from chuangcheng.core.scoping import scope_of


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


router = routers.DefaultRouter()
router.register("me", MeViewSet, basename="me")
