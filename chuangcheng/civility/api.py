"""API: 文明单位 (list, register, transitions), reviews, window industries and units, ratings, publicity checks."""

from __future__ import annotations

from rest_framework import routers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from chuangcheng.civility import services
from chuangcheng.civility.filters import CivilizedUnitFilterSet, PublicityCheckFilterSet, RatingFilterSet
from chuangcheng.civility.models import CivilizedUnit, PublicityCheck, Rating, Review, WindowIndustry, WindowUnit
from chuangcheng.civility.serializers import (
    CivilizedUnitSerializer,
    PublicityCheckSerializer,
    RatingSerializer,
    ReviewSerializer,
    TransitionInputSerializer,
    WindowIndustrySerializer,
    WindowUnitSerializer,
)
from chuangcheng.civility.workflow import Action
from chuangcheng.core.api import ScopedModelViewSet, ScopedReadOnlyModelViewSet

SERVICES = {
    Action.WARN: lambda honour, user, data: services.warn_unit(
        actor=user, civilized_unit=honour, reason=data["reason"], deadline=data.get("deadline")
    ),
    Action.LIFT: lambda honour, user, data: services.lift_warning(
        actor=user, civilized_unit=honour, reason=data["reason"]
    ),
    Action.REVOKE: lambda honour, user, data: services.revoke_unit(
        actor=user, civilized_unit=honour, reason=data["reason"]
    ),
}


class CivilizedUnitViewSet(ScopedModelViewSet):
    """文明单位：列表、登记（创建办）与状态变更 ``transitions/``（黄牌警示、解除警示、撤销）。"""

    queryset = CivilizedUnit.objects.select_related("unit").order_by("level", "name")
    serializer_class = CivilizedUnitSerializer
    filterset_class = CivilizedUnitFilterSet
    create_service = staticmethod(services.create_civilized_unit)
    http_method_names = ("get", "post", "head", "options")

    @action(detail=True, methods=["post"], serializer_class=TransitionInputSerializer)
    def transitions(self, request, pk=None):
        honour = self.get_object()
        data = TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        honour = SERVICES[data.validated_data["action"]](honour, request.user, data.validated_data)
        return Response(CivilizedUnitSerializer(honour).data)


class ReviewViewSet(ScopedReadOnlyModelViewSet):
    """复查记录（只读；登记在页面上，附佐证材料）。"""

    queryset = Review.objects.prefetch_related("evidence").order_by("-year", "id")
    serializer_class = ReviewSerializer


class WindowIndustryViewSet(viewsets.ReadOnlyModelViewSet):
    """窗口行业（参考数据，登录用户可读）。"""

    queryset = WindowIndustry.objects.all()
    serializer_class = WindowIndustrySerializer


class WindowUnitViewSet(ScopedReadOnlyModelViewSet):
    queryset = WindowUnit.objects.select_related("industry", "unit").order_by("industry__sort_order", "name")
    serializer_class = WindowUnitSerializer


class RatingViewSet(ScopedReadOnlyModelViewSet):
    queryset = Rating.objects.select_related("window_unit", "period").order_by("period", "source", "-score")
    serializer_class = RatingSerializer
    filterset_class = RatingFilterSet


class PublicityCheckViewSet(ScopedReadOnlyModelViewSet):
    queryset = PublicityCheck.objects.select_related("site", "case").order_by("-checked_on", "-id")
    serializer_class = PublicityCheckSerializer
    filterset_class = PublicityCheckFilterSet


router = routers.DefaultRouter()
router.register("civility/units", CivilizedUnitViewSet, basename="civilized-unit")
router.register("civility/reviews", ReviewViewSet, basename="civility-review")
router.register("civility/industries", WindowIndustryViewSet, basename="window-industry")
router.register("civility/windows", WindowUnitViewSet, basename="window-unit")
router.register("civility/ratings", RatingViewSet, basename="window-rating")
router.register("civility/checks", PublicityCheckViewSet, basename="publicity-check")
