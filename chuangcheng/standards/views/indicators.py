"""The indicator board and reporting a value."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic

from chuangcheng.core.views import ServiceFormView
from chuangcheng.standards import services
from chuangcheng.standards.forms import JudgeForm, ReportForm
from chuangcheng.standards.models import Indicator, IndicatorReport, Operator, Standard, StandardKind
from chuangcheng.standards.permissions import can_edit_standards, can_report_indicators
from chuangcheng.standards.selectors import current_standard, indicator_board, reportable_units


class IndicatorBoardView(LoginRequiredMixin, generic.TemplateView):
    template_name = "standards/indicator_board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        standard_id = self.request.GET.get("standard", "")
        if standard_id.isdigit():
            standard = get_object_or_404(Standard, pk=int(standard_id))
        else:
            standard = current_standard(StandardKind.SANITARY_CITY)
        hard_only = self.request.GET.get("hard") == "1"
        rows = indicator_board(standard, self.request.user, hard_only=hard_only) if standard else []
        context.update(
            standard=standard,
            rows=rows,
            hard_only=hard_only,
            standards=Standard.objects.order_by("kind", "code", "-id"),
            can_report=can_report_indicators(self.request.user),
            reported=sum(1 for row in rows if row.cells),
        )
        return context


class ReportIndicatorView(ServiceFormView):
    form_class = ReportForm
    template_name = "standards/report_form.html"
    success_message = "已填报"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not can_report_indicators(request.user):
            raise PermissionDenied("您的角色无权填报指标")
        self.indicator = get_object_or_404(Indicator.objects.select_related("standard"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        units = reportable_units(self.request.user)
        return super().get_form_kwargs() | {"units": units, "indicator": self.indicator}

    def get_initial(self):
        units = reportable_units(self.request.user)
        return {"unit": units.first() if units.count() == 1 else None}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"indicator": self.indicator}

    def perform(self, form):
        data = dict(form.cleaned_data)
        upload = data.pop("evidence")
        return services.report_indicator(
            actor=self.request.user,
            indicator=self.indicator,
            evidence=[upload] if upload else [],
            **data,
        )

    def get_success_url(self):
        return reverse("standards:indicator_detail", args=[self.indicator.pk])


class JudgeReportView(ServiceFormView):
    """The office's verdict on a value of an indicator judged by a person (e.g. 2021 items 49–54)."""

    form_class = JudgeForm
    template_name = "standards/judge_form.html"
    success_message = "已判定"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not can_edit_standards(request.user):
            raise PermissionDenied("只有创建办可以人工判定指标")
        self.report = get_object_or_404(
            IndicatorReport.objects.visible_to(request.user).select_related("indicator__standard", "unit"),
            pk=kwargs["pk"],
            indicator__operator=Operator.MANUAL,
        )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"verdict": self.report.manual_verdict or None, "reason": self.report.manual_reason}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"report": self.report, "indicator": self.report.indicator}

    def perform(self, form):
        return services.judge_manually(actor=self.request.user, report=self.report, **form.cleaned_data)

    def get_success_url(self):
        return reverse("standards:indicator_detail", args=[self.report.indicator_id])
