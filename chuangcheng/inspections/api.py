"""/api/v1/: rounds (plan, draw, assign, close, publish, scores, reports), visits, findings, sync, patrol."""

from django.http import HttpResponse
from django.urls import path
from rest_framework import mixins, routers, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import NotAuthenticated
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from chuangcheng.core.api import ScopedModelViewSet, ScopedQuerysetMixin, ScopedReadOnlyModelViewSet
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.core.tabular import XLSX_CONTENT_TYPE
from chuangcheng.inspections import evaluation, reports, selectors, services
from chuangcheng.inspections.filters import FindingFilterSet, PatrolFilterSet, RoundFilterSet, VisitFilterSet
from chuangcheng.inspections.models import Finding, InspectionRound, PatrolRecord, SiteVisit
from chuangcheng.inspections.permissions import can_see_report
from chuangcheng.inspections.serializers import (
    AssignInputSerializer,
    CheckItemBriefSerializer,
    DrawInputSerializer,
    FindingSerializer,
    ObservationSerializer,
    PatrolSerializer,
    PlanInputSerializer,
    RoundSerializer,
    SyncInputSerializer,
    VisitSerializer,
)
from chuangcheng.places.models import Area

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def score_payload(round_) -> dict:
    score = selectors.round_score(round_)
    return {
        "round": round_.pk,
        "total": score.total.as_dict(),
        "areas": [{"rank": r, "area": a, **t.as_dict()} for r, a, t in score.ranking()],
        "categories": [{"category": c, **t.as_dict()} for c, t in score.by_category.items()],
    }


class RoundViewSet(ScopedModelViewSet):
    """督查轮次：计划、抽样、分配、结束、发布、得分与报告。"""

    queryset = InspectionRound.objects.select_related("standard", "unit").prefetch_related(
        "areas", "inspectors", "sampling_lines__category"
    )
    serializer_class = RoundSerializer
    filterset_class = RoundFilterSet
    create_service = staticmethod(services.create_round)
    update_service = staticmethod(services.update_round)
    object_arg = "round_"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.update_round(round_=serializer.instance, actor=self.request.user, **data)

    @action(detail=True, methods=["post"], url_path="plan")
    def plan(self, request, pk=None):
        data = PlanInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        quotas = {int(k): v for k, v in data.validated_data["quotas"].items() if str(k).isdigit()}
        round_ = services.set_sampling_plan(round_=self.get_object(), actor=request.user, quotas=quotas)
        return Response(RoundSerializer(round_).data)

    @action(detail=True, methods=["post"], url_path="draw")
    def draw(self, request, pk=None):
        data = DrawInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        draw = services.draw_round(round_=self.get_object(), actor=request.user, seed=data.validated_data.get("seed"))
        return Response(
            {"seed": draw.seed, "sites": draw.result, "rechecks": draw.recheck_result, "inputs_hash": draw.inputs_hash},
            status=201,
        )

    @action(detail=True, methods=["get"], url_path="verify-draw")
    def verify_draw(self, request, pk=None):
        round_ = self.get_object()
        draw = round_.draws.first()
        if draw is None:
            raise DomainError("本轮次尚未抽样", field="seed")
        sites, rechecks = services.replay_draw(draw)
        return Response(
            {
                "seed": draw.seed,
                "matches": sites == draw.result and rechecks == draw.recheck_result,
                "sites": sites,
                "rechecks": rechecks,
                "inputs_hash": draw.inputs_hash,
            }
        )

    @action(detail=True, methods=["post"], url_path="assign")
    def assign(self, request, pk=None):
        data = AssignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignments = (
            "auto"
            if data.validated_data["auto"]
            else {int(k): v for k, v in data.validated_data.get("assignments", {}).items() if str(k).isdigit()}
        )
        changed = services.assign_visits(round_=self.get_object(), actor=request.user, assignments=assignments)
        return Response({"changed": changed})

    @action(detail=True, methods=["post"], url_path="close")
    def close(self, request, pk=None):
        return Response(RoundSerializer(services.close_round(round_=self.get_object(), actor=request.user)).data)

    @action(detail=True, methods=["post"], url_path="publish")
    def publish(self, request, pk=None):
        return Response(RoundSerializer(services.publish_round(round_=self.get_object(), actor=request.user)).data)

    @action(detail=True, methods=["get"], url_path="score")
    def score(self, request, pk=None):
        return Response(score_payload(self._reportable()))

    @action(detail=True, methods=["get"], url_path="report-xlsx")
    def report_xlsx(self, request, pk=None):
        content = reports.to_xlsx(reports.build(self._reportable()))
        return _download(content, XLSX_CONTENT_TYPE, "round-report.xlsx")

    @action(detail=True, methods=["get"], url_path="report-docx")
    def report_docx(self, request, pk=None):
        content = reports.to_docx(reports.build(self._reportable()))
        return _download(content, DOCX_CONTENT_TYPE, "round-report.docx")

    @action(detail=True, methods=["get"], url_path="evaluation")
    def evaluation(self, request, pk=None):
        """模拟测评得分率 per 测评项目, 测评内容, district, category and point, with Δ from the previous round."""
        return Response(evaluation.build(self._reportable()).payload())

    @action(detail=True, methods=["get"], url_path="evaluation-xlsx")
    def evaluation_xlsx(self, request, pk=None):
        content = evaluation.to_xlsx(evaluation.build(self._reportable()))
        return _download(content, XLSX_CONTENT_TYPE, "mock-evaluation.xlsx")

    def _reportable(self):
        round_ = self.get_object()
        if not can_see_report(self.request.user, round_):
            raise NotPermitted("轮次发布后方可查看得分与报告")
        return round_


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


class VisitViewSet(ScopedReadOnlyModelViewSet):
    """点位检查（只读）；?mine=1 只看分配给我的。"""

    queryset = SiteVisit.objects.select_related("round", "site", "category", "area")
    serializer_class = VisitSerializer
    filterset_class = VisitFilterSet

    @action(detail=True, methods=["get"], url_path="checklist")
    def checklist(self, request, pk=None):
        visit = self.get_object()
        items = services.checklist_items(visit)
        findings = FindingSerializer(visit.findings.select_related("check_item").prefetch_related("photos"), many=True)
        return Response(
            {
                "visit": VisitSerializer(visit).data,
                "items": CheckItemBriefSerializer(items, many=True).data,
                "findings": findings.data,
                "observations": ObservationSerializer(visit.observations.all(), many=True).data,
            }
        )


class FindingViewSet(ScopedReadOnlyModelViewSet):
    queryset = Finding.objects.select_related("check_item").prefetch_related("photos")
    serializer_class = FindingSerializer
    filterset_class = FindingFilterSet


class PatrolViewSet(
    ScopedQuerysetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """网格巡查：上报问题或自处理（multipart：photos_before / photos_after）。"""

    queryset = PatrolRecord.objects.select_related("area").prefetch_related("photos")
    serializer_class = PatrolSerializer
    filterset_class = PatrolFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def create(self, request, *args, **kwargs):
        serializer = PatrolSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        area = Area.objects.visible_to(request.user).filter(pk=data["area"].pk).first()
        if area is None:
            raise DomainError("网格不存在或不在您的范围内", field="area")
        entry = services.record_patrol(
            actor=request.user,
            area=area,
            kind=data["kind"],
            description=data["description"],
            client_uuid=data["client_uuid"],
            category=data.get("category"),
            check_item=data.get("check_item"),
            lng=data.get("lng"),
            lat=data.get("lat"),
            photos_before=request.FILES.getlist("photos_before"),
            photos_after=request.FILES.getlist("photos_after"),
        )
        return Response(PatrolSerializer(entry).data, status=201)


@api_view(["POST"])
def sync(request):
    """Idempotent sync of one site visit from a phone (each item and photo carries a client UUID)."""
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    data = SyncInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    payload = dict(data.validated_data)
    visit = services.get_visit_for_sync(request.user, payload.pop("visit"))
    items = [
        dict(i, uuid=str(i["uuid"]), photos=[dict(p, uuid=str(p["uuid"])) for p in i["photos"]])
        for i in payload.pop("items")
    ]
    observations = [dict(o, uuid=str(o["uuid"])) for o in payload.pop("observations")]
    result = services.sync_visit(actor=request.user, visit=visit, items=items, observations=observations, **payload)
    return Response(result.as_dict())


router = routers.DefaultRouter()
router.register("inspections/rounds", RoundViewSet, basename="inspection-round")
router.register("inspections/visits", VisitViewSet, basename="inspection-visit")
router.register("inspections/findings", FindingViewSet, basename="inspection-finding")
router.register("inspections/patrols", PatrolViewSet, basename="inspection-patrol")
urlpatterns = [path("inspections/sync/", sync, name="inspections-sync")]
