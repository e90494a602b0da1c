"""/api/v1/ for areas, sites, site categories and the point → area lookup."""

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, routers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from chuangcheng.core.api import ScopedModelViewSet
from chuangcheng.core.errors import DomainError
from chuangcheng.core.tabular import XLSX_CONTENT_TYPE, write_xlsx
from chuangcheng.org.models import Unit
from chuangcheng.places import lookup, services
from chuangcheng.places.divisions import catalog
from chuangcheng.places.filters import AreaFilterSet, SiteCategoryFilterSet, SiteFilterSet
from chuangcheng.places.models import Area, Site, SiteCategory
from chuangcheng.places.renderers import GeoJSONRenderer
from chuangcheng.places.serializers import (
    AreaBriefSerializer,
    AreaSerializer,
    DivisionListSerializer,
    DivisionLoadInputSerializer,
    DivisionLoadResultSerializer,
    LocateInputSerializer,
    SiteBriefSerializer,
    SiteCategorySerializer,
    SiteSerializer,
)

RENDERERS = [*api_settings.DEFAULT_RENDERER_CLASSES, GeoJSONRenderer]


class SiteCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """点位类别（内置参考数据，所有已登录用户可读）。"""

    queryset = SiteCategory.objects.order_by("sort_order", "code")
    serializer_class = SiteCategorySerializer
    filterset_class = SiteCategoryFilterSet
    pagination_class = None


class AreaViewSet(ScopedModelViewSet):
    """区域/网格：列表（可 ?format=geojson）、详情、新增、修改、GeoJSON 导入。"""

    queryset = Area.objects.select_related("unit").order_by("level", "code")
    serializer_class = AreaSerializer
    filterset_class = AreaFilterSet
    renderer_classes = RENDERERS
    create_service = staticmethod(services.create_area)
    update_service = staticmethod(services.update_area)
    object_arg = "area"
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser], url_path="import")
    def import_file(self, request):
        upload = request.FILES.get("file")
        if upload is not None:
            data = upload.read()
        elif isinstance(request.data, dict) and request.data.get("type") == "FeatureCollection":
            data = dict(request.data)
        else:
            raise DomainError("请上传 GeoJSON 文件（FeatureCollection）", field="file")
        created = services.import_areas_geojson(actor=request.user, data=data)
        return Response({"created": len(created)}, status=201)


class SiteViewSet(ScopedModelViewSet):
    """点位：列表（可 ?format=geojson）、详情、新增、修改、Excel 导入导出。"""

    queryset = Site.objects.select_related("category", "area", "unit", "department").order_by("code")
    serializer_class = SiteSerializer
    filterset_class = SiteFilterSet
    renderer_classes = RENDERERS
    create_service = staticmethod(services.create_site)
    update_service = staticmethod(services.update_site)
    object_arg = "site"
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def get_serializer_class(self):
        if self.action == "list" and self.request.query_params.get("brief") in ("1", "true"):
            return SiteBriefSerializer
        return super().get_serializer_class()

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list" and self.request.query_params.get("brief") in ("1", "true"):
            return queryset.select_related(None).select_related("category")
        return queryset

    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser, FormParser], url_path="import")
    def import_file(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError("请选择要导入的文件", field="file")
        created = services.import_sites(actor=request.user, data=upload.read(), filename=upload.name)
        return Response({"created": len(created)}, status=201)

    @action(detail=False, methods=["get"], url_path="export")
    def export_file(self, request):
        rows = services.export_site_rows(self.filter_queryset(self.get_queryset()))
        content = write_xlsx(title="点位", headers=services.SITE_COLUMNS, rows=rows)
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = "attachment; filename*=UTF-8''sites.xlsx"
        return response


class LocateView(APIView):
    """点→区域：单点 {lng, lat} 返回所在最小区域及其上级链；批量 {points: [[lng, lat], …]} 返回每点最小区域。

    Areas outside the caller's scope are returned as ``null`` (as if absent).
    """

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = LocateInputSerializer

    def post(self, request):
        serializer = LocateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        visible = Area.objects.visible_to(request.user)
        if "points" in data:
            found = lookup.locate_ids([p[0] for p in data["points"]], [p[1] for p in data["points"]])
            wanted = {int(i) for i in found if i}
            by_id = {area.pk: area for area in visible.filter(pk__in=wanted)} if wanted else {}
            results = [by_id.get(int(i)) for i in found]
            return Response(
                {"results": [AreaBriefSerializer(area).data if area is not None else None for area in results]}
            )
        chain = lookup.locate(data["lng"], data["lat"])
        allowed = set(visible.filter(pk__in=[a.pk for a in chain]).values_list("pk", flat=True)) if chain else set()
        chain = [area for area in chain if area.pk in allowed]
        return Response(
            {
                "area": AreaBriefSerializer(chain[0]).data if chain else None,
                "chain": AreaBriefSerializer(chain, many=True).data,
            }
        )


class DivisionListView(APIView):
    """官方行政区划（国家统计局 2023 年统计用区划代码）：?parent= 为空时列出省份，否则列出其下一级。

    Reference data for every signed-in user; ``loaded`` says whether a unit already carries the code.
    """

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = DivisionListSerializer

    @extend_schema(
        parameters=[OpenApiParameter("parent", str, description="上级代码；为空时列出省份")],
        responses=DivisionListSerializer,
    )
    def get(self, request):
        parent = request.query_params.get("parent", "").strip() or None
        try:
            nodes = catalog.children(parent)
        except catalog.UnknownDivision as exc:
            raise DomainError(str(exc), field="parent") from None
        codes = [node.division_code for node in nodes]
        visible = Unit.objects.visible_to(request.user)
        loaded = set(visible.filter(division_code__in=codes).values_list("division_code", flat=True))
        return Response(
            {
                "results": [
                    {
                        "code": node.division_code,
                        "name": node.name,
                        "level": node.level,
                        "level_label": node.level_label,
                        "loaded": node.division_code in loaded,
                    }
                    for node in nodes
                ]
            }
        )


class DivisionLoadView(APIView):
    """按官方行政区划建立市或区县的单位树与区域树（幂等、全部成功或全部不变；仅创建办）。"""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = DivisionLoadInputSerializer

    @extend_schema(request=DivisionLoadInputSerializer, responses=DivisionLoadResultSerializer)
    def post(self, request):
        serializer = DivisionLoadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.load_divisions(actor=request.user, code=serializer.validated_data["code"])
        return Response(
            {
                "code": result.root.division_code,
                "name": result.root.name,
                "divisions": result.divisions,
                "units_created": result.units_created,
                "areas_created": result.areas_created,
                "renamed": result.renamed,
                "shapes_attached": result.shapes_attached,
                "missing_shapes": result.missing_shapes,
                "seconds": round(result.seconds, 2),
                "summary": result.summary,
            },
            status=201 if result.units_created or result.areas_created else 200,
        )


router = routers.DefaultRouter()
router.register("site-categories", SiteCategoryViewSet, basename="site-category")
router.register("areas", AreaViewSet, basename="area")
router.register("sites", SiteViewSet, basename="site")

urlpatterns = [
    path("places/locate/", LocateView.as_view(), name="places-locate"),
    path("divisions/", DivisionListView.as_view(), name="places-divisions"),
    path("divisions/load/", DivisionLoadView.as_view(), name="places-divisions-load"),
]
