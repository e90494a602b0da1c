from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import generic

from chuangcheng.accounts import services, throttling
from chuangcheng.accounts.forms import LoginForm, PasswordChangeForm
from chuangcheng.accounts.landing import landing_url
from chuangcheng.accounts.models import Role
from chuangcheng.accounts.selectors import home_cards
from chuangcheng.audit.services import record
from chuangcheng.core.errors import DomainError
from chuangcheng.core.scoping import scope_of


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def safe_next(request, user=None) -> str | None:
    """The ``next`` address when it is on this site and leads somewhere the user can go: never the login
    page itself, nor the admin for someone who is not staff (the admin would send them back here: a loop)."""
    next_url = request.POST.get("next") or request.GET.get("next")
    if not next_url or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    if next_url.startswith(reverse("accounts:login")):
        return None
    if next_url.startswith("/admin/") and not getattr(user or request.user, "is_staff", False):
        return None
    return next_url


class LoginView(generic.View):
    template_name = "accounts/login.html"

    def get(self, request):
        if request.user.is_authenticated:
            next_url = safe_next(request)
            if next_url is None and (request.GET.get("next") or "").startswith("/admin/"):
                messages.info(request, "后台管理仅限系统管理员使用，已为您打开首页")
            return redirect(next_url or "accounts:home")
        return render(request, self.template_name, {"form": LoginForm()})

    def post(self, request):
        form = LoginForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        username = form.cleaned_data["username"]
        address = client_address(request)
        client = throttling.known_client(request, username)
        if throttling.is_locked(username, address, client):
            form.add_error(None, "登录失败次数过多，账号已暂时锁定，请稍后再试")
            return render(request, self.template_name, {"form": form}, status=429)
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if user is None:
            throttling.note_failure(username, address, client)
            form.add_error(None, "用户名或密码错误")
            return render(request, self.template_name, {"form": form}, status=400)
        login(request, user)
        record(actor=user, verb="accounts.logged_in", target=user)
        next_url = safe_next(request, user)
        response = redirect(next_url or "accounts:home")
        throttling.note_success(request, response, username, address)
        return response


class LogoutView(generic.View):
    def post(self, request):
        logout(request)
        return redirect("accounts:login")


class PasswordChangeView(LoginRequiredMixin, generic.View):
    template_name = "accounts/password_change.html"

    def get(self, request):
        return render(request, self.template_name, {"form": PasswordChangeForm()})

    def post(self, request):
        form = PasswordChangeForm(request.POST)
        if form.is_valid():
            try:
                user = services.change_password(
                    actor=request.user,
                    old_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["new_password1"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                update_session_auth_hash(request, user)
                messages.success(request, "密码已修改")
                return redirect(safe_next(request, user) or "accounts:home")
        return render(request, self.template_name, {"form": form}, status=400)


class HomeView(LoginRequiredMixin, generic.TemplateView):
    """A home page per role: the cards a user of that role starts the day with."""

    template_name = "accounts/home.html"

    def get(self, request, *args, **kwargs):
        """Each role lands on its own work (``landing``); ``?all=1`` shows every card."""
        if "all" not in request.GET:
            target = landing_url(request.user)
            if target:
                return redirect(target)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = scope_of(self.request.user)
        context["memberships"] = self.request.user.memberships.select_related("unit").order_by("unit__path")
        context["role_labels"] = [Role(role).label for role in sorted(scope.roles)]
        context["cards"] = home_cards(self.request.user)
        context["profile_url"] = reverse("accounts:password_change")
        return context
