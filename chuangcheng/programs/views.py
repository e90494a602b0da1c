"""Pages for campaigns: list, detail, create, edit, close. Thin adapters over selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.views import generic

from chuangcheng.accounts.models import OFFICE_ROLES, Role
from chuangcheng.accounts.permissions import is_office
from chuangcheng.core.errors import DomainError
from chuangcheng.core.scoping import scope_of
from chuangcheng.core.views import (
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ServiceFormView,
)
from chuangcheng.programs import selectors, services
from chuangcheng.programs.filters import CampaignFilterSet
from chuangcheng.programs.forms import CampaignForm, CloseForm
from chuangcheng.programs.models import Campaign
from chuangcheng.programs.permissions import can_manage_campaign

FIELDS = ("name", "title", "standard", "office_unit", "parent", "status", "starts_on", "ends_on", "description")
VIEW_ROLES = tuple(OFFICE_ROLES) + ("leader", "unit_head", "unit_handler")


class CampaignListView(ScopedListView):
    model = Campaign
    template_name = "programs/campaign_list.html"
    filterset_class = CampaignFilterSet
    required_roles = VIEW_ROLES

    def get_queryset(self):
        self.queryset = selectors.campaign_list(self.request.user).prefetch_related("windows")
        return super().get_queryset()

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context["can_create"] = is_office(user)
        context["rows"] = [(c, can_manage_campaign(user, c)) for c in context["object_list"]]
        return context


class CampaignDetailView(ScopedDetailView):
    model = Campaign
    template_name = "programs/campaign_detail.html"
    required_roles = VIEW_ROLES

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "standard", "office_unit", "parent", "created_by")

    def get_context_data(self, **kwargs):
        campaign = self.object
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "can_manage": can_manage_campaign(user, campaign),
            "counts": selectors.owned_counts(campaign),
            "windows": list(campaign.windows.order_by("earliest", "id")),
            "children": list(
                Campaign.objects.visible_to(user).filter(parent=campaign).select_related("unit").order_by("unit__path")
            ),
            "close_form": CloseForm(),
            # 双迎: the campaigns of the same unit running at the same time (readiness shows them side by side)
            "concurrent": selectors.concurrent_campaigns(campaign, user),
            "sees_readiness": scope_of(user).has_role(*OFFICE_ROLES, Role.LEADER),
        }


class CampaignCreateView(ServiceFormView):
    form_class = CampaignForm
    template_name = "programs/campaign_form.html"
    required_roles = tuple(OFFICE_ROLES)
    success_message = "创建活动已保存"
    instance = None

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user, "instance": self.instance}

    def perform(self, form):
        return services.create_campaign(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("programs:detail", args=[self.object.pk])


class CampaignUpdateView(ScopedObjectMixin, CampaignCreateView):
    model = Campaign

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.instance = self.get_object()
            if not can_manage_campaign(request.user, self.instance):
                raise PermissionDenied("只有本级或上级创建办可以修改创建活动")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = {name: getattr(self.instance, name) for name in FIELDS}
        return initial | {"code": self.instance.code, "unit": self.instance.unit}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"object": self.instance}

    def perform(self, form):
        data = {name: form.cleaned_data[name] for name in FIELDS}
        return services.update_campaign(campaign=self.instance, actor=self.request.user, **data)


class CampaignCloseView(RoleRequiredMixin, ScopedObjectMixin, generic.View):
    model = Campaign
    required_roles = tuple(OFFICE_ROLES)

    def post(self, request, pk):
        campaign = self.get_object()
        form = CloseForm(request.POST)
        ends_on = form.cleaned_data.get("ends_on") if form.is_valid() else None
        try:
            services.close_campaign(campaign=campaign, actor=request.user, ends_on=ends_on)
        except DomainError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
            messages.error(request, exc.message)
        else:
            messages.success(request, "创建活动已结束")
        return redirect("programs:detail", pk=campaign.pk)
