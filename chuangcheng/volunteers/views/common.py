"""Shared bits of the volunteer pages."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from chuangcheng.core.errors import DomainError
from chuangcheng.volunteers.permissions import PAGE_ROLES

__all__ = ["PAGE_ROLES", "FormPageMixin", "raise_forbidden"]


class FormPageMixin:
    """A service form page: the form gets the user; the template gets the title and the back link."""

    title = ""
    back_name = "volunteers:volunteer_list"
    template_name = "volunteers/form.html"
    required_roles = PAGE_ROLES

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": self.title, "back_url": reverse(self.back_name)}


def raise_forbidden(exc: DomainError) -> None:
    if exc.status_code == 403:
        raise PermissionDenied(exc.message) from exc
