"""考核问责 API: schemes, rules, peer groups, periods (compute/publish/documents), scores, lines, outcomes."""

from urllib.parse import quote

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import routers, serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from chuangcheng.assessments import documents, selectors, services
from chuangcheng.assessments.filters import (
    AccountabilityFilterSet,
    CommendationFilterSet,
    DecisionFilterSet,
    IndicatorResultFilterSet,
    PeerGroupFilterSet,
    PeriodFilterSet,
    RuleFilterSet,
    SchemeFilterSet,
    ScoreLineFilterSet,
    UnitScoreFilterSet,
)
from chuangcheng.assessments.models import (
    AccountabilityRecord,
    Commendation,
    Decision,
    IndicatorResult,
    PeerGroup,
    Period,
    Rule,
    Scheme,
    ScoreLine,
    UnitScore,
)
from chuangcheng.assessments.permissions import can_manage_assessments
from chuangcheng.assessments.serializers import (
    AccountabilityRecordSerializer,
    CommendationSerializer,
    DecisionSerializer,
    IndicatorResultSerializer,
    PeerGroupSerializer,
    PeriodSerializer,
    RuleSerializer,
    SchemeSerializer,
    SchemeUpdateSerializer,
    ScoreLineSerializer,
    UnitScoreSerializer,
)
from chuangcheng.core.api import ScopedModelViewSet, ScopedReadOnlyModelViewSet
from chuangcheng.core.errors import NotPermitted
from chuangcheng.core.tabular import XLSX_CONTENT_TYPE

WRITE_METHODS = ["get", "post", "patch", "put", "head", "options"]


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


class SchemeViewSet(ScopedModelViewSet):
    """考核办法：版本化，发布后不可修改。"""

    queryset = Scheme.objects.order_by("code", "-version")
    serializer_class = SchemeSerializer
    filterset_class = SchemeFilterSet
    create_service = staticmethod(services.create_scheme)
    update_service = staticmethod(services.update_scheme)
    object_arg = "scheme"
    http_method_names = WRITE_METHODS

    def get_serializer_class(self):
        return SchemeUpdateSerializer if self.action in ("update", "partial_update") else SchemeSerializer

    @extend_schema(request=None, responses=SchemeSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        scheme = services.publish_scheme(scheme=self.get_object(), actor=request.user)
        return Response(SchemeSerializer(scheme).data)

    @extend_schema(request=None, responses=SchemeSerializer)
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        scheme = services.new_scheme_version(scheme=self.get_object(), actor=request.user)
        return Response(SchemeSerializer(scheme).data, status=201)


class RuleViewSet(ScopedModelViewSet):
    """考核规则（每行一条，带参数）。"""

    queryset = Rule.objects.select_related("scheme").order_by("scheme", "sort_order", "id")
    serializer_class = RuleSerializer
    filterset_class = RuleFilterSet
    create_service = staticmethod(services.create_rule)
    update_service = staticmethod(services.update_rule)
    delete_service = staticmethod(services.delete_rule)
    object_arg = "rule"


class PeerGroupViewSet(ScopedModelViewSet):
    """考核分组：同组单位一起排名。"""

    queryset = PeerGroup.objects.prefetch_related("units").order_by("scheme", "sort_order", "id")
    serializer_class = PeerGroupSerializer
    filterset_class = PeerGroupFilterSet
    create_service = staticmethod(services.create_peer_group)
    update_service = staticmethod(services.update_peer_group)
    delete_service = staticmethod(services.delete_peer_group)
    object_arg = "group"


class VerifySerializer(serializers.Serializer):
    intact = serializers.BooleanField()
    content_hash = serializers.CharField()
    recomputed_hash = serializers.CharField()


class PeriodViewSet(ScopedModelViewSet):
    """考核周期：后台计算、预览、发布（发布后冻结并记录内容哈希）、通报与台账。"""

    queryset = Period.objects.select_related("scheme").order_by("-end", "-id")
    serializer_class = PeriodSerializer
    filterset_class = PeriodFilterSet
    create_service = staticmethod(services.create_period)
    update_service = staticmethod(services.update_period)
    object_arg = "period"
    http_method_names = WRITE_METHODS

    @extend_schema(request=None, responses=PeriodSerializer)
    @action(detail=True, methods=["post"])
    def compute(self, request, pk=None):
        period = services.request_period_computation(period=self.get_object(), actor=request.user)
        period.refresh_from_db()
        return Response(PeriodSerializer(period).data, status=202)

    @extend_schema(request=None, responses=PeriodSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        period = services.publish_period(period=self.get_object(), actor=request.user)
        return Response(PeriodSerializer(period).data)

    @extend_schema(responses=VerifySerializer)
    @action(detail=True, methods=["get"])
    def verify(self, request, pk=None):
        period = self.get_object()
        recomputed = selectors.content_hash(period)
        intact = bool(period.content_hash) and recomputed == period.content_hash
        return Response({"intact": intact, "content_hash": period.content_hash, "recomputed_hash": recomputed})

    @extend_schema(responses=UnitScoreSerializer(many=True))
    @action(detail=True, methods=["get"])
    def ranking(self, request, pk=None):
        """The ranking announced by the bulletin (totals only, never other units' lines)."""
        return Response(UnitScoreSerializer(selectors.ranking(self.get_object()), many=True).data)

    @extend_schema(responses={(200, documents.DOCX_CONTENT_TYPE): bytes})
    @action(detail=True, methods=["get"])
    def bulletin(self, request, pk=None):
        period = self.get_object()
        return attachment(documents.bulletin_docx(period), documents.DOCX_CONTENT_TYPE, f"{period.title}.docx")

    @extend_schema(responses={(200, XLSX_CONTENT_TYPE): bytes})
    @action(detail=True, methods=["get"])
    def ledger(self, request, pk=None):
        period = self.get_object()
        if not can_manage_assessments(request.user):
            raise NotPermitted("排名台账（含全部明细）仅限创建办导出")
        return attachment(documents.ledger_xlsx(period), XLSX_CONTENT_TYPE, f"{period.name}排名台账.xlsx")


class UnitScoreViewSet(ScopedReadOnlyModelViewSet):
    """单位得分：单位只能看到本单位（及下级）的得分。"""

    queryset = UnitScore.objects.select_related("unit").order_by("period", "group", "rank", "unit_id")
    serializer_class = UnitScoreSerializer
    filterset_class = UnitScoreFilterSet

    @extend_schema(responses=ScoreLineSerializer(many=True))
    @action(detail=True, methods=["get"])
    def lines(self, request, pk=None):
        score = self.get_object()
        rows = ScoreLine.objects.visible_to(request.user).filter(score=score).select_related("rule").order_by("sort")
        return Response(ScoreLineSerializer(rows, many=True).data)


class ScoreLineViewSet(ScopedReadOnlyModelViewSet):
    """得分明细：每一分对应的案件、督查发现、指标或规则。"""

    queryset = ScoreLine.objects.select_related("rule").order_by("score", "sort")
    serializer_class = ScoreLineSerializer
    filterset_class = ScoreLineFilterSet


class IndicatorResultViewSet(ScopedReadOnlyModelViewSet):
    """数字城管指标（单位口径与区域口径）。"""

    queryset = IndicatorResult.objects.order_by("period", "unit", "area", "code")
    serializer_class = IndicatorResultSerializer
    filterset_class = IndicatorResultFilterSet


class OutcomeViewSet(ScopedModelViewSet):
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    object_arg = "instance"
    update_service = staticmethod(services.update_outcome)
    http_method_names = WRITE_METHODS


class DecisionViewSet(OutcomeViewSet):
    """奖惩决定（可附文件）。"""

    queryset = Decision.objects.select_related("unit").order_by("-decided_on", "-id")
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilterSet
    create_service = staticmethod(services.create_decision)


class AccountabilityRecordViewSet(OutcomeViewSet):
    """问责记录：约谈、通报批评、诫勉谈话、问责。"""

    queryset = AccountabilityRecord.objects.select_related("unit").order_by("-occurred_on", "-id")
    serializer_class = AccountabilityRecordSerializer
    filterset_class = AccountabilityFilterSet
    create_service = staticmethod(services.create_accountability_record)


class CommendationViewSet(OutcomeViewSet):
    """表彰（单位或个人），计入当期表彰加分。"""

    queryset = Commendation.objects.select_related("unit").order_by("-awarded_on", "-id")
    serializer_class = CommendationSerializer
    filterset_class = CommendationFilterSet
    create_service = staticmethod(services.create_commendation)


router = routers.DefaultRouter()
router.register("assessments/schemes", SchemeViewSet, basename="assessment-scheme")
router.register("assessments/rules", RuleViewSet, basename="assessment-rule")
router.register("assessments/peer-groups", PeerGroupViewSet, basename="assessment-peer-group")
router.register("assessments/periods", PeriodViewSet, basename="assessment-period")
router.register("assessments/scores", UnitScoreViewSet, basename="assessment-score")
router.register("assessments/lines", ScoreLineViewSet, basename="assessment-line")
router.register("assessments/indicators", IndicatorResultViewSet, basename="assessment-indicator")
router.register("assessments/decisions", DecisionViewSet, basename="assessment-decision")
router.register("assessments/accountability", AccountabilityRecordViewSet, basename="assessment-accountability")
router.register("assessments/commendations", CommendationViewSet, basename="assessment-commendation")
