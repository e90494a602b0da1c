from drf_spectacular.utils import extend_schema
from rest_framework import mixins, routers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from chuangcheng.core.api import ScopedModelViewSet, ScopedQuerysetMixin
from chuangcheng.readiness import selectors, services
from chuangcheng.readiness.filters import RunFilterSet, WindowFilterSet
from chuangcheng.readiness.models import ForecastRun, InspectionWindow
from chuangcheng.readiness.serializers import RunInputSerializer, RunSerializer, WhatIfInputSerializer, WindowSerializer


class WindowViewSet(ScopedModelViewSet):
    """迎检窗口：倒计时所依据的预计迎检日期。"""

    queryset = InspectionWindow.objects.order_by("earliest", "id")
    serializer_class = WindowSerializer
    filterset_class = WindowFilterSet
    create_service = staticmethod(services.create_window)
    update_service = staticmethod(services.update_window)
    object_arg = "window"
    http_method_names = ["get", "post", "patch", "put", "head", "options"]


class RunViewSet(ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """迎检预测：每次模拟保存随机种子、参数和结果。"""

    queryset = ForecastRun.objects.order_by("-created_at", "-id")
    serializer_class = RunSerializer
    filterset_class = RunFilterSet

    @extend_schema(request=RunInputSerializer, responses=RunSerializer)
    def create(self, request):
        data = RunInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upcoming = selectors.next_countdown(request.user, campaign=data.validated_data.get("campaign"))
        run = services.run_forecast(
            actor=request.user, window=upcoming.window if upcoming else None, **data.validated_data
        )
        return Response(RunSerializer(run).data, status=201)

    @extend_schema(request=WhatIfInputSerializer, responses=RunSerializer)
    @action(detail=True, methods=["post"], url_path="what-if")
    def what_if(self, request, pk=None):
        baseline = self.get_object()
        data = WhatIfInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        visible = {row["pk"] for row in selectors.open_cases_for_what_if(request.user, baseline, limit=100_000)}
        ids = [i for i in data.validated_data["case_ids"] if i in visible]
        run = services.run_what_if(actor=request.user, baseline=baseline, case_ids=ids)
        return Response(RunSerializer(run).data, status=201)


router = routers.DefaultRouter()
router.register("readiness/windows", WindowViewSet, basename="readiness-window")
router.register("readiness/runs", RunViewSet, basename="readiness-run")
