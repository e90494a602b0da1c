from django.http import HttpResponse
from rest_framework import permissions, routers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from chuangcheng.cases import answers, selectors, services, workflow
from chuangcheng.cases.filters import CaseFilterSet, RoutingRuleFilterSet
from chuangcheng.cases.ledger import LEDGER_COLUMNS, LEDGER_WIDTHS, ledger_rows
from chuangcheng.cases.models import Case, DeadlineRule, RoutingRule
from chuangcheng.cases.permissions import can_manage_rules
from chuangcheng.cases.serializers import (
    AssignInputSerializer,
    BulkInputSerializer,
    BulkIntakeSerializer,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseListSerializer,
    CasePhotoSerializer,
    CaseTransitionSerializer,
    DeadlineRuleSerializer,
    ReboundInputSerializer,
    RoutingRuleSerializer,
    TransitionInputSerializer,
)
from chuangcheng.core.api import ScopedModelViewSet
from chuangcheng.core.errors import DomainError, ValidationFailed
from chuangcheng.core.filters import narrows
from chuangcheng.core.pagination import KnownCount
from chuangcheng.core.tabular import XLSX_CONTENT_TYPE, write_xlsx

PARSERS = [JSONParser, MultiPartParser, FormParser]


class CaseViewSet(ScopedModelViewSet):
    """问题：台账列表、详情、上报、流转（transitions）、指定单位（assign）、照片、导出。"""

    queryset = Case.objects.select_related("lead_unit", "category").order_by("-id")
    serializer_class = CaseListSerializer
    filterset_class = CaseFilterSet
    parser_classes = PARSERS
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("photos", "cooperating_units")
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return CaseDetailSerializer
        return CaseListSerializer

    def create(self, request, *args, **kwargs):
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.create_case(
            actor=request.user, photos=request.FILES.getlist("photos"), **serializer.validated_data
        )
        data = answers.created_answer(case, request=request)
        data["duplicates"] = answers.duplicates_of(case, user=request.user)
        return Response(data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get", "post"], url_path="transitions")
    def transitions(self, request, pk=None):
        case = self.get_object()
        if request.method == "GET":
            rows = case.transitions.order_by("id")
            return Response(CaseTransitionSerializer(rows, many=True).data)
        serializer = TransitionInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        case = workflow.transition(
            case,
            data.pop("action"),
            actor=request.user,
            note=data.pop("note", ""),
            evidence=request.FILES.getlist("evidence"),
            expected_version=version,
            **data,
        )
        return Response(CaseDetailSerializer(case, context={"request": request}).data)

    @action(detail=True, methods=["post"], url_path="assign")
    def assign(self, request, pk=None):
        case = self.get_object()
        serializer = AssignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = services.assign_case(
            actor=request.user,
            case=case,
            lead_unit=data["lead_unit"],
            cooperating_units=data.get("cooperating_units", []),
            reason=data.get("reason", ""),
            expected_version=data.get("version"),
        )
        return Response(CaseDetailSerializer(case, context={"request": request}).data)

    @action(detail=True, methods=["post"], url_path="rebound")
    def rebound(self, request, pk=None):
        """创建办标记或取消反弹：``{rebound, reason, origin?(原问题编号), version?}``。"""
        case = self.get_object()
        serializer = ReboundInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        origin = None
        number = data["origin"].strip()
        if number:
            origin = self.get_queryset().filter(number=number).first()
            if origin is None:
                raise DomainError(f"未找到原问题案件编号“{number}”", field="origin")
        case = services.mark_rebound(
            actor=request.user,
            case=case,
            rebound=data["rebound"],
            reason=data["reason"],
            origin=origin,
            expected_version=data.get("version"),
        )
        return Response(CaseDetailSerializer(case, context={"request": request}).data)

    @action(detail=True, methods=["post"], url_path="photos")
    def photos(self, request, pk=None):
        case = self.get_object()
        uploads = request.FILES.getlist("photos")
        if not uploads:
            raise DomainError("请选择照片", field="photos")
        photos = services.add_case_photos(actor=request.user, case=case, uploads=uploads)
        return Response(CasePhotoSerializer(photos, many=True, context={"request": request}).data, status=201)

    @action(detail=False, methods=["get"], url_path="duplicates")
    def duplicates(self, request):
        try:
            category = int(request.query_params["category"])
            lng, lat = float(request.query_params["lng"]), float(request.query_params["lat"])
        except (KeyError, ValueError) as exc:
            raise DomainError("请提供类别与经纬度", field="lng") from exc
        found = selectors.duplicate_candidates(category_id=category, lng=lng, lat=lat, user=request.user)
        rows = CaseListSerializer(selectors.rows_for_ids([c.pk for c in found]), many=True).data
        for row, case in zip(rows, found, strict=True):
            row["distance_m"] = case.distance_m
        return Response(rows)

    @action(detail=False, methods=["get"], url_path="inbox")
    def inbox(self, request):
        tab = request.query_params.get("tab", "to_sign")
        return self._list_response(selectors.unit_inbox(request.user, tab))

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        unfiltered = not narrows(CaseFilterSet(request.query_params, queryset=queryset, request=request))
        return self._list_response(queryset, total=selectors.visible_count(request.user) if unfiltered else None)

    def _list_response(self, queryset, total=None):
        """Count, then a page of ids (index-only), then that page's rows: three queries at any size. ``total``:
        the exact count when known already (the unfiltered ledger: ``selectors.visible_count``)."""
        ids = selectors.page_ids(queryset)
        ids = self.paginate_queryset(ids if total is None else KnownCount(ids, total))
        cases = selectors.rows_for_ids(ids if ids is not None else selectors.page_ids(queryset))
        data = CaseListSerializer(cases, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data) if ids is not None else Response(data)

    @action(detail=False, methods=["get"], url_path="export")
    def export(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        content = write_xlsx(
            title="问题整改台账", headers=LEDGER_COLUMNS, rows=ledger_rows(queryset), widths=LEDGER_WIDTHS
        )
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = "attachment; filename*=UTF-8''cases-ledger.xlsx"
        return response

    @action(detail=False, methods=["post"], url_path="bulk")
    def bulk(self, request):
        """``{"items": [...]}``: batch intake (up to 500 new cases); ``{"ids": [...], "action": ...}``:
        one action on many cases."""
        if hasattr(request.data, "get") and "items" in request.data:
            return self._bulk_intake(request)
        serializer = BulkInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        cases = list(self.get_queryset().filter(pk__in=data["ids"]))
        params = {"lead_unit": data["lead_unit"]} if data.get("lead_unit") else {}
        result = services.bulk_transition(
            actor=request.user, cases=cases, action=data["action"], note=data.get("note", ""), **params
        )
        missing = len(set(data["ids"]) - {c.pk for c in cases})
        failed = [{"number": n, "detail": m} for n, m in result.failed]
        return Response({"done": result.done, "failed": failed, "not_found": missing})

    def _bulk_intake(self, request):
        """All or nothing: a bad item rejects the batch (422, naming ``items[i].field``); else 201 with
        each case's number, status and route, in input order."""
        serializer = BulkIntakeSerializer.for_data(request.data)
        if not serializer.is_valid():
            raise ValidationFailed(serializer.errors_by_item())
        data = serializer.validated_data
        cases = services.create_cases(actor=request.user, items=data["items"], auto_register=data["auto_register"])
        rows = [
            {
                "id": case.pk,
                "number": case.number,
                "status": case.status,
                "area": case.area_id,
                "unit": case.unit_id,
                "lead_unit": case.lead_unit_id,
                "route_reason": case.route_reason,
                "deadline": case.deadline,
                "is_rebound": case.is_rebound,
                "rebound_of": case.rebound_of_id,
            }
            for case in cases
        ]
        return Response({"count": len(rows), "cases": rows}, status=status.HTTP_201_CREATED)


class RoutingRuleViewSet(ScopedModelViewSet):
    """分派规则（检查项/类别 × 区域 → 牵头单位 + 配合单位）。"""

    queryset = RoutingRule.objects.select_related("lead_unit").prefetch_related("cooperating_units")
    serializer_class = RoutingRuleSerializer
    filterset_class = RoutingRuleFilterSet
    create_service = staticmethod(services.create_routing_rule)
    update_service = staticmethod(services.update_routing_rule)
    delete_service = staticmethod(services.delete_routing_rule)
    object_arg = "rule"


class DeadlineRulePermission(permissions.BasePermission):
    """Reading: any signed-in user (units see why their deadline is what it is). Writing: the office."""

    message = "只有创建办可以维护整改期限规则"

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or can_manage_rules(request.user)


class DeadlineRuleViewSet(viewsets.ModelViewSet):
    """整改期限规则（类别 × 严重程度 → 工作日）；检查项自带的期限优先于本规则。"""

    queryset = DeadlineRule.objects.select_related("category").order_by("category__name", "severity", "id")
    serializer_class = DeadlineRuleSerializer
    permission_classes = [DeadlineRulePermission]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.create_deadline_rule(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.update_deadline_rule(
            rule=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.delete_deadline_rule(rule=instance, actor=self.request.user)


router = routers.DefaultRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("routing-rules", RoutingRuleViewSet, basename="routing-rule")
router.register("deadline-rules", DeadlineRuleViewSet, basename="deadline-rule")
