"""Pages: responsibility letters, leader assignments (with a page per leader), 门前三包 pledges."""

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from chuangcheng.campaigns import permissions, selectors, services
from chuangcheng.campaigns.filters import LetterFilterSet, PledgeFilterSet
from chuangcheng.campaigns.forms import LeaderAssignmentForm, LetterForm, PledgeForm, ScanForm
from chuangcheng.campaigns.models import FrontagePledge, ResponsibilityLetter
from chuangcheng.core.params import year_param
from chuangcheng.core.scoping import scope_of
from chuangcheng.core.views import (
    DetailFormPostMixin,
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
)

PAGE_ROLES = ("office_admin", "office_staff", "leader", "unit_head", "unit_handler")
OFFICE = ("office_admin", "office_staff")


class FormPageMixin:
    title = ""
    back_name = "campaigns:index"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": self.title, "back_url": reverse(self.back_name)}


class LetterListView(ScopedListView):
    model = ResponsibilityLetter
    filterset_class = LetterFilterSet
    template_name = "campaigns/letter_list.html"
    required_roles = PAGE_ROLES

    def get_queryset(self):
        return super().get_queryset().select_related("unit")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"can_manage": permissions.can_manage_letters(self.request.user)}


class LetterCreateView(FormPageMixin, ServiceFormView):
    form_class = LetterForm
    template_name = "campaigns/form.html"
    required_roles = OFFICE
    success_message = "目标责任书已下达"
    title = "下达目标责任书"
    back_name = "campaigns:letter_list"

    def perform(self, form):
        return services.create_letter(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("campaigns:letter_detail", args=[self.object.pk])


class LetterDetailView(DetailFormPostMixin, ScopedDetailView):
    model = ResponsibilityLetter
    template_name = "campaigns/letter_detail.html"
    required_roles = PAGE_ROLES
    post_form_class = ScanForm
    success_message = "签字盖章件已上传"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or ScanForm()
        context["can_upload"] = permissions.can_upload_letter_scan(self.request.user, self.object)
        return context

    def perform(self, form):
        return services.attach_letter_scan(letter=self.object, actor=self.request.user, **form.cleaned_data)


class LetterScanView(ScopedDetailView):
    """The signed scan, served only to users who can see the letter."""

    model = ResponsibilityLetter
    required_roles = PAGE_ROLES

    def get(self, request, *args, **kwargs):
        letter = self.get_object()
        if not letter.scan:
            raise Http404("尚未上传扫描件")
        return FileResponse(letter.scan.open("rb"), filename=letter.scan_name or letter.scan.name)


class LeaderListView(RoleRequiredMixin, generic.TemplateView):
    template_name = "campaigns/leader_list.html"
    required_roles = PAGE_ROLES

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "leaders": selectors.leaders_with_counts(user),
            "can_manage": permissions.can_manage_leaders(user),
        }


class LeaderAssignView(FormPageMixin, ServiceFormView):
    form_class = LeaderAssignmentForm
    template_name = "campaigns/form.html"
    required_roles = OFFICE
    success_message = "包抓已安排"
    title = "安排领导包抓"
    back_name = "campaigns:leader_list"

    def perform(self, form):
        return services.assign_leader(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("campaigns:leader_detail", args=[self.object.leader_id])


class LeaderDetailView(RoleRequiredMixin, generic.TemplateView):
    """A page per leader: the areas and units they are in charge of, and those units' open tasks."""

    template_name = "campaigns/leader_detail.html"
    required_roles = PAGE_ROLES + ("leader",)

    def get_context_data(self, **kwargs):
        user = self.request.user
        leader = selectors.user_by_id(self.kwargs["pk"])
        if leader is None:
            raise Http404("对象不存在或无权访问")
        overview = selectors.leader_overview(user=user, leader=leader)
        if not overview["assignments"] and not overview["past"] and leader.pk != user.pk:
            if not scope_of(user).sees_all:
                raise Http404("对象不存在或无权访问")
        return (
            super().get_context_data(**kwargs)
            | overview
            | {
                "leader": leader,
                "today": timezone.localdate(),
                "can_manage": permissions.can_manage_leaders(user),
            }
        )


class PledgeListView(ScopedListView):
    model = FrontagePledge
    filterset_class = PledgeFilterSet
    template_name = "campaigns/pledge_list.html"
    required_roles = PAGE_ROLES + ("grid_worker",)

    def get_queryset(self):
        return super().get_queryset().select_related("site", "street")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = year_param(self.request.GET)
        context["year"] = year
        context["streets"] = selectors.pledge_counts_by_street(user=self.request.user, year=year)
        return context


class PledgeCreateView(FormPageMixin, ServiceFormView):
    form_class = PledgeForm
    template_name = "campaigns/form.html"
    required_roles = PAGE_ROLES + ("grid_worker",)
    success_message = "门前三包已登记"
    title = "登记门前三包"
    back_name = "campaigns:pledge_list"

    def perform(self, form):
        return services.create_pledge(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("campaigns:pledge_list")
