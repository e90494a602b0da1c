"""Pages for schemes (考核办法): list, detail with rules and peer groups, edit rows, publish, new version."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views import generic

from chuangcheng.accounts.models import OFFICE_ROLES
from chuangcheng.assessments import services
from chuangcheng.assessments.filters import SchemeFilterSet
from chuangcheng.assessments.forms import PeerGroupForm, RuleForm, SchemeForm
from chuangcheng.assessments.indicators import BY_CODE, GRADE_BANDS_SOURCE
from chuangcheng.assessments.models import PeerGroup, Rule, Scheme
from chuangcheng.assessments.permissions import can_edit_scheme, can_manage_assessments
from chuangcheng.core.errors import DomainError
from chuangcheng.core.views import (
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ServiceFormView,
)
from chuangcheng.org.models import UnitKind

OFFICE = tuple(OFFICE_ROLES)


class SchemeListView(ScopedListView):
    model = Scheme
    template_name = "assessments/scheme_list.html"
    filterset_class = SchemeFilterSet

    def get_queryset(self):
        return super().get_queryset().order_by("code", "-version")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"can_manage": can_manage_assessments(self.request.user)}


SOURCES = {"cases": "案件", "findings": "督查发现", "both": "案件和督查发现"}
PARAM_ORDER = (
    "from", "attribute_to", "item_points", "indicator", "grade_points",
    "below_score", "black_list", "negative_list", "per_point", "amount",
)  # fmt: skip
OWNERS = {"territorial": "属地单位", "department": "行业主管部门", "both": "属地单位和行业主管部门"}


def describe_params(params: dict) -> str:
    """A rule's parameters in words, for everyone who reads the scheme (the office edits them as JSON)."""
    words = []
    order = {key: n for n, key in enumerate(PARAM_ORDER)}  # PostgreSQL's jsonb does not keep the typed order
    for key, value in sorted(params.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])):
        if key == "item_points":
            words.append("按检查项分值扣分" if value else "按规则分值扣分")
        elif key == "from":
            words.append(f"来源：{SOURCES.get(value, value)}")
        elif key == "attribute_to":
            words.append(f"归属：{OWNERS.get(value, value)}")
        elif key == "indicator":
            words.append(f"指标：{BY_CODE[value].name if value in BY_CODE else value}")
        elif key == "grade_points" and isinstance(value, dict):
            words.append("、".join(f"{grade}级{points:+}分" for grade, points in sorted(value.items())))
        elif key == "below_score":
            words.append(f"得分低于{value}分时")
        elif key == "black_list" and value:
            words.append("列入黑榜时")
        elif key == "negative_list" and value:
            words.append("发生负面清单事项时")
        elif key == "amount":
            words.append(f"扣罚{value}元")
        elif key == "per_point":
            words.append(f"每扣1分扣罚{value}元")
        else:
            words.append(f"{key}：{value}")
    return "；".join(words)


class SchemeDetailView(ScopedDetailView):
    model = Scheme
    template_name = "assessments/scheme_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rules = list(self.object.rules.all())
        for rule in rules:
            rule.params_text = describe_params(rule.params or {})
        groups = list(self.object.peer_groups.prefetch_related("units"))
        kinds = dict(UnitKind.choices)
        for group in groups:
            group.kind_names = [kinds.get(kind, kind) for kind in group.unit_kinds]
        context.update(
            rules=rules,
            groups=groups,
            can_edit=can_edit_scheme(self.request.user, self.object),
            can_manage=can_manage_assessments(self.request.user),
            bands_source=GRADE_BANDS_SOURCE,
        )
        return context


class SchemeCreateView(ServiceFormView):
    form_class = SchemeForm
    template_name = "assessments/form.html"
    required_roles = OFFICE
    success_message = "考核办法已创建（草稿）"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": "新建考核办法",
            "back": reverse("assessments:scheme_list"),
        }

    def perform(self, form):
        return services.create_scheme(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("assessments:scheme_detail", args=[self.object.pk])


class SchemeChildMixin(ScopedObjectMixin):
    """Pages under /schemes/<pk>/: ``self.scheme`` fetched through visible_to."""

    model = Scheme

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.scheme = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return reverse("assessments:scheme_detail", args=[self.scheme.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"back": self.get_success_url(), "scheme": self.scheme}


class SchemeUpdateView(SchemeChildMixin, SchemeCreateView):
    success_message = "考核办法已保存"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"editing": True, "instance": self.scheme}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": f"编辑：{self.scheme}"}

    def perform(self, form):
        return services.update_scheme(scheme=self.scheme, actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("assessments:scheme_detail", args=[self.scheme.pk])


class SchemeActionView(RoleRequiredMixin, SchemeChildMixin, generic.View):
    required_roles = OFFICE

    def post(self, request, pk, verb):
        try:
            if verb == "publish":
                services.publish_scheme(scheme=self.scheme, actor=request.user)
                messages.success(request, "考核办法已发布，此后不可修改")
            elif verb == "new-version":
                copy = services.new_scheme_version(scheme=self.scheme, actor=request.user)
                messages.success(request, f"已新建第{copy.version}版草稿")
                return redirect("assessments:scheme_detail", pk=copy.pk)
            else:
                raise Http404
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("assessments:scheme_detail", pk=self.scheme.pk)


class RowFormView(SchemeChildMixin, ServiceFormView):
    """Add or edit a rule / peer group row of a draft scheme."""

    template_name = "assessments/form.html"
    required_roles = OFFICE
    row_model = None
    row = None

    def get_row(self):
        if "row" not in self.kwargs:
            return None
        row = self.row_model.objects.visible_to(self.request.user).filter(scheme=self.scheme, pk=self.kwargs["row"])
        found = row.first()
        if found is None:
            raise Http404("对象不存在或无权访问")
        return found

    def get_form_kwargs(self):
        self.row = self.get_row()
        return super().get_form_kwargs() | ({"instance": self.row} if self.row else {})


class RuleFormView(RowFormView):
    form_class = RuleForm
    row_model = Rule
    success_message = "规则已保存"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": f"{'编辑' if self.row else '新增'}规则：{self.scheme}"}

    def perform(self, form):
        if self.row:
            return services.update_rule(rule=self.row, actor=self.request.user, **form.cleaned_data)
        return services.create_rule(actor=self.request.user, scheme=self.scheme, **form.cleaned_data)


class GroupFormView(RowFormView):
    form_class = PeerGroupForm
    row_model = PeerGroup
    success_message = "考核分组已保存"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": f"{'编辑' if self.row else '新增'}考核分组：{self.scheme}"
        }

    def perform(self, form):
        data = dict(form.cleaned_data)
        data["units"] = list(data.get("units") or [])
        if self.row:
            return services.update_peer_group(group=self.row, actor=self.request.user, **data)
        return services.create_peer_group(actor=self.request.user, scheme=self.scheme, **data)


class RowDeleteView(RoleRequiredMixin, SchemeChildMixin, generic.View):
    required_roles = OFFICE

    def post(self, request, pk, what, row):
        model, service, arg = {
            "rules": (Rule, services.delete_rule, "rule"),
            "groups": (PeerGroup, services.delete_peer_group, "group"),
        }.get(what, (None, None, None))
        if model is None:
            raise Http404
        found = model.objects.visible_to(request.user).filter(scheme=self.scheme, pk=row).first()
        if found is None:
            raise Http404("对象不存在或无权访问")
        try:
            service(**{arg: found}, actor=request.user)
            messages.success(request, "已删除")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("assessments:scheme_detail", pk=self.scheme.pk)
