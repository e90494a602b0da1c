"""Send a user whose password was set by an administrator to change it before anything else."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


class PasswordChangeRequiredMiddleware:
    """Pages only: the API keeps answering (tokens are issued by administrators, not typed by people)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            target = reverse("accounts:password_change")
            allowed = (target, reverse("accounts:logout"), "/static/", "/api/")
            if not request.path.startswith(allowed):
                messages.info(request, "您的密码由管理员设置，请先修改密码")
                if request.method == "GET" and request.path != reverse("accounts:home"):
                    # come back to the page the person was going to once the password is changed
                    return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
                return redirect(target)
        return self.get_response(request)
