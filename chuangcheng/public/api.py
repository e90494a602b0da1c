"""Office-side API: reports (with moderation verbs), surveys with satisfaction, 12345 orders and batches.
The citizen side is the pages and the Open311 server (/open311/v2/)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from rest_framework import routers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from chuangcheng.core.api import ScopedReadOnlyModelViewSet
from chuangcheng.core.errors import DomainError
from chuangcheng.places.models import Area
from chuangcheng.public import indicators, selectors
from chuangcheng.public.models import (
    CallbackTask,
    HandlingRating,
    HotlineBatch,
    HotlineOrder,
    Indicator,
    Praise,
    Report,
    ReportPhoto,
    Survey,
)
from chuangcheng.public.serializers import (
    CallbackDoneSerializer,
    CallbackTaskSerializer,
    HandlingRatingSerializer,
    HotlineBatchSerializer,
    HotlineOrderSerializer,
    ModerateSerializer,
    PraiseHandleSerializer,
    PraiseSerializer,
    RedactSerializer,
    ReportSerializer,
    SurveySerializer,
)
from chuangcheng.public.services import feedback, hotline, moderation, sampling


class ReportViewSet(ScopedReadOnlyModelViewSet):
    """市民随手拍：列表、详情（含原文）、受理、不予受理、遮挡照片。"""

    queryset = (
        Report.objects.select_related("category", "area", "unit")
        .prefetch_related(Prefetch("photos", queryset=ReportPhoto.objects.order_by("sort_order")))
        .order_by("-created_at", "-id")
    )
    serializer_class = ReportSerializer
    filterset_fields = ("status", "category", "channel")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "accept":  # only the scope check: the service reads the report under lock with its rows
            return queryset.select_related(None).prefetch_related(None).only("pk")
        return queryset

    def filter_queryset(self, queryset):
        if self.action == "accept":  # the list's filters (status, category, channel) say nothing about one report
            return queryset
        return super().filter_queryset(queryset)

    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = ModerateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = moderation.accept_report(
            report=self.get_object(),
            actor=request.user,
            public_description=data.validated_data.get("public_description"),
            note=data.validated_data.get("note", ""),
        )
        return Response(ReportSerializer(report).data)

    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = ModerateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = moderation.reject_report(
            report=self.get_object(), actor=request.user, note=data.validated_data.get("note", "")
        )
        return Response(ReportSerializer(report).data)

    @action(detail=True, methods=["post"])
    def redact(self, request, pk=None):
        report = self.get_object()
        data = RedactSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        photo = get_object_or_404(report.photos.all(), pk=data.validated_data["photo"])
        moderation.redact_photo(photo=photo, actor=request.user, rectangles=data.validated_data["rectangles"])
        return Response(ReportSerializer(self.get_object()).data)


class SurveyViewSet(ScopedReadOnlyModelViewSet):
    """满意度调查：列表、详情、按区域和月份的满意率。"""

    queryset = Survey.objects.order_by("-created_at")
    serializer_class = SurveySerializer

    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        survey = self.get_object()
        figure = selectors.satisfaction(survey=survey)
        return Response(
            {
                "responses": figure.responses,
                "scored": figure.scored,
                "satisfied": figure.satisfied,
                "rate": figure.rate,
                "by_area_month": selectors.satisfaction_by_area_month(survey=survey),
            }
        )

    @action(detail=False, methods=["get"])
    def satisfaction(self, request):
        """Overall 群众满意率, optionally ``?area=<id>`` (with sub-areas) and ``?since=YYYY-MM-DD``."""
        area = None
        if (request.query_params.get("area") or "").isdigit():
            area = get_object_or_404(Area.objects.visible_to(request.user), pk=int(request.query_params["area"]))
        since = None
        if request.query_params.get("since"):
            from django.utils.dateparse import parse_date

            day = parse_date(request.query_params["since"])
            if day is None:
                raise DomainError("since 须为日期，如 2026-01-01", field="since")
            since = day
        figure = selectors.satisfaction(area=area, since=since)
        return Response(
            {"responses": figure.responses, "scored": figure.scored, "satisfied": figure.satisfied, "rate": figure.rate}
        )

    @action(detail=False, methods=["get"])
    def indicators(self, request):
        """Rates per indicator × area × month with 95% Wilson intervals; ``?indicator=``, ``?area=``, ``?survey=``."""
        surveys = self.get_queryset()
        if (request.query_params.get("survey") or "").isdigit():
            surveys = surveys.filter(pk=int(request.query_params["survey"]))
        area = None
        if (request.query_params.get("area") or "").isdigit():
            area = get_object_or_404(Area.objects.visible_to(request.user), pk=int(request.query_params["area"]))
        indicator = request.query_params.get("indicator") or ""
        if indicator and indicator not in Indicator.values:
            raise DomainError(f"indicator 须为 {'、'.join(Indicator.values)} 之一", field="indicator")
        rows = indicators.indicator_results(surveys=surveys, area=area, indicator=indicator)
        return Response({"ci_method": indicators.CI_METHOD, "results": [row.as_dict() for row in rows]})

    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        """A surveyor's 入户 answers: ``{"area": id, "household_ref": "...", "answers": {"<question id>": value}}``."""
        survey = self.get_object()
        data = request.data
        area_id = str(data.get("area") or "")
        area = Area.objects.visible_to(request.user).filter(pk=int(area_id)).first() if area_id.isdigit() else None
        answers = data.get("answers")
        if not isinstance(answers, dict):
            raise DomainError("answers 须为对象：{题目编号: 答案}", field="answers")
        response = sampling.collect_response(
            survey=survey,
            actor=request.user,
            area=area,
            household_ref=str(data.get("household_ref") or ""),
            answers=answers,
        )
        return Response({"id": response.pk, "scored": response.scored, "satisfied": response.satisfied}, status=201)


class HotlineOrderViewSet(ScopedReadOnlyModelViewSet):
    """12345 工单台账（只读）。"""

    queryset = HotlineOrder.objects.order_by("-received_at", "-id")
    serializer_class = HotlineOrderSerializer
    filterset_fields = ("batch", "unit", "category")


class HotlineBatchViewSet(ScopedReadOnlyModelViewSet):
    """12345 导入批次：上传（返回猜测的列对应），预览，导入。"""

    queryset = HotlineBatch.objects.order_by("-created_at", "-id")
    serializer_class = HotlineBatchSerializer

    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser, FormParser], url_path="upload")
    def upload(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError("请选择要导入的文件", field="file")
        batch = hotline.upload_batch(actor=request.user, data=upload.read(), filename=upload.name)
        extra = {"headers": batch.headers, "mapping": batch.mapping, "head_rows": batch.head_rows}
        return Response(HotlineBatchSerializer(batch).data | extra, 201)

    @action(detail=True, methods=["post"], url_path="import")
    def import_rows(self, request, pk=None):
        """导入：可选 header_row 指定表头所在行（自动识别有误时），可选 mapping 指定列对应。"""
        batch = self.get_object()
        header_row = request.data.get("header_row")
        if header_row not in (None, ""):
            if not str(header_row).isdigit():
                raise DomainError("header_row 须为表头所在的行号（正整数）", field="header_row")
            if int(header_row) != batch.header_row:
                batch = hotline.choose_header_row(batch=batch, actor=request.user, header_row=int(header_row))
        mapping = request.data.get("mapping") if isinstance(request.data.get("mapping"), dict) else None
        batch = hotline.import_batch(batch=batch, actor=request.user, mapping=mapping)
        return Response(HotlineBatchSerializer(batch).data)


class HandlingRatingViewSet(ScopedReadOnlyModelViewSet):
    """市民对办结结果的评价（办理单位可见本单位的评价）。"""

    queryset = HandlingRating.objects.select_related("report", "unit").order_by("-created_at", "-id")
    serializer_class = HandlingRatingSerializer
    filterset_fields = ("level", "unit")


class CallbackTaskViewSet(ScopedReadOnlyModelViewSet):
    """回访任务：市民评价“不满意”后生成，创建办登记回访结果。"""

    queryset = CallbackTask.objects.select_related("report", "rating__report", "rating__unit").order_by(
        "status", "created_at", "id"
    )
    serializer_class = CallbackTaskSerializer
    filterset_fields = ("status", "unit")

    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        data = CallbackDoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = feedback.complete_callback(task=self.get_object(), actor=request.user, **data.validated_data)
        return Response(CallbackTaskSerializer(task).data)


class PraiseViewSet(ScopedReadOnlyModelViewSet):
    """市民表扬：创建办转达给被表扬单位或不予采纳。"""

    queryset = Praise.objects.select_related("unit").order_by("-created_at", "-id")
    serializer_class = PraiseSerializer
    filterset_fields = ("status", "unit")

    @action(detail=True, methods=["post"])
    def handle(self, request, pk=None):
        data = PraiseHandleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        praise = feedback.handle_praise(praise=self.get_object(), actor=request.user, **data.validated_data)
        return Response(PraiseSerializer(praise).data)


router = routers.DefaultRouter()
router.register("public/reports", ReportViewSet, basename="public-report")
router.register("public/surveys", SurveyViewSet, basename="public-survey")
router.register("public/hotline-orders", HotlineOrderViewSet, basename="public-hotline-order")
router.register("public/hotline-batches", HotlineBatchViewSet, basename="public-hotline-batch")
router.register("public/ratings", HandlingRatingViewSet, basename="public-rating")
router.register("public/callbacks", CallbackTaskViewSet, basename="public-callback")
router.register("public/praises", PraiseViewSet, basename="public-praise")
