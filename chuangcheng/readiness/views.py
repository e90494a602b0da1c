import json

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from chuangcheng.accounts.models import OFFICE_ROLES
from chuangcheng.core.errors import DomainError
from chuangcheng.core.scoping import scope_of
from chuangcheng.core.views import RoleRequiredMixin, ScopedListView, ScopedObjectMixin, ServiceFormView
from chuangcheng.programs.models import Campaign
from chuangcheng.programs.selectors import concurrent_campaigns
from chuangcheng.readiness import civil, minors_services, selectors, services
from chuangcheng.readiness.coverage import min_coverage
from chuangcheng.readiness.filters import WindowFilterSet
from chuangcheng.readiness.forms import ForecastForm, MinorsResultForm, WhatIfForm, WindowForm
from chuangcheng.readiness.models import READINESS_ROLES, ForecastRun, InspectionWindow, MinorsResult
from chuangcheng.readiness.permissions import can_manage_windows


def _run_or_404(user, pk) -> ForecastRun:
    run = ForecastRun.objects.visible_to(user).select_related("baseline", "window", "campaign").filter(pk=pk).first()
    if run is None:
        raise Http404("对象不存在或无权访问")
    return run


class ReadinessView(RoleRequiredMixin, generic.TemplateView):
    required_roles = READINESS_ROLES
    template_name = "readiness/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        run_id = self.request.GET.get("run")
        run = _run_or_404(user, run_id) if run_id and run_id.isdigit() else selectors.latest_run(user)
        base = run.baseline if run is not None and run.baseline_id else run
        cases = selectors.open_cases_for_what_if(user, base)
        parts = selectors.readiness_parts(user)
        context.update(
            run=run,
            base=base,
            countdowns=selectors.upcoming_windows(user),
            form=ForecastForm(user=user),
            what_if_cases=cases,
            what_ifs=list(base.what_ifs.all()[:10]) if base else [],
            history=list(ForecastRun.objects.visible_to(user).filter(baseline__isnull=True)[:10]),
            parts=parts,
            combined=selectors.combined_readiness(parts),
            chart=json.dumps(run.results.get("summary", {}).get("histogram")) if run else "null",
            pass_line=run.parameters.get("pass_line") if run else None,
            can_manage=can_manage_windows(user),
            min_coverage_pct=round(min_coverage() * 100),
            observe=run is not None and run.results.get("mode") == "observe",
            prerequisite=civil.prerequisite(user, run.campaign, run=run) if civil.is_civilized_run(run) else None,
            dual_count=len(concurrent_campaigns(run.campaign, user)) if run is not None and run.campaign else 0,
        )
        return context


class RunForecastView(RoleRequiredMixin, generic.View):
    required_roles = READINESS_ROLES

    def post(self, request):
        form = ForecastForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            upcoming = selectors.next_countdown(request.user, campaign=data["campaign"])
            try:
                run = services.run_forecast(
                    actor=request.user,
                    window=upcoming.window if upcoming else None,
                    pass_line=data["pass_line"],
                    full_score=data["full_score"],
                    unknown_points=data["unknown_points"],
                    band=data["band"] or "",
                    runs=data["runs"],
                    seed=data["seed"],
                    prior_alpha=data["prior_alpha"],
                    prior_beta=data["prior_beta"],
                    campaign=data["campaign"],
                    standard=data["standard"],
                    observe_rounds=data["observe_rounds"],
                    weights=form.weights(),
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"预测已完成（{run.runs} 次模拟，种子 {run.seed}）")
                return redirect(f"{reverse('readiness:index')}?run={run.pk}")
        return render(request, "readiness/run_form.html", {"form": form}, status=400)


class WhatIfView(RoleRequiredMixin, generic.View):
    required_roles = READINESS_ROLES

    def post(self, request, pk):
        baseline = _run_or_404(request.user, pk)
        ids = [int(i) for i in request.POST.getlist("case_ids") if i.isdigit()]
        allowed = {row["pk"] for row in selectors.open_cases_for_what_if(request.user, baseline, limit=10_000)}
        form = WhatIfForm({"case_ids": ids}, case_choices=[(i, i) for i in allowed])
        if not form.is_valid():
            messages.error(request, "请选择要假设整改完成的问题（须为您可见的未办结问题）")
            return redirect(f"{reverse('readiness:index')}?run={baseline.pk}")
        try:
            run = services.run_what_if(actor=request.user, baseline=baseline, case_ids=form.cleaned_data["case_ids"])
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(f"{reverse('readiness:index')}?run={baseline.pk}")
        return redirect(f"{reverse('readiness:index')}?run={run.pk}")


class WindowListView(ScopedListView):
    model = InspectionWindow
    template_name = "readiness/window_list.html"
    required_roles = READINESS_ROLES
    filterset_class = WindowFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("campaign__unit")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"can_manage": can_manage_windows(self.request.user)}


class WindowCreateView(ServiceFormView):
    form_class = WindowForm
    template_name = "readiness/window_form.html"
    required_roles = tuple(OFFICE_ROLES)
    success_message = "迎检窗口已保存"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_initial(self):
        campaign = self.request.GET.get("campaign", "")
        return {"campaign": campaign} if campaign.isdigit() else {}

    def perform(self, form):
        return services.create_window(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("readiness:window_list")


class WindowUpdateView(ScopedObjectMixin, WindowCreateView):
    model = InspectionWindow

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.window = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {name: getattr(self.window, name) for name in services.WINDOW_FIELDS}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"object": self.window}

    def perform(self, form):
        return services.update_window(window=self.window, actor=self.request.user, **form.cleaned_data)


def _readiness_user_or_404(user) -> None:
    """Detail pages of readiness answer 404 (not 403) to a user without a readiness role: nothing to see here."""
    if not scope_of(user).has_role(*READINESS_ROLES):
        raise Http404("对象不存在或无权访问")


class DualReadinessView(RoleRequiredMixin, generic.TemplateView):
    """双迎: each title's readiness of one unit side by side (campaigns of the unit running at the same time)."""

    template_name = "readiness/dual.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        _readiness_user_or_404(user)
        campaign = Campaign.objects.visible_to(user).select_related("unit", "standard").filter(pk=kwargs["pk"]).first()
        if campaign is None:
            raise Http404("对象不存在或无权访问")
        return super().get_context_data(**kwargs) | {
            "campaign": campaign,
            "columns": civil.dual_readiness(user, campaign),
            "can_manage": can_manage_windows(user),
        }


class MinorsListView(ScopedListView):
    model = MinorsResult
    template_name = "readiness/minors_list.html"
    required_roles = READINESS_ROLES

    def get_queryset(self):
        return super().get_queryset().select_related("campaign__unit", "standard")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"can_manage": can_manage_windows(self.request.user)}


class MinorsCreateView(ServiceFormView):
    form_class = MinorsResultForm
    template_name = "readiness/minors_form.html"
    required_roles = tuple(OFFICE_ROLES)
    success_message = "未成年人测评结果已保存"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_initial(self):
        return {"year": timezone.localdate().year, "threshold": 85, "weight_percent": 20}

    def perform(self, form):
        return minors_services.record_minors_result(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("readiness:minors_list")


class MinorsUpdateView(ScopedObjectMixin, MinorsCreateView):
    model = MinorsResult

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.result = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"campaign_required": False}

    def get_initial(self):
        return {name: getattr(self.result, name) for name in minors_services.FIELDS}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"object": self.result}

    def perform(self, form):
        return minors_services.update_minors_result(result=self.result, actor=self.request.user, **form.cleaned_data)
