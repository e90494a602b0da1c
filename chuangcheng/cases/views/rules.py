"""The office's rule pages: routing rules and deadline rules (list, create, edit, delete), and the
per-source verification requirement (on the deadline rules page).

Only the office (``OFFICE_ROLES``) may open them (others: 403); a rule outside the user's
scope answers 404. Every write goes through ``cases.services`` (audited, Chinese errors).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views import View, generic

from chuangcheng.accounts.models import OFFICE_ROLES
from chuangcheng.cases import services
from chuangcheng.cases.conf import setting
from chuangcheng.cases.forms import DeadlineRuleForm, RoutingRuleForm
from chuangcheng.cases.models import CaseSource, DeadlineRule, RoutingRule, Severity
from chuangcheng.core.errors import DomainError
from chuangcheng.core.scoping import scope_of
from chuangcheng.core.views import RoleRequiredMixin, ScopedObjectMixin, ServiceFormView

OFFICE = tuple(OFFICE_ROLES)


class RoutingRuleListView(RoleRequiredMixin, generic.ListView):
    template_name = "cases/rules.html"
    required_roles = OFFICE

    def get_queryset(self):
        return (
            RoutingRule.objects.visible_to(self.request.user)
            .select_related("lead_unit", "category", "area", "check_item")
            .defer("area__geometry")
            .prefetch_related("cooperating_units")
        )


class RoutingRuleCreateView(ServiceFormView):
    form_class = RoutingRuleForm
    template_name = "cases/rule_form.html"
    required_roles = OFFICE
    success_message = "分派规则已保存"
    success_url = reverse_lazy("cases:rules")
    title = "新增分派规则"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": self.title, "back": reverse("cases:rules")}

    def get_success_url(self):
        return str(self.success_url)

    def perform(self, form):
        return services.create_routing_rule(actor=self.request.user, **form.cleaned_data)


class LoadRuleMixin:
    """Load ``self.rule`` for the office only: everyone else gets the role check's 403 first."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and scope_of(request.user).has_role(*OFFICE):
            self.rule = self.get_object()
        return super().dispatch(request, *args, **kwargs)


class RoutingRuleUpdateView(LoadRuleMixin, ScopedObjectMixin, RoutingRuleCreateView):
    model = RoutingRule
    title = "编辑分派规则"

    def get_initial(self):
        rule = self.rule
        fields = ("name", "check_item", "category", "area", "lead_unit", "priority", "is_active", "note")
        return {name: getattr(rule, name) for name in fields} | {"cooperating_units": rule.cooperating_units.all()}

    def get_context_data(self, **kwargs):
        delete = reverse("cases:rule_delete", args=[self.rule.pk])
        return super().get_context_data(**kwargs) | {"object": self.rule, "delete_url": delete}

    def perform(self, form):
        return services.update_routing_rule(rule=self.rule, actor=self.request.user, **form.cleaned_data)


class RuleDeleteView(RoleRequiredMixin, ScopedObjectMixin, View):
    """GET asks to confirm; POST deletes through the service."""

    required_roles = OFFICE
    model = RoutingRule
    back = "cases:rules"
    noun = "分派规则"

    def delete(self, rule):
        services.delete_routing_rule(rule=rule, actor=self.request.user)

    def hint(self, rule) -> str:
        return "删除后不再参与分派；已分派的案件保留其分派依据。如只想暂时不用，可在编辑中取消“启用”。"

    def get(self, request, pk):
        rule = self.get_object()
        context = {"object": rule, "noun": self.noun, "hint": self.hint(rule), "back": reverse(self.back)}
        return render(request, "cases/rule_confirm_delete.html", context)

    def post(self, request, pk):
        rule = self.get_object()
        try:
            self.delete(rule)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{self.noun}“{rule}”已删除")
        return redirect(self.back)


class DeadlineRuleObjectMixin:
    """Deadline rules are reference data (no unit scope): the office sees them all, others get 403 first."""

    def get_object(self):
        try:
            return DeadlineRule.objects.select_related("category").get(pk=self.kwargs["pk"])
        except DeadlineRule.DoesNotExist as exc:
            raise Http404("对象不存在或无权访问") from exc


class DeadlineRuleListView(RoleRequiredMixin, generic.ListView):
    template_name = "cases/deadline_rules.html"
    required_roles = OFFICE

    def get_queryset(self):
        return DeadlineRule.objects.select_related("category").order_by(
            "category__sort_order", "category_id", "severity"
        )

    def get_context_data(self, **kwargs):
        labels = dict(Severity.choices)
        defaults = [(labels[key], days) for key, days in setting("CASE_DEFAULT_DEADLINE_DAYS").items() if key in labels]
        required = services.verify_photo_sources()
        sources = [(value, label, value in required) for value, label in CaseSource.choices]
        return super().get_context_data(**kwargs) | {"defaults": defaults, "sources": sources}


class VerifyPolicyView(RoleRequiredMixin, View):
    """POST: the sources whose verification needs the verifier's on-site photo (checked boxes)."""

    required_roles = OFFICE

    def post(self, request):
        try:
            chosen = services.set_verify_photo_sources(
                actor=request.user, sources=request.POST.getlist("verify_photo_sources")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            labels = dict(CaseSource.choices)
            names = "、".join(labels[s] for s in CaseSource.values if s in chosen) or "无"
            messages.success(request, f"核查要求已保存：须上传现场核查照片的来源：{names}")
        return redirect("cases:deadline_rules")


class DeadlineRuleCreateView(ServiceFormView):
    form_class = DeadlineRuleForm
    template_name = "cases/rule_form.html"
    required_roles = OFFICE
    success_message = "整改期限规则已保存"
    title = "新增整改期限规则"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": self.title, "back": reverse("cases:deadline_rules")}

    def get_success_url(self):
        return reverse("cases:deadline_rules")

    def perform(self, form):
        return services.create_deadline_rule(actor=self.request.user, **form.cleaned_data)


class DeadlineRuleUpdateView(LoadRuleMixin, DeadlineRuleObjectMixin, DeadlineRuleCreateView):
    title = "编辑整改期限规则"

    def get_initial(self):
        return {name: getattr(self.rule, name) for name in ("category", "severity", "days", "note")}

    def get_context_data(self, **kwargs):
        delete = reverse("cases:deadline_rule_delete", args=[self.rule.pk])
        return super().get_context_data(**kwargs) | {"object": self.rule, "delete_url": delete}

    def perform(self, form):
        return services.update_deadline_rule(rule=self.rule, actor=self.request.user, **form.cleaned_data)


class DeadlineRuleDeleteView(DeadlineRuleObjectMixin, RuleDeleteView):
    back = "cases:deadline_rules"
    noun = "整改期限规则"

    def delete(self, rule):
        services.delete_deadline_rule(rule=rule, actor=self.request.user)

    def hint(self, rule) -> str:
        return "删除后，新派遣的案件改按更宽泛的规则或默认期限计算；已在计时的案件期限不变。"
