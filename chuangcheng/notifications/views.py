from django.contrib import messages
from django.shortcuts import redirect
from django.views import View, generic

from chuangcheng.core.errors import DomainError
from chuangcheng.core.views import RoleRequiredMixin, ScopedObjectMixin
from chuangcheng.notifications import selectors, services
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
        return context


class ReadView(RoleRequiredMixin, ScopedObjectMixin, View):
    model = Notification

    def post(self, request, pk):
        notification = services.mark_read(actor=request.user, notification=self.get_object())
        return redirect(notification.url or "notifications:inbox")


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
                )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "通知偏好已保存")
        return redirect("notifications:preferences")
