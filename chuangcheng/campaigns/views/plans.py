"""Pages: plans, the task ledger, the timeline, task detail with progress reports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from chuangcheng.campaigns import permissions, selectors, services
from chuangcheng.campaigns.filters import PlanFilterSet, TaskFilterSet
from chuangcheng.campaigns.forms import (
    MilestoneForm,
    MilestoneStateForm,
    PlanForm,
    ProgressForm,
    ScheduleForm,
    TaskForm,
)
from chuangcheng.campaigns.models import Milestone, Plan, Task, TaskStatus
from chuangcheng.campaigns.services.milestones import MILESTONE_FIELDS
from chuangcheng.core.errors import DomainError
from chuangcheng.core.tabular import XLSX_CONTENT_TYPE, write_xlsx
from chuangcheng.core.views import (
    DetailFormPostMixin,
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
)
from chuangcheng.core.views import ScopedObjectMixin as BaseScopedObjectMixin

PAGE_ROLES = ("office_admin", "office_staff", "leader", "unit_head", "unit_handler")


class PlanListView(ScopedListView):
    """campaigns:index — plans, and the tasks of the user's own units."""

    model = Plan
    filterset_class = PlanFilterSet
    template_name = "campaigns/index.html"
    required_roles = PAGE_ROLES

    def get_queryset(self):
        return super().get_queryset().select_related("unit")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        mine = Task.objects.visible_to(user).exclude(status=TaskStatus.DONE).select_related("lead_unit", "plan")
        context["my_tasks"] = mine.order_by("deadline")[:20]
        context["today"] = today
        context["can_manage"] = permissions.can_manage_plans(user)
        return context


class PlanScopedMixin(BaseScopedObjectMixin):
    model = Plan

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.plan = self.get_object()
        return super().dispatch(request, *args, **kwargs)


class PlanDetailView(ScopedDetailView):
    model = Plan
    template_name = "campaigns/plan_detail.html"
    required_roles = PAGE_ROLES

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, plan = self.request.user, self.object
        tasks = Task.objects.visible_to(user).filter(plan=plan)
        filterset = TaskFilterSet(self.request.GET or None, queryset=tasks, request=self.request)
        if filterset.is_bound and filterset.is_valid():
            tasks = filterset.qs
        context["filter"] = filterset
        context["tasks"] = selectors.ledger_tasks(tasks)
        context["summary"] = selectors.plan_summary(plan, Task.objects.visible_to(user).filter(plan=plan))
        context["milestones"] = plan.milestones.annotate(
            open_tasks=Count("tasks", filter=~Q(tasks__status=TaskStatus.DONE))
        )
        context["today"] = timezone.localdate()
        context["can_manage"] = permissions.can_manage_plans(user)
        return context


class PlanCreateView(ServiceFormView):
    form_class = PlanForm
    template_name = "campaigns/form.html"
    required_roles = ("office_admin", "office_staff")
    success_message = "工作方案已创建"
    title = "新建工作方案"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": self.title, "back_url": reverse("campaigns:index")}

    def perform(self, form):
        return services.create_plan(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("campaigns:plan_detail", args=[self.object.pk])


class PlanUpdateView(PlanScopedMixin, PlanCreateView):
    success_message = "工作方案已保存"
    title = "修改工作方案"

    def get_initial(self):
        return {name: getattr(self.plan, name) for name in services.plans.PLAN_FIELDS}

    def perform(self, form):
        return services.update_plan(plan=self.plan, actor=self.request.user, **form.cleaned_data)


class PlanScheduleView(PlanScopedMixin, ServiceFormView):
    form_class = ScheduleForm
    template_name = "campaigns/form.html"
    required_roles = ("office_admin", "office_staff")
    success_message = "已按迎检窗口倒排工期"

    def get_initial(self):
        return {"target_date": self.plan.target_date}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": f"倒排工期：{self.plan.title}",
            "intro": "各节点和任务按“迎检前N个工作日”重新计算时限，自动跳过周末和法定节假日，调休上班日计为工作日。",
            "back_url": reverse("campaigns:plan_detail", args=[self.plan.pk]),
        }

    def perform(self, form):
        return services.schedule_plan(plan=self.plan, actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("campaigns:plan_detail", args=[self.plan.pk])


class MilestoneCreateView(PlanScheduleView):
    form_class = MilestoneForm
    success_message = "时间节点已添加"

    def get_initial(self):
        return {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": f"添加时间节点：{self.plan.title}", "intro": ""}

    def perform(self, form):
        return services.add_milestone(plan=self.plan, actor=self.request.user, **form.cleaned_data)


class TaskCreateView(PlanScheduleView):
    form_class = TaskForm
    success_message = "任务已下达"

    def get_initial(self):
        return {"weight": 1}

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user, "plan": self.plan}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": f"分解任务：{self.plan.title}", "intro": ""}

    def perform(self, form):
        return services.create_task(plan=self.plan, actor=self.request.user, **form.cleaned_data)


class PlanTimelineView(ScopedDetailView):
    model = Plan
    template_name = "campaigns/timeline.html"
    required_roles = PAGE_ROLES

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tasks = Task.objects.visible_to(self.request.user).filter(plan=self.object)
        context["entries"] = selectors.plan_timeline(self.object, tasks)
        context["today"] = timezone.localdate()
        return context


class PlanLedgerView(PlanScopedMixin, RoleRequiredMixin, generic.View):
    required_roles = PAGE_ROLES

    def get(self, request, pk):
        tasks = selectors.ledger_tasks(Task.objects.visible_to(request.user).filter(plan=self.plan))
        content = write_xlsx(
            title="任务台账",
            headers=selectors.LEDGER_HEADERS,
            rows=selectors.ledger_rows(tasks),
            widths=(8, 40, 18, 24, 10, 12, 10, 8, 10, 8, 10, 40),
        )
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = "attachment; filename*=UTF-8''%E4%BB%BB%E5%8A%A1%E5%8F%B0%E8%B4%A6.xlsx"
        return response


class TaskDetailView(DetailFormPostMixin, ScopedDetailView):
    model = Task
    template_name = "campaigns/task_detail.html"
    required_roles = PAGE_ROLES
    post_form_class = ProgressForm
    success_message = "进展已报送"

    def get_queryset(self):
        return super().get_queryset().select_related("plan", "lead_unit", "responsible")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task, user = self.object, self.request.user
        context["reports"] = task.reports.select_related("unit", "reporter")
        context["events"] = task.events.select_related("actor")
        context["cooperating"] = task.cooperating_units.order_by("path")
        context["can_report"] = task.status != TaskStatus.DONE and permissions.can_report_progress(user, task)
        context["form"] = kwargs.get("form") or ProgressForm(initial={"progress": task.progress})
        context["today"] = timezone.localdate()
        return context

    def perform(self, form):
        return services.report_progress(task=self.object, actor=self.request.user, **form.cleaned_data)


class TaskListView(ScopedListView):
    model = Task
    filterset_class = TaskFilterSet
    template_name = "campaigns/task_list.html"
    required_roles = PAGE_ROLES

    def get_queryset(self):
        return selectors.ledger_tasks(super().get_queryset())

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"today": timezone.localdate()}


class MilestoneScopedMixin(BaseScopedObjectMixin):
    model = Milestone

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.milestone = self.get_object()
            self.plan = self.milestone.plan
        return super().dispatch(request, *args, **kwargs)


class MilestoneUpdateView(MilestoneScopedMixin, ServiceFormView):
    form_class = MilestoneForm
    template_name = "campaigns/form.html"
    required_roles = ("office_admin", "office_staff")
    success_message = "时间节点已保存"

    def get_initial(self):
        return {name: getattr(self.milestone, name) for name in MILESTONE_FIELDS}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": f"修改时间节点：{self.milestone.title}",
            "intro": "填写“迎检前工作日数”时按迎检窗口倒排节点日期；清空则使用填写的节点日期。",
            "back_url": reverse("campaigns:plan_detail", args=[self.plan.pk]),
        }

    def perform(self, form):
        return services.update_milestone(milestone=self.milestone, actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("campaigns:plan_detail", args=[self.plan.pk])


class MilestoneStateView(MilestoneScopedMixin, RoleRequiredMixin, generic.View):
    """POST ``action=complete`` (optional ``done_at``) or ``action=reopen`` (``reason``) from the plan page."""

    required_roles = ("office_admin", "office_staff")

    def post(self, request, pk):
        form = MilestoneStateForm(request.POST)
        back = redirect(f"{reverse('campaigns:plan_detail', args=[self.plan.pk])}#milestones")
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, errors[0])
            return back
        data = form.cleaned_data
        try:
            if data["action"] == "complete":
                services.complete_milestone(milestone=self.milestone, actor=request.user, done_at=data["done_at"])
                messages.success(request, f"节点“{self.milestone.title}”已完成")
            else:
                services.reopen_milestone(milestone=self.milestone, actor=request.user, reason=data["reason"])
                messages.success(request, f"节点“{self.milestone.title}”已重新打开")
        except DomainError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
            messages.error(request, exc.message)
        return back
