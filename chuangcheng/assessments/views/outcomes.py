"""Pages for outcomes: decisions, accountability records and commendations (list and create/edit)."""

from django.http import Http404
from django.urls import reverse
from django.views import generic

from chuangcheng.accounts.models import OFFICE_ROLES
from chuangcheng.assessments import services
from chuangcheng.assessments.forms import AccountabilityForm, CommendationForm, DecisionForm
from chuangcheng.assessments.models import AccountabilityRecord, Commendation, Decision
from chuangcheng.assessments.permissions import can_manage_assessments
from chuangcheng.core.views import RoleRequiredMixin, ServiceFormView

KINDS = {
    "decisions": ("奖惩决定", Decision, DecisionForm, "decision"),
    "accountability": ("问责记录", AccountabilityRecord, AccountabilityForm, "accountability"),
    "commendations": ("表彰", Commendation, CommendationForm, "commendation"),
}


def _kind(name):
    if name not in KINDS:
        raise Http404
    return KINDS[name]


class OutcomeListView(RoleRequiredMixin, generic.TemplateView):
    template_name = "assessments/outcome_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        tabs = []
        for key, (label, model, _, _) in KINDS.items():
            rows = model.objects.visible_to(user).select_related("unit", "period").order_by("-id")[:200]
            tabs.append({"key": key, "label": label, "rows": rows})
        context.update(tabs=tabs, can_manage=can_manage_assessments(user))
        return context


class OutcomeFormView(ServiceFormView):
    template_name = "assessments/form.html"
    required_roles = tuple(OFFICE_ROLES)
    success_message = "已保存"
    instance = None

    def dispatch(self, request, *args, **kwargs):
        self.label, self.model, self.form_class, self.what = _kind(kwargs["what"])
        if request.user.is_authenticated and "pk" in kwargs:
            self.instance = self.model.objects.visible_to(request.user).filter(pk=kwargs["pk"]).first()
            if self.instance is None:
                raise Http404("对象不存在或无权访问")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs() | {"user": self.request.user}
        return kwargs | ({"instance": self.instance} if self.instance else {})

    def get_context_data(self, **kwargs):
        title = f"{'编辑' if self.instance else '新增'}{self.label}"
        return super().get_context_data(**kwargs) | {
            "title": title,
            "back": reverse("assessments:outcome_list"),
            "multipart": True,
        }

    def perform(self, form):
        data = dict(form.cleaned_data)
        document = data.pop("document", None)
        if self.instance:
            return services.update_outcome(instance=self.instance, actor=self.request.user, document=document, **data)
        return services.create_outcome(actor=self.request.user, what=self.what, document=document, **data)

    def get_success_url(self):
        return reverse("assessments:outcome_list") + f"#{self.kwargs['what']}"
