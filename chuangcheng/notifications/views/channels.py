"""Channel configuration (group robots, SMS gateway status, chasing rules, phone numbers) and the delivery
log. The office sees every robot; a unit head sees and keeps the robots of their units. Every write goes
through a service (``services``, ``outbox``, ``reminders``), validated and audited."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View, generic

from chuangcheng.accounts.models import OFFICE_ROLES, Role
from chuangcheng.core.errors import DomainError
from chuangcheng.core.views import RoleRequiredMixin, ScopedObjectMixin, ServiceFormView
from chuangcheng.notifications import channels, outbox, reminders, selectors, services, sms
from chuangcheng.notifications.forms import PolicyForm, SmsTestForm, WebhookForm
from chuangcheng.notifications.models import Delivery, Webhook
from chuangcheng.org.models import Unit

EDITORS = (*OFFICE_ROLES, Role.UNIT_HEAD)


def _units(user):
    return Unit.objects.visible_to(user).filter(is_active=True).order_by("path")


class ChannelsView(RoleRequiredMixin, generic.TemplateView):
    required_roles = EDITORS
    template_name = "notifications/channels.html"

    def get_context_data(self, **kwargs):
        hooks = Webhook.objects.visible_to(self.request.user).select_related("unit").order_by("unit__path", "pk")
        office = selectors.is_channel_office(self.request.user)
        rules = reminders.policy()
        return super().get_context_data(**kwargs) | {
            "webhooks": [(hook, channels.mask_url(hook.url)) for hook in hooks],
            "office": office,
            "sms_backend": sms.describe_backend(),
            "policy": rules,
            "ack_labels": selectors.kind_labels(rules.ack_kinds),
            "sms_form": SmsTestForm(),
            "phones": selectors.phone_coverage(self.request.user) if office else None,
        }


class WebhookCreateView(ServiceFormView):
    required_roles = EDITORS
    form_class = WebhookForm
    template_name = "notifications/webhook_form.html"
    success_message = "群机器人已保存，可点“发送测试消息”检查"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"units": _units(self.request.user)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": "新增群机器人"}

    def perform(self, form):
        return services.create_webhook(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("notifications:channels")


class WebhookEditView(ScopedObjectMixin, ServiceFormView):
    required_roles = EDITORS
    model = Webhook
    form_class = WebhookForm
    template_name = "notifications/webhook_form.html"
    success_message = "群机器人已保存"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"units": _units(self.request.user), "editing": True}

    def get_initial(self):
        hook = self.get_object()
        fields = ("name", "kind", "msg_format", "kinds", "is_active")
        return {name: getattr(hook, name) for name in fields}

    def get_context_data(self, **kwargs):
        hook = self.get_object()
        return super().get_context_data(**kwargs) | {
            "title": f"编辑群机器人：{hook.name}",
            "masked_url": channels.mask_url(hook.url),
            "has_secret": bool(hook.secret),
        }

    def perform(self, form):
        data = dict(form.cleaned_data)
        for keep_if_blank in ("url", "secret"):
            if not data.get(keep_if_blank):
                data.pop(keep_if_blank, None)
        return services.update_webhook(webhook=self.get_object(), actor=self.request.user, **data)

    def get_success_url(self):
        return reverse("notifications:channels")


class _WebhookAction(RoleRequiredMixin, ScopedObjectMixin, View):
    required_roles = EDITORS
    model = Webhook

    def post(self, request, pk):
        try:
            self.act(request, self.get_object())
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("notifications:channels")


class WebhookDeleteView(_WebhookAction):
    def act(self, request, hook):
        services.delete_webhook(webhook=hook, actor=request.user)
        messages.success(request, f"已删除群机器人“{hook.name}”")


class WebhookTestView(_WebhookAction):
    def act(self, request, hook):
        delivery = outbox.send_test_message(actor=request.user, webhook=hook)
        delivery.refresh_from_db()
        messages.success(request, f"测试消息：{delivery.get_status_display()}" + _reason(delivery))


def _reason(delivery: Delivery) -> str:
    return f"（{delivery.last_error}）" if delivery.last_error else ""


class _OfficeOnly(RoleRequiredMixin):
    required_roles = tuple(OFFICE_ROLES)


class SmsTestView(_OfficeOnly, View):
    def post(self, request):
        try:
            delivery = outbox.send_test_message(actor=request.user, phone=request.POST.get("phone", ""))
        except DomainError as exc:
            messages.error(request, f"手机号：{exc.message}")
        else:
            delivery.refresh_from_db()
            messages.success(request, f"测试短信：{delivery.get_status_display()}" + _reason(delivery))
        return redirect("notifications:channels")


class PolicyView(_OfficeOnly, ServiceFormView):
    form_class = PolicyForm
    template_name = "notifications/policy_form.html"
    success_message = "催办提醒规则已保存"

    def get_initial(self):
        rules = reminders.policy()
        return {name: getattr(rules, name) for name in reminders.POLICY_FIELDS}

    def perform(self, form):
        return reminders.update_policy(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("notifications:channels")


class DeliveryLogView(_OfficeOnly, generic.ListView):
    template_name = "notifications/deliveries.html"
    paginate_by = 50

    def get_queryset(self):
        rows = Delivery.objects.select_related("user").order_by("-id")
        status, channel = self.request.GET.get("status", ""), self.request.GET.get("channel", "")
        if status:
            rows = rows.filter(status=status)
        if channel:
            rows = rows.filter(channel=channel)
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [(d, outbox.display_recipient(d)) for d in context["object_list"]]
        context["status"], context["channel"] = self.request.GET.get("status", ""), self.request.GET.get("channel", "")
        context["statuses"], context["channels"] = selectors.delivery_filter_choices()
        return context


class DeliveryRetryView(_OfficeOnly, View):
    def post(self, request, pk):
        delivery = selectors.delivery_or_404(pk)
        try:
            outbox.retry_delivery(actor=request.user, delivery=delivery)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已重新加入发送队列")
        return redirect("notifications:deliveries")
