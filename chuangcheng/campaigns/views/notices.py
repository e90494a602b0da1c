"""Pages of the 抄告单: the office issues, lists, closes and downloads; the addressed unit signs and replies."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views import generic

from chuangcheng.campaigns import permissions, services
from chuangcheng.campaigns.filters import NoticeFilterSet
from chuangcheng.campaigns.notice_documents import notice_docx, notice_filename
from chuangcheng.campaigns.notice_forms import NoticeCloseForm, NoticeForm, NoticeReplyForm
from chuangcheng.campaigns.notice_models import Notice
from chuangcheng.campaigns.views.responsibility import OFFICE, FormPageMixin
from chuangcheng.core.errors import DomainError
from chuangcheng.core.officialdoc import DOCX_CONTENT_TYPE
from chuangcheng.core.views import (
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ServiceFormView,
)

NOTICE_ROLES = ("office_admin", "office_staff", "leader", "unit_head", "unit_handler")


class NoticeListView(ScopedListView):
    model = Notice
    filterset_class = NoticeFilterSet
    template_name = "campaigns/notice_list.html"
    required_roles = NOTICE_ROLES

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "principal")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "can_issue": permissions.can_issue_notices(self.request.user),
            "today": timezone.localdate(),
        }


class NoticeCreateView(FormPageMixin, ServiceFormView):
    form_class = NoticeForm
    template_name = "campaigns/form.html"
    required_roles = OFFICE
    success_message = "抄告单已发出"
    title = "发出抄告单"
    back_name = "campaigns:notice_list"

    def perform(self, form):
        return services.issue_notice(actor=self.request.user, **form.service_kwargs())

    def get_success_url(self):
        return reverse("campaigns:notice_detail", args=[self.object.pk])


class NoticeDetailView(ScopedDetailView):
    model = Notice
    template_name = "campaigns/notice_detail.html"
    required_roles = NOTICE_ROLES

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "principal", "issued_by", "signed_by", "replied_by")

    def get_context_data(self, **kwargs):
        user, notice = self.request.user, self.object
        return super().get_context_data(**kwargs) | {
            "cases": notice.cases.select_related("lead_unit").order_by("number"),
            "events": notice.events.select_related("actor"),
            "can_answer": permissions.can_answer_notice(user, notice),
            "can_close": permissions.can_close_notice(user, notice),
            "reply_form": kwargs.get("reply_form") or NoticeReplyForm(),
            "close_form": kwargs.get("close_form") or NoticeCloseForm(),
            "today": timezone.localdate(),
        }


class NoticeActionView(NoticeDetailView):
    """POST ``action`` = sign | reply | close; refusals for the role answer 403, other errors land on the form."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = notice = self.get_object()
        action = request.POST.get("action")
        forms = {}
        try:
            if action == "sign":
                services.sign_notice(actor=request.user, notice=notice)
                messages.success(request, "已签收")
            elif action == "reply":
                form = forms["reply_form"] = NoticeReplyForm(request.POST, request.FILES)
                if not form.is_valid():
                    return self._again(forms)
                services.reply_notice(actor=request.user, notice=notice, **form.cleaned_data)
                messages.success(request, "已回复")
            elif action == "close":
                form = forms["close_form"] = NoticeCloseForm(request.POST)
                if not form.is_valid():
                    return self._again(forms)
                services.close_notice(actor=request.user, notice=notice, **form.cleaned_data)
                messages.success(request, "抄告单已办结")
            else:
                raise Http404("未知操作")
        except DomainError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
            form = next(iter(forms.values()), None)
            if form is None:
                messages.error(request, exc.message)
                return redirect("campaigns:notice_detail", notice.pk)
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self._again(forms)
        return redirect("campaigns:notice_detail", notice.pk)

    def _again(self, forms):
        return self.render_to_response(self.get_context_data(**forms), status=400)


class NoticeDocxView(RoleRequiredMixin, ScopedObjectMixin, generic.View):
    model = Notice
    required_roles = NOTICE_ROLES

    def get(self, request, pk):
        notice = self.get_object()
        response = HttpResponse(notice_docx(notice), content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, notice_filename(notice))
        return response


class NoticeReplyFileView(ScopedDetailView):
    """The unit's reply attachment, served only to users who can see the notice."""

    model = Notice
    required_roles = NOTICE_ROLES

    def get(self, request, *args, **kwargs):
        notice = self.get_object()
        if not notice.reply_file:
            raise Http404("没有回复附件")
        return FileResponse(notice.reply_file.open("rb"), filename=notice.reply_file_name or notice.reply_file.name)
