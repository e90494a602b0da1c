"""The office administrator's integration accounts (集成账号) and their API tokens.

Writes go through ``accounts.service_accounts`` (validated and audited). A raw token is shown once, on
the page that issued it (``Cache-Control: no-store``), and never stored.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from chuangcheng.accounts import service_accounts
from chuangcheng.accounts.forms import ServiceAccountForm, TokenForm
from chuangcheng.accounts.models import ApiToken, Role, User
from chuangcheng.accounts.views.users import ADMIN_ONLY, _units
from chuangcheng.core.errors import DomainError
from chuangcheng.core.views import RoleRequiredMixin, ServiceFormView


def _service_account_or_404(pk) -> User:
    return get_object_or_404(service_accounts.accounts_with_tokens(), pk=pk)


def token_page(request, account: User, token: ApiToken, raw: str, title: str) -> HttpResponse:
    response = render(
        request, "accounts/service_token_once.html", {"account": account, "token": token, "raw": raw, "title": title}
    )
    response["Cache-Control"] = "no-store"
    return response


class ServiceAccountListView(RoleRequiredMixin, generic.ListView):
    required_roles = ADMIN_ONLY
    template_name = "accounts/service_account_list.html"
    paginate_by = 50

    def get_queryset(self):
        return service_accounts.accounts_with_tokens().order_by("-is_active", "username")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"now": timezone.now()}


class ServiceAccountCreateView(ServiceFormView):
    required_roles = ADMIN_ONLY
    form_class = ServiceAccountForm
    template_name = "accounts/user_form.html"
    success_message = "集成账号已创建，请签发令牌"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"units": _units(self.request.user)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": "新增集成账号", "service": True}

    def perform(self, form):
        return service_accounts.create_service_account(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("accounts:service_account_detail", args=[self.object.pk])


class ServiceAccountDetailView(RoleRequiredMixin, generic.TemplateView):
    required_roles = ADMIN_ONLY
    template_name = "accounts/service_account_detail.html"

    def get_context_data(self, **kwargs):
        account = _service_account_or_404(self.kwargs["pk"])
        return super().get_context_data(**kwargs) | {
            "account": account,
            "now": timezone.now(),
            "token_form": kwargs.get("token_form") or TokenForm(),
            "grace_choices": (0, 1, 24, 72),
            "office_roles": (Role.OFFICE_ADMIN, Role.OFFICE_STAFF),
        }


class TokenIssueView(RoleRequiredMixin, generic.View):
    required_roles = ADMIN_ONLY

    def post(self, request, pk):
        account = _service_account_or_404(pk)
        form = TokenForm(request.POST)
        if not form.is_valid():
            errors = "；".join(f"{form.fields[f].label}：{'，'.join(e)}" for f, e in form.errors.items())
            messages.error(request, f"签发失败：{errors}")
            return redirect("accounts:service_account_detail", pk=account.pk)
        try:
            token, raw = service_accounts.issue_token(actor=request.user, user=account, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("accounts:service_account_detail", pk=account.pk)
        return token_page(request, account, token, raw, "令牌已签发")


class _TokenAction(RoleRequiredMixin, generic.View):
    required_roles = ADMIN_ONLY

    def post(self, request, pk, token_pk):
        account = _service_account_or_404(pk)
        token = get_object_or_404(ApiToken, pk=token_pk, user=account)
        try:
            return self.act(request, account, token) or redirect("accounts:service_account_detail", pk=account.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("accounts:service_account_detail", pk=account.pk)


class TokenRotateView(_TokenAction):
    def act(self, request, account, token):
        raw_grace = request.POST.get("grace_hours", "0")
        if not raw_grace.isdigit():
            raise DomainError("宽限时间须为整数小时", field="grace_hours")
        new, raw = service_accounts.rotate_token(actor=request.user, token=token, grace_hours=int(raw_grace))
        return token_page(request, account, new, raw, "令牌已轮换")


class TokenRevokeView(_TokenAction):
    def act(self, request, account, token):
        service_accounts.revoke_token(actor=request.user, token=token)
        messages.success(request, f"令牌 {token.prefix}… 已吊销，立即失效")
