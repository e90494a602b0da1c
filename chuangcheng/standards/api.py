"""REST API: standards are reference data (read: any signed-in user; write: the office);
indicator reports are scoped to the reporting unit."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from rest_framework import permissions, routers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from chuangcheng.core.api import ScopedReadOnlyModelViewSet
from chuangcheng.core.errors import DomainError
from chuangcheng.core.tabular import XLSX_CONTENT_TYPE, write_xlsx
from chuangcheng.standards import services
from chuangcheng.standards.comparison import compare_versions
from chuangcheng.standards.filters import (
    CheckItemFilterSet,
    ClauseFilterSet,
    IndicatorFilterSet,
    IndicatorReportFilterSet,
    MaterialRequirementFilterSet,
    SamplingQuotaFilterSet,
    StandardFilterSet,
)
from chuangcheng.standards.models import (
    CheckItem,
    Clause,
    Indicator,
    IndicatorReport,
    MaterialRequirement,
    SamplingQuota,
    Standard,
)
from chuangcheng.standards.permissions import can_edit_standards
from chuangcheng.standards.selectors import indicator_board, standard_tree
from chuangcheng.standards.serializers import (
    CheckItemSerializer,
    ClauseSerializer,
    EvidenceSerializer,
    IndicatorReportInputSerializer,
    IndicatorReportSerializer,
    IndicatorSerializer,
    MaterialRequirementSerializer,
    SamplingQuotaSerializer,
    StandardSerializer,
)


class ReferenceDataPermission(permissions.BasePermission):
    """Reading: any signed-in user. Writing: the office only (403 for others)."""

    message = "只有创建办可以维护标准"

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or can_edit_standards(request.user)


class ReferenceViewSet(viewsets.ModelViewSet):
    permission_classes = [ReferenceDataPermission]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def filter_queryset(self, queryset):
        """Filters apply to the list only; detail actions use their own query parameters."""
        return super().filter_queryset(queryset) if self.action == "list" else queryset


class StandardViewSet(ReferenceViewSet):
    """标准版本：列表、详情、新建草稿、修改草稿、发布、基于已发布版本起草、对比、条款树、导入导出。"""

    queryset = Standard.objects.all().order_by("kind", "code", "-effective_date", "-id")
    serializer_class = StandardSerializer
    filterset_class = StandardFilterSet

    def perform_create(self, serializer):
        serializer.instance = services.create_standard(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.update_standard(
            standard=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.delete_standard(standard=instance, actor=self.request.user)

    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        standard = services.publish_standard(standard=self.get_object(), actor=request.user)
        return Response(StandardSerializer(standard).data)

    @action(detail=True, methods=["post"], url_path="drafts")
    def create_draft(self, request, pk=None):
        draft = services.create_draft_from(
            standard=self.get_object(),
            actor=request.user,
            version=str(request.data.get("version", "")),
            name=str(request.data.get("name", "")),
        )
        return Response(StandardSerializer(draft).data, status=201)

    @action(detail=True, methods=["get"])
    def compare(self, request, pk=None):
        other_id = request.query_params.get("other")
        if not other_id or not str(other_id).isdigit():
            raise DomainError("请用 other 参数指定要对比的版本", field="other")
        base = self.get_object()
        other = get_object_or_404(self.get_queryset(), pk=int(other_id))
        result = compare_versions(base, other)
        return Response({"from": base.pk, "to": other.pk} | {k: v.as_dict() for k, v in result.items()})

    @action(detail=True, methods=["get"])
    def tree(self, request, pk=None):
        nodes = standard_tree(self.get_object(), request.query_params.get("q", ""))
        return Response([_node_json(node) for node in nodes])

    @action(detail=True, methods=["get"], url_path="export")
    def export_file(self, request, pk=None):
        standard = self.get_object()
        content = write_xlsx(
            title=standard.name, headers=services.RUBRIC_COLUMNS, rows=services.export_rubric_rows(standard)
        )
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''rubric-{standard.pk}.xlsx"
        return response

    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser], url_path="import")
    def import_file(self, request, pk=None):
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError("请选择要导入的文件", field="file")
        counts = services.import_rubric(
            actor=request.user, standard=self.get_object(), data=upload.read(), filename=upload.name
        )
        return Response(counts, status=201)

    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser], url_path="manual-import")
    def import_manual(self, request, pk=None):
        """测评操作手册 into this draft; ``dry_run=1`` only checks and returns the counts."""
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError("请选择要导入的测评操作手册文件", field="file")
        data = upload.read()
        if str(request.data.get("dry_run", "")).lower() in ("1", "true", "yes"):
            standard = self.get_object()
            return Response(services.read_manual(data=data, filename=upload.name).summary() | {"standard": standard.pk})
        counts = services.import_manual(actor=request.user, standard=self.get_object(), data=data, filename=upload.name)
        return Response(counts, status=201)

    @action(detail=True, methods=["get"], url_path="manual-export")
    def export_manual(self, request, pk=None):
        standard = self.get_object()
        content = services.write_manual_xlsx(services.export_manual_rows(standard))
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''manual-{standard.pk}.xlsx"
        return response

    @action(detail=False, methods=["get"], url_path="manual-template")
    def manual_template(self, request):
        response = HttpResponse(services.manual_template(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = "attachment; filename*=UTF-8''manual-template.xlsx"
        return response


def _node_json(node) -> dict:
    clause = node.clause
    return {
        "clause": ClauseSerializer(clause).data if clause else None,
        "title": node.title,
        "check_items": CheckItemSerializer(node.items, many=True).data,
        "indicators": IndicatorSerializer(node.indicators, many=True).data,
        "materials": MaterialRequirementSerializer(node.materials, many=True).data,
        "children": [_node_json(child) for child in node.children],
    }


class TreeRowViewSet(ReferenceViewSet):
    """Rows of a standard: edits are refused unless the standard is a draft."""

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        standard = data.pop("standard")
        serializer.instance = services.create_row(
            actor=self.request.user, model=self.queryset.model, standard=standard, **data
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_row(
            actor=self.request.user, instance=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.delete_row(actor=self.request.user, instance=instance)


class ClauseViewSet(TreeRowViewSet):
    queryset = Clause.objects.all().order_by("standard", "sort_order", "id")
    serializer_class = ClauseSerializer
    filterset_class = ClauseFilterSet


class CheckItemViewSet(TreeRowViewSet):
    queryset = CheckItem.objects.prefetch_related("site_categories").order_by("standard", "sort_order", "id")
    serializer_class = CheckItemSerializer
    filterset_class = CheckItemFilterSet


class IndicatorViewSet(TreeRowViewSet):
    queryset = Indicator.objects.all().order_by("standard", "sort_order", "id")
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet


class MaterialRequirementViewSet(TreeRowViewSet):
    queryset = MaterialRequirement.objects.all().order_by("standard", "sort_order", "id")
    serializer_class = MaterialRequirementSerializer
    filterset_class = MaterialRequirementFilterSet


class SamplingQuotaViewSet(TreeRowViewSet):
    queryset = SamplingQuota.objects.all().order_by("standard", "sort_order", "id")
    serializer_class = SamplingQuotaSerializer
    filterset_class = SamplingQuotaFilterSet


class IndicatorReportViewSet(ScopedReadOnlyModelViewSet):
    """指标填报：单位只看本单位（及下级），创建办看全部；POST 新填或修订同一期数值。"""

    queryset = IndicatorReport.objects.select_related("indicator", "unit").prefetch_related("evidence")
    serializer_class = IndicatorReportSerializer
    filterset_class = IndicatorReportFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def create(self, request):
        form = IndicatorReportInputSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        files = request.FILES.getlist("evidence") if hasattr(request, "FILES") else []
        data["evidence"] = files or data.get("evidence", [])
        report = services.report_indicator(actor=request.user, **data)
        return Response(IndicatorReportSerializer(report).data, status=201)

    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def evidence(self, request, pk=None):
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError("请选择佐证材料文件", field="file")
        evidence = services.add_indicator_evidence(actor=request.user, report=self.get_object(), upload=upload)
        return Response(EvidenceSerializer(evidence).data, status=201)

    @action(detail=True, methods=["post"], parser_classes=[JSONParser, FormParser])
    def judge(self, request, pk=None):
        """创建办人工判定（仅限需人工判定的指标）：verdict=pass/fail，reason 必填。"""
        report = services.judge_manually(
            actor=request.user,
            report=self.get_object(),
            verdict=str(request.data.get("verdict", "")),
            reason=str(request.data.get("reason", "")),
        )
        return Response(IndicatorReportSerializer(report).data)

    @action(detail=False, methods=["get"])
    def board(self, request):
        standard_id = request.query_params.get("standard", "")
        if not standard_id.isdigit():
            raise DomainError("请用 standard 参数指定标准", field="standard")
        standard = get_object_or_404(Standard.objects.all(), pk=int(standard_id))
        hard_only = request.query_params.get("hard") in ("1", "true")
        rows = indicator_board(standard, request.user, hard_only=hard_only)
        return Response(
            [
                {
                    "indicator": row.indicator.pk,
                    "code": row.indicator.code,
                    "name": row.indicator.name,
                    "is_hard": row.indicator.is_hard,
                    "status": row.status,
                    "units": [
                        {
                            "unit": cell.unit.pk,
                            "unit_name": cell.unit.name,
                            "history": [
                                {
                                    "period": h["period"],
                                    "value": h["report"].value,
                                    "value_text": h["report"].value_text,
                                    "compliance": h["compliance"],
                                    "reason": h["reason"],
                                }
                                for h in cell.history
                            ],
                        }
                        for cell in row.cells
                    ],
                }
                for row in rows
            ]
        )


router = routers.DefaultRouter()
router.register("standards", StandardViewSet, basename="standard")
router.register("standard-clauses", ClauseViewSet, basename="standard-clause")
router.register("check-items", CheckItemViewSet, basename="check-item")
router.register("standard-indicators", IndicatorViewSet, basename="standard-indicator")
router.register("material-requirements", MaterialRequirementViewSet, basename="material-requirement")
router.register("sampling-quotas", SamplingQuotaViewSet, basename="sampling-quota")
router.register("indicator-reports", IndicatorReportViewSet, basename="indicator-report")
