"""Pages for periods: list, preview/detail with rankings, compute/publish, unit score lines, indicators."""

from collections import OrderedDict

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.views import generic

from chuangcheng.accounts.models import OFFICE_ROLES
from chuangcheng.assessments import documents, selectors, services
from chuangcheng.assessments.filters import PeriodFilterSet
from chuangcheng.assessments.forms import PeriodForm
from chuangcheng.assessments.indicators import BY_CODE, GRADE_BANDS_SOURCE, INDICATORS, display_value
from chuangcheng.assessments.models import IndicatorResult, Period, PeriodStatus, ScoreLine, UnitScore
from chuangcheng.assessments.permissions import can_compute_period, can_manage_assessments, can_publish_period
from chuangcheng.core.errors import DomainError
from chuangcheng.core.scoping import scope_of
from chuangcheng.core.tabular import XLSX_CONTENT_TYPE
from chuangcheng.core.views import (
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ServiceFormView,
)


def case_url(case_id) -> str:
    if not case_id:
        return ""
    for name in ("cases:detail", "cases:case_detail"):
        try:
            return reverse(name, args=[case_id])
        except NoReverseMatch:
            continue
    return ""


class PeriodListView(ScopedListView):
    model = Period
    filterset_class = PeriodFilterSet
    template_name = "assessments/period_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("scheme").order_by("-end", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_manage"] = can_manage_assessments(user)
        own = UnitScore.objects.visible_to(user).filter(
            period__in=context["object_list"], unit_id__in=scope_of(user).member_unit_ids
        )
        context["my_scores"] = {score.period_id: score for score in own.select_related("unit")}
        return context


class PeriodDetailView(ScopedDetailView):
    model = Period
    template_name = "assessments/period_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("scheme")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period, user = self.object, self.request.user
        groups: OrderedDict[str, list] = OrderedDict()
        for score in selectors.ranking(period):
            groups.setdefault(score.group, []).append(score)
        visible = set(UnitScore.objects.visible_to(user).filter(period=period).values_list("id", flat=True))
        context.update(
            groups=groups,
            visible_scores=visible,
            can_manage=can_manage_assessments(user),
            can_compute=can_compute_period(user, period),
            can_publish=can_publish_period(user, period),
            intact=selectors.period_is_intact(period) if period.is_published else None,
            doc_number=documents.doc_number(period),
        )
        return context


class PeriodCreateView(ServiceFormView):
    form_class = PeriodForm
    template_name = "assessments/form.html"
    required_roles = tuple(OFFICE_ROLES)
    success_message = "考核周期已创建"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": "新建考核周期",
            "back": reverse("assessments:period_list"),
        }

    def perform(self, form):
        return services.create_period(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("assessments:period_detail", args=[self.object.pk])


class PeriodUpdateView(ScopedObjectMixin, PeriodCreateView):
    model = Period
    success_message = "考核周期已保存"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.period = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"editing": True}

    def get_initial(self):
        return {name: getattr(self.period, name) for name in PeriodForm.Meta.fields if name != "scheme"}

    def get_context_data(self, **kwargs):
        back = reverse("assessments:period_detail", args=[self.period.pk])
        return super().get_context_data(**kwargs) | {"title": f"编辑：{self.period.name}", "back": back}

    def perform(self, form):
        return services.update_period(period=self.period, actor=self.request.user, **form.cleaned_data)


class PeriodActionView(RoleRequiredMixin, ScopedObjectMixin, generic.View):
    """POST compute | publish."""

    model = Period
    required_roles = tuple(OFFICE_ROLES)

    def post(self, request, pk, verb):
        period = self.get_object()
        try:
            if verb == "compute":
                period = services.request_period_computation(period=period, actor=request.user)
                period.refresh_from_db()
                done = period.status == PeriodStatus.COMPUTED
                messages.success(request, "计算完成，请预览后发布" if done else "已提交后台计算，请稍后刷新")
            elif verb == "publish":
                services.publish_period(period=period, actor=request.user)
                messages.success(request, "已发布：结果已冻结并记录内容哈希")
            else:
                raise Http404
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("assessments:period_detail", pk=period.pk)


class BulletinView(RoleRequiredMixin, ScopedObjectMixin, generic.View):
    model = Period

    def get(self, request, pk):
        period = self.get_object()
        response = HttpResponse(documents.bulletin_docx(period), content_type=documents.DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, f"{period.name}通报.docx".replace("/", "-"))
        return response


class LedgerView(RoleRequiredMixin, ScopedObjectMixin, generic.View):
    model = Period
    required_roles = tuple(OFFICE_ROLES)

    def get(self, request, pk):
        period = self.get_object()
        response = HttpResponse(documents.ledger_xlsx(period), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            True, f"{period.name}排名台账.xlsx".replace("/", "-")
        )
        return response


class ScoreDetailView(ScopedDetailView):
    """A unit's score with every line and where it came from (404 for other units)."""

    model = UnitScore
    template_name = "assessments/score_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "period", "period__scheme")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lines = list(
            ScoreLine.objects.visible_to(self.request.user)
            .filter(score=self.object)
            .select_related("rule")
            .order_by("sort")
        )
        marker = 987654321  # one reverse() for the pattern, not one per listed case
        pattern = case_url(marker)
        for line in lines:
            line.case_url = case_url(line.case_ref)
            line.cases = [
                {
                    "url": pattern.replace(str(marker), str(item[0])) if pattern else "",
                    "number": item[1],
                    "quantity": item[2],
                    "points": item[3],
                    "note": item[4] if len(item) > 4 else "",
                }
                for item in line.items or []
            ]
        indicators = list(
            IndicatorResult.objects.visible_to(self.request.user).filter(
                period=self.object.period, unit=self.object.unit
            )
        )
        for row in indicators:
            row.display = display_value(BY_CODE.get(row.code), row.value)
        context.update(lines=lines, indicators=indicators, definitions={d.code: d for d in INDICATORS})
        return context


class IndicatorView(ScopedObjectMixin, RoleRequiredMixin, generic.TemplateView):
    model = Period
    template_name = "assessments/indicators.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = self.get_object()
        rows = (
            IndicatorResult.objects.visible_to(self.request.user)
            .filter(period=period)
            .select_related("unit", "area")
            .order_by("area__level", "area__code", "unit__path", "code")
        )
        table: OrderedDict[tuple, dict] = OrderedDict()
        for row in rows:
            row.display = display_value(BY_CODE.get(row.code), row.value)
            owner = ("单位", row.unit.name) if row.unit_id else ("区域", row.area.name)
            table.setdefault(owner, {})[row.code] = row
        context.update(
            period=period,
            definitions=INDICATORS,
            table=[(kind, name, values) for (kind, name), values in table.items()],
            bands_source=GRADE_BANDS_SOURCE,
            bands=period.scheme.bands,
        )
        return context
