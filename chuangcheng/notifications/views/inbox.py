from django.contrib import messages
from django.shortcuts import redirect
from django.views import View, generic

from chuangcheng.accounts.models import OFFICE_ROLES, Role
from chuangcheng.core.errors import DomainError
from chuangcheng.core.scoping import scope_of
from chuangcheng.core.views import RoleRequiredMixin, ScopedObjectMixin
from chuangcheng.notifications import reminders, selectors, services
from chuangcheng.notifications.models import Notification, NotificationKind


class InboxView(RoleRequiredMixin, generic.ListView):
    """站内通知。"""

    template_name = "notifications/inbox.html"
    paginate_by = 50

    def get_queryset(self):
        return Notification.objects.visible_to(self.request.user).order_by("-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unread"] = selectors.unread_count(self.request.user)
        context["channel_editor"] = scope_of(self.request.user).has_role(*OFFICE_ROLES, Role.UNIT_HEAD)
        return context


class ReadView(RoleRequiredMixin, ScopedObjectMixin, View):
    model = Notification

    def post(self, request, pk):
        notification = services.mark_read(actor=request.user, notification=self.get_object())
        return redirect(notification.url or "notifications:inbox")


class NotificationDetailView(RoleRequiredMixin, ScopedObjectMixin, generic.TemplateView):
    """One notification (the link in SMS and robot messages), with 确认收到 when it must be acknowledged."""

    model = Notification
    template_name = "notifications/detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"note": self.get_object()}


class AcknowledgeView(RoleRequiredMixin, ScopedObjectMixin, View):
    model = Notification

    def post(self, request, pk):
        reminders.acknowledge(actor=request.user, notification=self.get_object())
        messages.success(request, "已确认收到，不再重复提醒")
        return redirect("notifications:inbox")


class ReadAllView(RoleRequiredMixin, View):
    def post(self, request):
        count = services.mark_all_read(actor=request.user)
        messages.success(request, f"已将 {count} 条通知标记为已读")
        return redirect("notifications:inbox")


class PreferencesView(RoleRequiredMixin, generic.TemplateView):
    template_name = "notifications/preferences.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"rows": selectors.preferences_of(self.request.user)}

    def post(self, request):
        try:
            for kind in NotificationKind.values:
                services.set_preference(
                    actor=request.user,
                    kind=kind,
                    in_app=f"in_app_{kind}" in request.POST,
                    email=f"email_{kind}" in request.POST,
                    sms=f"sms_{kind}" in request.POST,
                )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "通知偏好已保存")
        return redirect("notifications:preferences")
