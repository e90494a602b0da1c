"""Questionnaire indicators (results per indicator × area × month, xlsx) and the 入户 surveyor's phone page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from chuangcheng.accounts.models import OFFICE_ROLES, Role
from chuangcheng.core.errors import DomainError
from chuangcheng.core.tabular import XLSX_CONTENT_TYPE, write_xlsx
from chuangcheng.core.views import RoleRequiredMixin
from chuangcheng.places.models import Area
from chuangcheng.public import indicators, selectors
from chuangcheng.public.models import Indicator, Survey, SurveyStatus
from chuangcheng.public.services import sampling
from chuangcheng.public.views.surveys import answers_from_post

OFFICE = tuple(OFFICE_ROLES)
SURVEYORS = (*OFFICE, Role.INSPECTOR)
EXPORT_HEADERS = ("指标", "区域", "月份", "计为“是”", "有效作答", "比率(%)", "95%置信下限(%)", "95%置信上限(%)")


def _filters(request):
    surveys = Survey.objects.visible_to(request.user)
    survey_id = request.GET.get("survey") or ""
    if survey_id.isdigit():
        surveys = surveys.filter(pk=int(survey_id))
    area = None
    area_id = request.GET.get("area") or ""
    if area_id.isdigit():
        area = Area.objects.visible_to(request.user).filter(pk=int(area_id)).first()
        if area is None:
            raise Http404("区域不存在")
    indicator = request.GET.get("indicator") or ""
    if indicator not in Indicator.values:
        indicator = ""
    return surveys, area, indicator


class IndicatorResultsView(RoleRequiredMixin, View):
    required_roles = OFFICE

    def get(self, request):
        surveys, area, indicator = _filters(request)
        rows = indicators.indicator_results(surveys=surveys, area=area, indicator=indicator)
        if request.GET.get("format") == "xlsx":
            content = write_xlsx(
                title="问卷指标结果",
                headers=EXPORT_HEADERS,
                rows=(
                    (r.label, r.area, r.month, r.yes, r.scored, r.percent, r.low_percent, r.high_percent) for r in rows
                ),
            )
            response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
            stamp = timezone.localdate().strftime("%Y%m%d")
            response["Content-Disposition"] = f"attachment; filename*=UTF-8''survey-indicators-{stamp}.xlsx"
            return response
        context = {
            "rows": rows,
            "ci_method": indicators.CI_METHOD,
            "indicators": Indicator.choices,
            "areas": selectors.survey_scope_areas(),
            "surveys": Survey.objects.visible_to(request.user).order_by("-created_at")[:200],
            "selected": {
                "area": area.pk if area else "",
                "indicator": indicator,
                "survey": request.GET.get("survey", ""),
            },
            "query": request.GET.urlencode(),
        }
        return render(request, "public/survey_indicators.html", context)


class SurveyCollectView(RoleRequiredMixin, View):
    """A surveyor (督查员 or the office) records one household's answers on a phone."""

    required_roles = SURVEYORS

    def _survey(self, request, pk):
        survey = Survey.objects.visible_to(request.user).filter(pk=pk, status=SurveyStatus.PUBLISHED).first()
        if survey is None:
            raise Http404("问卷不存在或未在进行中")
        return survey

    def _context(self, survey, **extra):
        progress = indicators.quota_progress(survey)
        areas = [item["quota"].area for item in progress] or selectors.survey_areas()
        return {"survey": survey, "questions": survey.questions.all(), "areas": areas, "progress": progress} | extra

    def get(self, request, pk):
        survey = self._survey(request, pk)
        return render(request, "public/survey_collect.html", self._context(survey, posted={}))

    def post(self, request, pk):
        survey = self._survey(request, pk)
        context = self._context(survey)
        area_id = request.POST.get("area") or ""
        area = next((a for a in context["areas"] if area_id.isdigit() and a.pk == int(area_id)), None)
        try:
            sampling.collect_response(
                survey=survey,
                actor=request.user,
                area=area,
                household_ref=request.POST.get("household_ref", ""),
                answers=answers_from_post(survey, request.POST),
            )
        except DomainError as exc:
            context |= {"error": exc.message, "posted": request.POST}
            return render(request, "public/survey_collect.html", context, status=exc.status_code)
        messages.success(request, "已保存该户答卷，可继续录入下一户")
        return redirect("public:survey_collect", pk=survey.pk)


class SurveyCollectListView(RoleRequiredMixin, View):
    required_roles = SURVEYORS

    def get(self, request):
        surveys = Survey.objects.visible_to(request.user).filter(status=SurveyStatus.PUBLISHED)
        return render(request, "public/survey_collect_list.html", {"surveys": surveys.order_by("-published_at")[:100]})
