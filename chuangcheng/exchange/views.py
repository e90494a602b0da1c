"""Pages: endpoints (list, create, edit, rotate the secret), the exchange log with resend, 转派外部系统
from a case, and the signed photo links the other systems fetch."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views import View

from chuangcheng.accounts.models import OFFICE_ROLES, Role
from chuangcheng.cases.models import Case
from chuangcheng.core.errors import DomainError
from chuangcheng.core.views import RoleRequiredMixin, ScopedListView, ScopedObjectMixin
from chuangcheng.exchange import selectors
from chuangcheng.exchange.filters import ExchangeFilter
from chuangcheng.exchange.forms import EndpointForm, SendCaseForm
from chuangcheng.exchange.models import Endpoint, Exchange
from chuangcheng.exchange.permissions import can_configure_endpoints, can_manage_exchange
from chuangcheng.exchange.services import endpoints, outbox, triggers

FORM_FIELDS = (
    "name", "kind", "url", "unit", "manual_only", "rule_categories", "rule_areas", "rule_units", "rule_sources",
    "open311_jurisdiction", "open311_api_key", "pull_every_minutes", "is_active",
)  # fmt: skip


class EndpointListView(ScopedListView):
    required_roles = tuple(OFFICE_ROLES)
    model = Endpoint
    template_name = "exchange/endpoint_list.html"
    context_object_name = "endpoints"

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "actor")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_configure"] = can_configure_endpoints(self.request.user)
        return context


class EndpointFormView(RoleRequiredMixin, ScopedObjectMixin, View):
    """Create (no pk) or edit an endpoint; a new endpoint's secret is shown once."""

    required_roles = (Role.OFFICE_ADMIN,)
    model = Endpoint
    template_name = "exchange/endpoint_form.html"

    def _instance(self):
        return self.get_object() if "pk" in self.kwargs else None

    def get(self, request, pk=None):
        instance = self._instance()
        return render(request, self.template_name, {"form": EndpointForm(instance=instance), "object": instance})

    def post(self, request, pk=None):
        instance = self._instance()
        if request.POST.get("action") == "rotate" and instance is not None:
            try:
                instance, secret = endpoints.rotate_secret(actor=request.user, endpoint=instance)
            except DomainError as exc:
                messages.error(request, exc.message)
                return redirect("exchange:endpoint_update", pk=instance.pk)
            form = EndpointForm(instance=instance)
            return render(request, self.template_name, {"form": form, "object": instance, "secret": secret})
        form = EndpointForm(request.POST, instance=instance)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "object": instance}, status=400)
        values = {name: form.cleaned_data[name] for name in FORM_FIELDS}
        try:
            if instance is None:
                instance, secret = endpoints.create_endpoint(
                    actor=request.user, code=form.cleaned_data["code"], **values
                )
                context = {"form": EndpointForm(instance=instance), "object": instance, "secret": secret}
                return render(request, self.template_name, context, status=201)
            endpoints.update_endpoint(actor=request.user, endpoint=instance, **values)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return render(request, self.template_name, {"form": form, "object": instance}, status=exc.status_code)
        messages.success(request, "已保存")
        return redirect("exchange:endpoint_list")


class ExchangeLogView(ScopedListView):
    """Every exchange, both ways (the office; others see only the rows of cases they see)."""

    model = Exchange
    template_name = "exchange/log.html"
    context_object_name = "rows"
    filterset_class = ExchangeFilter

    def get_queryset(self):
        return super().get_queryset().select_related("case", "endpoint").order_by("-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_retry"] = can_manage_exchange(self.request.user)
        return context


class RetryView(RoleRequiredMixin, ScopedObjectMixin, View):
    required_roles = tuple(OFFICE_ROLES)
    model = Exchange

    def post(self, request, pk):
        try:
            outbox.retry_message(actor=request.user, message=self.get_object())
            messages.success(request, "已重新排队发送")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(request.POST.get("next") or "exchange:log")


class SendCaseView(RoleRequiredMixin, ScopedObjectMixin, View):
    """转派外部系统 (the form is on the case page)."""

    required_roles = tuple(OFFICE_ROLES)
    model = Case

    def post(self, request, pk):
        case = self.get_object()
        form = SendCaseForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请选择外部系统")
        else:
            try:
                triggers.send_case(actor=request.user, case=case, endpoint=form.cleaned_data["endpoint"])
                messages.success(request, f"已转派至“{form.cleaned_data['endpoint'].name}”，正在推送")
            except DomainError as exc:
                messages.error(request, exc.message)
        return redirect("cases:detail", pk=case.pk)


def photo(request, token: str):
    """A case photo for the other system: a signed, expiring link to the EXIF-free copy only."""
    item = selectors.photo_for_token(token)
    image = (item.public_image or item.thumbnail) if item is not None else None
    if not image:
        raise Http404("链接无效、已过期或照片不存在")
    return FileResponse(image.open("rb"), content_type="image/jpeg")
