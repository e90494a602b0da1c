"""Activity pages: list, create, detail (participants, hours, corrections), the organiser's phone page for
sign-in/out, the volunteer's self sign-in with the short code, and hour totals."""

from datetime import date

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from chuangcheng.core.cache import safe_count
from chuangcheng.core.errors import DomainError
from chuangcheng.core.params import BadParameter
from chuangcheng.core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView
from chuangcheng.public.privacy import client_address
from chuangcheng.volunteers import permissions, selectors, services
from chuangcheng.volunteers.filters import ActivityFilterSet
from chuangcheng.volunteers.forms import ActivityForm, CancelForm, CorrectionForm, SelfCheckForm
from chuangcheng.volunteers.models import Activity, Volunteer
from chuangcheng.volunteers.views.common import PAGE_ROLES, FormPageMixin, raise_forbidden

SELF_CHECK_LIMIT = (30, 600)  # attempts per client address per window (seconds)


class ActivityListView(ScopedListView):
    model = Activity
    filterset_class = ActivityFilterSet
    template_name = "volunteers/activity_list.html"
    required_roles = PAGE_ROLES

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("unit", "post")
            .annotate(
                n_up=Count("participations"),
                n_in=Count("participations", filter=Q(participations__checked_in_at__isnull=False)),
            )
            .order_by("-starts_at", "-id")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"can_manage": permissions.can_manage_any(self.request.user)}


class ActivityCreateView(FormPageMixin, ServiceFormView):
    form_class = ActivityForm
    title = "发布志愿服务活动"
    back_name = "volunteers:activity_list"
    success_message = "活动已发布"

    def get_initial(self):
        return {"kind": self.request.GET.get("kind", "")}

    def perform(self, form):
        return services.create_activity(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("volunteers:activity_detail", args=[self.object.pk])


def _participants(activity):
    return activity.participations.select_related("volunteer", "volunteer__unit").order_by("signed_up_at", "id")


class ActivityDetailView(ScopedDetailView):
    model = Activity
    template_name = "volunteers/activity_detail.html"
    required_roles = PAGE_ROLES

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "area", "site", "post")

    def get_context_data(self, **kwargs):
        activity, user = self.object, self.request.user
        return super().get_context_data(**kwargs) | {
            "participants": _participants(activity),
            "counts": selectors.activity_counts(activity),
            "can_run": permissions.can_run_activity(user, activity),
            "can_correct": permissions.can_correct_hours(user, activity),
            "correction_form": kwargs.get("correction_form") or CorrectionForm(),
            "cancel_form": CancelForm(),
            "check_url": reverse("volunteers:self_check"),
        }


class ActivityCheckView(ActivityDetailView):
    """The organiser's phone page (390 px): participants with 签到/签退 buttons and a search to add walk-ins."""

    template_name = "volunteers/activity_check.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()
        found = []
        if query:
            joined = self.object.participations.values("volunteer_id")
            found = (
                Volunteer.objects.visible_to(self.request.user)
                .filter(Q(name__icontains=query) | Q(phone__endswith=query))
                .exclude(pk__in=joined)
                .select_related("unit")
                .order_by("name")[:20]
            )
        return context | {"query": query, "found": found}


ACTIONS = {"sign_up", "check_in", "check_out", "withdraw", "close", "cancel", "correct"}


class ActivityActionView(RoleRequiredMixin, generic.View):
    """POST one action on an activity; back to ``next`` (the detail or the phone page) with a message."""

    required_roles = PAGE_ROLES

    def post(self, request, pk):
        activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            raise Http404("未知操作")
        back = request.POST.get("next", "")
        if back not in ("check", "detail"):
            back = "detail"
        target = reverse(f"volunteers:activity_{back}", args=[activity.pk])
        try:
            message = self.perform(request, activity, action)
        except DomainError as exc:
            raise_forbidden(exc)
            messages.error(request, exc.message)
        else:
            messages.success(request, message)
        return redirect(target)

    def _volunteer(self, request, activity):
        raw = request.POST.get("volunteer", "")
        if not raw.isdigit():
            raise DomainError("请选择志愿者", field="volunteer")
        joined = activity.participations.filter(volunteer_id=int(raw)).select_related("volunteer").first()
        if joined:
            return joined.volunteer
        return get_object_or_404(Volunteer.objects.visible_to(request.user), pk=int(raw))

    def perform(self, request, activity, action) -> str:
        user = request.user
        if action == "close":
            services.close_activity(actor=user, activity=activity)
            return "活动已结束"
        if action == "cancel":
            services.cancel_activity(actor=user, activity=activity, reason=request.POST.get("reason", ""))
            return "活动已取消"
        if action == "correct":
            form = CorrectionForm(request.POST)
            if not form.is_valid():
                raise DomainError("；".join(e for errs in form.errors.values() for e in errs), field="hours")
            participation = get_object_or_404(activity.participations.all(), pk=form.cleaned_data["participation"])
            services.correct_hours(
                actor=user,
                participation=participation,
                hours=form.cleaned_data["hours"],
                reason=form.cleaned_data["reason"],
            )
            return f"已核定{participation.volunteer.name}的服务时长"
        volunteer = self._volunteer(request, activity)
        if action == "sign_up":
            services.sign_up(actor=user, activity=activity, volunteer=volunteer)
            return f"{volunteer.name}已报名"
        if action == "check_in":
            services.check_in(actor=user, activity=activity, volunteer=volunteer)
            return f"{volunteer.name}已签到"
        if action == "check_out":
            row = services.check_out(actor=user, activity=activity, volunteer=volunteer)
            return f"{volunteer.name}已签退，计{row.hours}小时"
        participation = get_object_or_404(activity.participations.all(), volunteer=volunteer)
        services.withdraw_sign_up(actor=user, participation=participation)
        return f"{volunteer.name}已取消报名"


class SelfCheckView(generic.View):
    """签到码自助签到/签退 for volunteers (no account): code, phone and the ID number's last four."""

    template_name = "volunteers/self_check.html"

    def get(self, request):
        form = SelfCheckForm(initial={"code": request.GET.get("code", "")[:6]})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = SelfCheckForm(request.POST)
        result, status = None, 200
        maximum, window = SELF_CHECK_LIMIT
        if safe_count(f"volunteers-selfcheck:{client_address(request)}", window) > maximum:
            form.is_valid()
            form.add_error(None, "尝试次数过多，请稍后再试或请组织者登记")
            return render(request, self.template_name, {"form": form}, status=429)
        if form.is_valid():
            try:
                participation, done = services.self_check(**form.cleaned_data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = 400
            else:
                result = {"participation": participation, "done": done}
                form = SelfCheckForm(initial={"code": form.cleaned_data["code"]})
        else:
            status = 400
        return render(request, self.template_name, {"form": form, "result": result}, status=status)


def month_param(params) -> date | None:
    raw = params.get("month", "").strip()
    if not raw:
        return None
    try:
        year, month = (int(part) for part in raw.split("-"))
        if not 2000 <= year <= 2100:
            raise ValueError
        return date(year, month, 1)
    except ValueError:
        raise BadParameter("月份格式应为 YYYY-MM（如 2026-05）") from None


class HoursView(RoleRequiredMixin, generic.TemplateView):
    template_name = "volunteers/hours.html"
    required_roles = PAGE_ROLES

    def get_context_data(self, **kwargs):
        user, month = self.request.user, month_param(self.request.GET)
        return super().get_context_data(**kwargs) | {
            "month": month,
            "month_value": f"{month:%Y-%m}" if month else "",
            "this_month": f"{timezone.localdate():%Y-%m}",
            "by_volunteer": selectors.totals_by_volunteer(user, month=month),
            "by_team": selectors.totals_by_team(user, month=month),
            "by_unit": selectors.totals_by_unit(user, month=month),
            "by_month": selectors.totals_by_month(user),
        }
