"""Browsing: the index, a standard as a searchable tree, item/indicator detail, compare."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import generic

from chuangcheng.standards.comparison import compare_versions
from chuangcheng.standards.filters import StandardFilterSet
from chuangcheng.standards.models import (
    CheckItem,
    Indicator,
    IndicatorEvidence,
    IndicatorReport,
    Standard,
    StandardKind,
    StandardStatus,
)
from chuangcheng.standards.permissions import can_edit_standards, can_report_indicators
from chuangcheng.standards.selectors import (
    evaluation_summary,
    indicator_board,
    other_versions,
    quotas_of,
    sampling_totals,
    standard_tree,
)
from chuangcheng.standards.services.manual_io import MANUAL_KINDS


class StandardListView(LoginRequiredMixin, generic.TemplateView):
    template_name = "standards/standard_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = StandardFilterSet(self.request.GET or None, queryset=Standard.objects.all())
        standards = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        groups = []
        by_kind: dict[str, list[Standard]] = {}
        for standard in standards.order_by("kind", "code", "-effective_date", "-id"):
            by_kind.setdefault(standard.kind, []).append(standard)
        for value, label in StandardKind.choices:
            if value in by_kind:
                groups.append((label, by_kind[value]))
        context.update(filter=filterset, groups=groups, can_edit=can_edit_standards(self.request.user))
        return context


class StandardDetailView(LoginRequiredMixin, generic.DetailView):
    model = Standard
    template_name = "standards/standard_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        standard = self.object
        q = self.request.GET.get("q", "").strip()
        context.update(
            q=q,
            tree=standard_tree(standard, q),
            quotas=quotas_of(standard),
            totals=sampling_totals(standard),
            can_edit=can_edit_standards(self.request.user),
            is_draft=standard.status == StandardStatus.DRAFT,
            versions=other_versions(standard),
            can_report=can_report_indicators(self.request.user),
            evaluation=evaluation_summary(standard),
            manual_kind=standard.kind in MANUAL_KINDS,
        )
        return context


class CheckItemDetailView(LoginRequiredMixin, generic.DetailView):
    model = CheckItem
    template_name = "standards/item_detail.html"

    def get_queryset(self):
        return CheckItem.objects.select_related("standard", "clause").prefetch_related("site_categories")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = can_edit_standards(self.request.user)
        context["is_draft"] = self.object.standard.status == StandardStatus.DRAFT
        return context


class IndicatorDetailView(LoginRequiredMixin, generic.DetailView):
    model = Indicator
    template_name = "standards/indicator_detail.html"

    def get_queryset(self):
        return Indicator.objects.select_related("standard", "clause")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indicator = self.object
        rows = [
            row for row in indicator_board(indicator.standard, self.request.user) if row.indicator.pk == indicator.pk
        ]
        context.update(
            cells=rows[0].cells if rows else [],
            can_edit=can_edit_standards(self.request.user),
            is_draft=indicator.standard.status == StandardStatus.DRAFT,
            can_report=can_report_indicators(self.request.user),
        )
        return context


class CompareView(LoginRequiredMixin, generic.TemplateView):
    template_name = "standards/compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        standards = Standard.objects.order_by("kind", "code", "-id")
        a_id, b_id = self.request.GET.get("a", ""), self.request.GET.get("b", "")
        context["standards"] = standards
        context["a_id"], context["b_id"] = a_id, b_id
        if a_id.isdigit() and b_id.isdigit():
            a = get_object_or_404(Standard, pk=int(a_id))
            b = get_object_or_404(Standard, pk=int(b_id))
            context.update(a=a, b=b, result=compare_versions(a, b))
        return context


class EvidenceDownloadView(LoginRequiredMixin, generic.View):
    """Evidence files are served only to users who can see the report (404 otherwise)."""

    def get(self, request, pk):
        evidence = IndicatorEvidence.objects.visible_to(request.user).filter(pk=pk).first()
        if evidence is None or not IndicatorReport.objects.visible_to(request.user).filter(pk=evidence.report_id):
            raise Http404("对象不存在或无权访问")
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)
