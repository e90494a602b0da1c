"""The office administrator's account management: list, create, import, edit, roles, disable, reset password.

Every write goes through ``accounts.services`` (validated and audited). Temporary passwords are shown
once on the page that created them and never stored in clear.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import generic

from chuangcheng.accounts import services
from chuangcheng.accounts.filters import UserFilterSet
from chuangcheng.accounts.forms import RoleForm, UserCreateForm, UserEditForm
from chuangcheng.accounts.models import Membership, Role, User
from chuangcheng.accounts.permissions import can_manage_users
from chuangcheng.accounts.selectors import manageable_users
from chuangcheng.core.errors import DomainError
from chuangcheng.core.views import RoleRequiredMixin, ServiceFormView, TabularImportView
from chuangcheng.org.models import Unit

ADMIN_ONLY = (Role.OFFICE_ADMIN,)


def _units(user):
    return Unit.objects.visible_to(user).filter(is_active=True).order_by("path")


def passwords_page(request, title: str, created) -> HttpResponse:
    """The one page that shows temporary passwords: never cached by the browser or a proxy."""
    response = render(request, "accounts/user_passwords.html", {"title": title, "created": created})
    response["Cache-Control"] = "no-store"
    return response


def _user_or_404(pk, actor) -> User:
    """An account the administrator manages (another level's accounts answer 404)."""
    return get_object_or_404(manageable_users(actor), pk=pk)


class UserListView(RoleRequiredMixin, generic.ListView):
    required_roles = ADMIN_ONLY
    template_name = "accounts/user_list.html"
    paginate_by = 50

    def get_queryset(self):
        memberships = Prefetch("memberships", queryset=Membership.objects.select_related("unit").order_by("unit__path"))
        base = manageable_users(self.request.user).prefetch_related(memberships).order_by("-is_active", "username")
        self.filterset = UserFilterSet(self.request.GET or None, queryset=base)
        if self.filterset.is_bound and self.filterset.is_valid():
            return self.filterset.qs
        return base

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(**kwargs) | {"filter": self.filterset, "querystring": query.urlencode()}


class UserCreateView(ServiceFormView):
    required_roles = ADMIN_ONLY
    form_class = UserCreateForm
    template_name = "accounts/user_form.html"
    success_message = ""

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"units": _units(self.request.user)}

    def perform(self, form):
        user, self.password = services.create_account(actor=self.request.user, **form.cleaned_data)
        return user

    def form_valid(self, form):
        response = super().form_valid(form)
        if response.status_code != 302:
            return response
        return passwords_page(self.request, "账号已创建", [(self.object, self.password)])

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": "新增账号"}

    def get_success_url(self):
        return reverse("accounts:user_detail", args=[self.object.pk])


class UserImportView(TabularImportView):
    required_roles = ADMIN_ONLY
    title = "导入账号"
    columns = services.USER_COLUMNS
    required = "用户名、姓名、单位编码、角色（同一用户名可写多行以授予多个角色）"
    back = "accounts:user_list"

    def run(self, upload):
        return services.import_users(actor=self.request.user, data=upload.read(), filename=upload.name)

    def succeeded(self, request, created):
        title = f"导入成功：新增 {len(created)} 个账号"
        return passwords_page(request, title, created)


class UserDetailView(RoleRequiredMixin, generic.TemplateView):
    required_roles = ADMIN_ONLY
    template_name = "accounts/user_detail.html"

    def get_context_data(self, **kwargs):
        account = _user_or_404(self.kwargs["pk"], self.request.user)
        return super().get_context_data(**kwargs) | {
            "account": account,
            "memberships": account.memberships.select_related("unit").order_by("unit__path"),
            "role_form": RoleForm(units=_units(self.request.user)),
        }


class UserEditView(ServiceFormView):
    required_roles = ADMIN_ONLY
    form_class = UserEditForm
    template_name = "accounts/user_form.html"
    success_message = "账号信息已保存"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and can_manage_users(request.user):
            self.account = _user_or_404(kwargs["pk"], request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {name: getattr(self.account, name) for name in services.PROFILE_FIELDS}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": f"编辑账号：{self.account.username}"}

    def perform(self, form):
        return services.update_user(actor=self.request.user, user=self.account, **form.cleaned_data)

    def get_success_url(self):
        return reverse("accounts:user_detail", args=[self.account.pk])


class _AccountAction(RoleRequiredMixin, generic.View):
    """POST-only actions on one account; domain errors come back as a message on the account page."""

    required_roles = ADMIN_ONLY

    def post(self, request, pk, **kwargs):
        account = _user_or_404(pk, request.user)
        try:
            result = self.act(request, account, **kwargs)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("accounts:user_detail", pk=account.pk)
        return result or redirect("accounts:user_detail", pk=account.pk)

    def act(self, request, account, **kwargs):
        raise NotImplementedError


class UserRoleGrantView(_AccountAction):
    def act(self, request, account, **kwargs):
        form = RoleForm(request.POST, units=_units(request.user))
        if not form.is_valid():
            errors = "；".join(f"{form.fields[f].label}：{'，'.join(e)}" for f, e in form.errors.items())
            raise DomainError(f"授予角色失败：{errors}")
        services.grant_role(actor=request.user, user=account, **form.cleaned_data)
        messages.success(request, "已授予角色")


class UserRoleRevokeView(_AccountAction):
    def act(self, request, account, membership_pk=None, **kwargs):
        membership = get_object_or_404(Membership, pk=membership_pk, user=account)
        services.revoke_role(actor=request.user, membership=membership)
        messages.success(request, "已撤销角色")


class UserActiveView(_AccountAction):
    def act(self, request, account, **kwargs):
        active = request.POST.get("is_active") == "1"
        services.set_active(actor=request.user, user=account, is_active=active)
        messages.success(request, "账号已启用" if active else "账号已停用，不能再登录")


class UserPasswordResetView(_AccountAction):
    def act(self, request, account, **kwargs):
        password = services.reset_password(actor=request.user, user=account)
        return passwords_page(request, "密码已重置", [(account, password)])
