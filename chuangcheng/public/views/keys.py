"""Open311 API keys: the office admin issues (shown once) and revokes them."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from chuangcheng.accounts.models import Role
from chuangcheng.core.errors import DomainError
from chuangcheng.core.views import RoleRequiredMixin
from chuangcheng.public.forms import ApiKeyForm
from chuangcheng.public.models import ApiKey
from chuangcheng.public.services import keys as services


class ApiKeyView(RoleRequiredMixin, View):
    required_roles = (Role.OFFICE_ADMIN,)
    template_name = "public/api_keys.html"

    def _render(self, request, form, secret=None, status=200):
        keys = ApiKey.objects.visible_to(request.user).select_related("created_by")
        return render(request, self.template_name, {"form": form, "keys": keys, "secret": secret}, status=status)

    def get(self, request):
        return self._render(request, ApiKeyForm())

    def post(self, request):
        if request.POST.get("action") == "revoke":
            api_key = ApiKey.objects.visible_to(request.user).filter(pk=request.POST.get("key") or 0).first()
            if api_key is None:
                raise Http404("密钥不存在")
            try:
                services.revoke_api_key(api_key=api_key, actor=request.user)
                messages.success(request, "密钥已停用")
            except DomainError as exc:
                messages.error(request, exc.message)
            return redirect("public:api_keys")
        form = ApiKeyForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            _, secret = services.issue_api_key(actor=request.user, name=form.cleaned_data["name"])
        except DomainError as exc:
            form.add_error(None, exc.message)
            return self._render(request, form, status=exc.status_code)
        return self._render(request, ApiKeyForm(), secret=secret)
