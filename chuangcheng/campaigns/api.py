"""/api/v1/ for campaigns: plans, milestones, tasks (with progress), letters, leader assignments, pledges."""

from django.http import HttpResponse
from rest_framework import routers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from chuangcheng.campaigns import selectors, services
from chuangcheng.campaigns.filters import (
    LeaderAssignmentFilterSet,
    LetterFilterSet,
    PlanFilterSet,
    PledgeFilterSet,
    TaskFilterSet,
)
from chuangcheng.campaigns.models import (
    FrontagePledge,
    LeaderAssignment,
    Milestone,
    Plan,
    ProgressReport,
    ResponsibilityLetter,
    Task,
)
from chuangcheng.campaigns.people_api import MeetingViewSet, NoticeViewSet
from chuangcheng.campaigns.serializers import (
    LeaderAssignmentSerializer,
    LetterSerializer,
    LetterUpdateSerializer,
    MilestoneCompleteSerializer,
    MilestoneReopenSerializer,
    MilestoneSerializer,
    PlanSerializer,
    PledgeSerializer,
    ProgressInputSerializer,
    ProgressReportSerializer,
    ScanInputSerializer,
    ScheduleSerializer,
    TaskSerializer,
)
from chuangcheng.core.api import ScopedModelViewSet, ScopedReadOnlyModelViewSet
from chuangcheng.core.params import year_param
from chuangcheng.core.tabular import XLSX_CONTENT_TYPE, write_xlsx

WRITE_METHODS = ["get", "post", "patch", "head", "options"]


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


class PlanViewSet(ScopedModelViewSet):
    """工作方案：列表、详情、新增、修改；倒排工期；任务台账导出；时间轴。"""

    queryset = Plan.objects.select_related("unit").order_by("-year", "-id")
    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet
    create_service = staticmethod(services.create_plan)
    update_service = staticmethod(services.update_plan)
    object_arg = "plan"
    http_method_names = WRITE_METHODS

    @action(detail=True, methods=["post"])
    def schedule(self, request, pk=None):
        plan = self.get_object()
        data = ScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = services.schedule_plan(plan=plan, actor=request.user, target_date=data.validated_data["target_date"])
        return Response(self.get_serializer(plan).data)

    @action(detail=True, methods=["get"])
    def summary(self, request, pk=None):
        plan = self.get_object()
        summary = selectors.plan_summary(plan, Task.objects.visible_to(request.user).filter(plan=plan))
        return Response(summary.__dict__)

    @action(detail=True, methods=["get"])
    def ledger(self, request, pk=None):
        plan = self.get_object()
        tasks = selectors.ledger_tasks(Task.objects.visible_to(request.user).filter(plan=plan))
        content = write_xlsx(
            title="任务台账",
            headers=selectors.LEDGER_HEADERS,
            rows=selectors.ledger_rows(tasks),
            widths=(8, 40, 18, 24, 10, 12, 10, 8, 10, 8, 10, 40),
        )
        return xlsx_response(content, "task-ledger.xlsx")

    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        plan = self.get_object()
        entries = selectors.plan_timeline(plan, Task.objects.visible_to(request.user).filter(plan=plan))
        return Response(
            [
                {
                    "day": e.day,
                    "kind": e.kind,
                    "title": e.title,
                    "detail": e.detail,
                    "task": e.task.pk if e.task else None,
                    "state": e.state,
                }
                for e in entries
            ]
        )


class MilestoneViewSet(ScopedModelViewSet):
    """时间节点：新增、修改（按迎检窗口倒排）、标记完成、重新打开。"""

    queryset = Milestone.objects.select_related("plan")
    serializer_class = MilestoneSerializer
    create_service = staticmethod(services.add_milestone)
    update_service = staticmethod(services.update_milestone)
    object_arg = "milestone"
    http_method_names = WRITE_METHODS
    filterset_fields = ("plan",)

    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        data = MilestoneCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        milestone = services.complete_milestone(milestone=self.get_object(), actor=request.user, **data.validated_data)
        return Response(self.get_serializer(milestone).data)

    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        data = MilestoneReopenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        milestone = services.reopen_milestone(milestone=self.get_object(), actor=request.user, **data.validated_data)
        return Response(self.get_serializer(milestone).data)


class TaskViewSet(ScopedModelViewSet):
    """任务台账：牵头/配合单位、责任人、时限、权重；报送进展（可附佐证）。"""

    queryset = Task.objects.select_related("lead_unit", "responsible").prefetch_related("cooperating_units")
    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet
    create_service = staticmethod(services.create_task)
    update_service = staticmethod(services.update_task)
    object_arg = "task"
    http_method_names = WRITE_METHODS

    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def progress(self, request, pk=None):
        task = self.get_object()
        data = ProgressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_progress(task=task, actor=request.user, **data.validated_data)
        return Response(ProgressReportSerializer(report).data, status=201)

    @action(detail=True, methods=["get"])
    def reports(self, request, pk=None):
        task = self.get_object()
        reports = task.reports.select_related("unit", "reporter")
        return Response(ProgressReportSerializer(reports, many=True).data)


class ProgressReportViewSet(ScopedReadOnlyModelViewSet):
    queryset = ProgressReport.objects.select_related("unit", "reporter")
    serializer_class = ProgressReportSerializer
    filterset_fields = ("task",)


class LetterViewSet(ScopedModelViewSet):
    """目标责任书：每单位每年度一份，目标任务与签字盖章扫描件。"""

    queryset = ResponsibilityLetter.objects.select_related("unit")
    serializer_class = LetterSerializer
    filterset_class = LetterFilterSet
    create_service = staticmethod(services.create_letter)
    update_service = staticmethod(services.update_letter)
    object_arg = "letter"
    http_method_names = WRITE_METHODS

    def get_serializer_class(self):
        return LetterUpdateSerializer if self.action in ("update", "partial_update") else LetterSerializer

    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def scan(self, request, pk=None):
        letter = self.get_object()
        data = ScanInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        letter = services.attach_letter_scan(letter=letter, actor=request.user, **data.validated_data)
        return Response(LetterSerializer(letter).data)


class LeaderAssignmentViewSet(ScopedModelViewSet):
    """领导包抓：领导与包抓区域、单位。"""

    queryset = LeaderAssignment.objects.select_related("leader", "area", "unit")
    serializer_class = LeaderAssignmentSerializer
    filterset_class = LeaderAssignmentFilterSet
    create_service = staticmethod(services.assign_leader)
    http_method_names = ["get", "post", "head", "options"]

    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        assignment = services.end_leader_assignment(assignment=self.get_object(), actor=request.user)
        return Response(self.get_serializer(assignment).data)


class PledgeViewSet(ScopedModelViewSet):
    """门前三包：按点位签订，按街道统计。"""

    queryset = FrontagePledge.objects.select_related("site", "street")
    serializer_class = PledgeSerializer
    filterset_class = PledgeFilterSet
    create_service = staticmethod(services.create_pledge)
    http_method_names = ["get", "post", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        pledge = services.end_pledge(pledge=self.get_object(), actor=request.user)
        return Response(self.get_serializer(pledge).data)

    @action(detail=False, methods=["get"], url_path="by-street")
    def by_street(self, request):
        year = year_param(request.query_params)
        rows = selectors.pledge_counts_by_street(user=request.user, year=year)
        return Response(
            [
                {
                    "street": row.street.pk if row.street else None,
                    "street_name": row.street.name if row.street else "未归街道",
                    "pledges": row.pledges,
                    "sites": row.sites,
                    "coverage": row.coverage,
                }
                for row in rows
            ]
        )


router = routers.DefaultRouter()
router.register("campaign-plans", PlanViewSet, basename="campaign-plan")
router.register("campaign-milestones", MilestoneViewSet, basename="campaign-milestone")
router.register("campaign-tasks", TaskViewSet, basename="campaign-task")
router.register("campaign-reports", ProgressReportViewSet, basename="campaign-report")
router.register("responsibility-letters", LetterViewSet, basename="responsibility-letter")
router.register("leader-assignments", LeaderAssignmentViewSet, basename="leader-assignment")
router.register("frontage-pledges", PledgeViewSet, basename="frontage-pledge")
router.register("notices", NoticeViewSet, basename="notice")
router.register("meetings", MeetingViewSet, basename="meeting")
