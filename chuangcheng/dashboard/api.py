"""/api/v1/dashboard/…: the command centre's figures, scoped to the user (``?unit=`` narrows further)."""

from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from chuangcheng.dashboard import selectors

UNIT = OpenApiParameter("unit", OpenApiTypes.INT, description="只看该单位及其下级")
DAYS = OpenApiParameter("days", OpenApiTypes.INT, description="天数（1–366，默认30）")


def _days(request) -> int:
    raw = request.query_params.get("days", "30")
    return min(max(int(raw), 1), 366) if raw.isdigit() else 30


def _reach(request):
    return selectors.reach_of(request.user, request.query_params.get("unit"))


@extend_schema(parameters=[UNIT], responses=OpenApiTypes.OBJECT, summary="关键指标：未办结、超期、本周办结、返工、反弹")
@api_view(["GET"])
def summary(request):
    return Response(selectors.summary(_reach(request)))


@extend_schema(parameters=[UNIT, DAYS], responses=OpenApiTypes.OBJECT, summary="每日上报、办结、返工、反弹趋势")
@api_view(["GET"])
def trends(request):
    return Response(selectors.trends(_reach(request), days=_days(request)))


@extend_schema(parameters=[UNIT, DAYS], responses=OpenApiTypes.OBJECT, summary="上报→立案→派遣→办结漏斗")
@api_view(["GET"])
def funnel(request):
    return Response(selectors.funnel(_reach(request), days=_days(request)))


@extend_schema(parameters=[UNIT], responses=OpenApiTypes.OBJECT, summary="牵头单位排名")
@api_view(["GET"])
def rankings(request):
    return Response(selectors.rankings(_reach(request)))


@extend_schema(parameters=[UNIT], responses=OpenApiTypes.OBJECT, summary="网格未办结问题（GeoJSON）")
@api_view(["GET"])
def map_view(request):
    return HttpResponse(selectors.map_json(_reach(request)), content_type="application/json")


@extend_schema(parameters=[UNIT], responses=OpenApiTypes.OBJECT, summary="网格着色：各网格未办结、超期问题数")
@api_view(["GET"])
def map_shading(request):
    return Response(selectors.map_shading(_reach(request)))


@extend_schema(
    parameters=[UNIT], responses=OpenApiTypes.OBJECT, summary="网格形状（GeoJSON，带 ETag，未变化时返回 304）"
)
@api_view(["GET"])
def map_shapes(request):
    text, etag = selectors.map_shapes(_reach(request), if_none_match=request.headers.get("If-None-Match", ""))
    response = HttpResponseNotModified() if text is None else HttpResponse(text, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"  # keep a copy, but ask each time (a 304 is a few bytes)
    return response


@extend_schema(responses=OpenApiTypes.OBJECT, summary="各级对比：本级辖区内下一级单位（省→市、市→区县、县→乡镇）并列")
@api_view(["GET"])
def levels(request):
    from chuangcheng.core.scoping import scope_of
    from chuangcheng.dashboard.rollup import province_comparison

    if not selectors.can_view_dashboard(request.user):
        raise Http404("对象不存在或无权访问")
    return Response({"units": province_comparison(scope_of(request.user), user=request.user)})


urlpatterns = [
    path("dashboard/summary/", summary, name="dashboard-summary"),
    path("dashboard/trends/", trends, name="dashboard-trends"),
    path("dashboard/funnel/", funnel, name="dashboard-funnel"),
    path("dashboard/rankings/", rankings, name="dashboard-rankings"),
    path("dashboard/map/", map_view, name="dashboard-map"),
    path("dashboard/map/shading/", map_shading, name="dashboard-map-shading"),
    path("dashboard/map/shapes/", map_shapes, name="dashboard-map-shapes"),
    path("dashboard/levels/", levels, name="dashboard-levels"),
]
