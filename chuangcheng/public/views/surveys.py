"""Survey pages: the office's builder and results, the residents' answer page and QR code."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from chuangcheng.accounts.models import OFFICE_ROLES
from chuangcheng.core.errors import DomainError
from chuangcheng.core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView
from chuangcheng.public import indicators, selectors
from chuangcheng.public.forms import AllocateForm, QuestionForm, QuotaForm, SurveyForm
from chuangcheng.public.models import QuestionKind, Survey, SurveyStatus
from chuangcheng.public.privacy import client_address
from chuangcheng.public.qr import qr_bytes
from chuangcheng.public.services import sampling
from chuangcheng.public.services import surveys as services
from chuangcheng.public.views.common import ensure_device, new_device_id

OFFICE = tuple(OFFICE_ROLES)


class SurveyListView(ScopedListView):
    model = Survey
    template_name = "public/survey_list.html"
    required_roles = OFFICE
    paginate_by = 50

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"overall": selectors.satisfaction()}


class SurveyCreateView(ServiceFormView):
    form_class = SurveyForm
    template_name = "public/survey_form.html"
    required_roles = OFFICE
    success_message = "问卷已创建"

    def perform(self, form):
        return services.create_survey(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("public:survey_detail", args=[self.object.pk])


class SurveyDetailView(ScopedDetailView):
    model = Survey
    template_name = "public/survey_detail.html"
    required_roles = OFFICE

    def get_context_data(self, **kwargs):
        survey = self.object
        link = self.request.build_absolute_uri(reverse("public:survey_answer", args=[survey.token]))
        return super().get_context_data(**kwargs) | {
            "questions": survey.questions.all(),
            "question_form": kwargs.get("question_form") or QuestionForm(),
            "link": link,
            "overall": selectors.satisfaction(survey=survey),
            "by_area": selectors.satisfaction_by_area_month(survey=survey),
            "breakdown": selectors.question_breakdown(survey),
            "is_draft": survey.status == SurveyStatus.DRAFT,
            "progress": indicators.quota_progress(survey),
            "quota_form": QuotaForm(),
            "allocate_form": AllocateForm(),
        }

    def post(self, request, *args, **kwargs):
        self.object = survey = self.get_object()
        action = request.POST.get("action")
        try:
            if action == "add_question":
                form = QuestionForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(question_form=form), status=400)
                services.add_question(survey=survey, actor=request.user, **form.cleaned_data)
                messages.success(request, "题目已添加")
            elif action == "delete_question":
                question = survey.questions.filter(pk=request.POST.get("question")).first()
                if question is None:
                    raise Http404("题目不存在")
                services.delete_question(question=question, actor=request.user)
                messages.success(request, "题目已删除")
            elif action == "publish":
                services.publish_survey(survey=survey, actor=request.user)
                messages.success(request, "问卷已发布，可分享链接或二维码")
            elif action == "set_quota":
                form = QuotaForm(request.POST)
                if not form.is_valid():
                    raise DomainError("请选择区域并填写 0-1000000 之间的配额（户）", field="households")
                sampling.set_quota(survey=survey, actor=request.user, **form.cleaned_data)
                messages.success(request, "入户配额已保存")
            elif action == "allocate":
                form = AllocateForm(request.POST)
                if not form.is_valid():
                    raise DomainError("请填写总样本量（户）并选择区域", field="total")
                sampling.allocate_quotas(survey=survey, actor=request.user, **form.cleaned_data)
                messages.success(request, "已按人口比例分配入户配额")
            elif action == "close":
                services.close_survey(survey=survey, actor=request.user)
                messages.success(request, "问卷已结束")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("public:survey_detail", pk=survey.pk)


class SurveyQRView(RoleRequiredMixin, View):
    """The answer link as a QR code, generated locally (SVG, or PNG with ``?format=png``)."""

    required_roles = OFFICE

    def get(self, request, pk):
        survey = Survey.objects.visible_to(request.user).filter(pk=pk).first()
        if survey is None:
            raise Http404("问卷不存在")
        return qr_response(request.build_absolute_uri(reverse("public:survey_answer", args=[survey.token])), request)


def qr_response(link: str, request) -> HttpResponse:
    content, content_type = qr_bytes(link, fmt="png" if request.GET.get("format") == "png" else "svg")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = "inline"
    return response


def survey_qr_public(request, token):
    survey = selectors.published_survey(token)
    if survey is None:
        raise Http404("问卷不存在")
    return qr_response(request.build_absolute_uri(reverse("public:survey_answer", args=[survey.token])), request)


def answers_from_post(survey, post) -> dict:
    answers = {}
    for question in survey.questions.all():
        key = f"q{question.pk}"
        answers[question.pk] = post.getlist(key) if question.kind == QuestionKind.MULTIPLE else post.get(key, "")
    return answers


def survey_answer(request, token):
    survey = selectors.published_survey(token)
    if survey is None:
        raise Http404("问卷不存在或尚未发布")
    areas = selectors.survey_areas() if survey.ask_area else []
    context = {"survey": survey, "questions": survey.questions.all(), "areas": areas, "error": "", "posted": {}}
    status = 200
    if request.method == "POST":
        if request.POST.get("website"):
            context["error"] = "提交失败，请刷新页面后重试"
            return render(request, "public/survey_answer.html", context, status=400)
        area = None
        area_id = request.POST.get("area") or ""
        if area_id.isdigit():
            area = next((a for a in areas if a.pk == int(area_id)), None)
        try:
            services.submit_response(
                survey=survey,
                answers=answers_from_post(survey, request.POST),
                area=area,
                phone=request.POST.get("phone", ""),
                device_id=new_device_id(request),
                client_address=client_address(request),
            )
        except DomainError as exc:
            context["error"] = exc.message
            context["posted"] = request.POST
            status = exc.status_code
        else:
            response = render(request, "public/survey_thanks.html", {"survey": survey})
            ensure_device(request, response)
            return response
    response = render(request, "public/survey_answer.html", context, status=status)
    ensure_device(request, response)
    return response
