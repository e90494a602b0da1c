"""窗口行业 pages: industries (reference data), window units with commitments and ratings, period ranking."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import generic

from chuangcheng.civility import permissions, selectors, services
from chuangcheng.civility.filters import WindowUnitFilterSet
from chuangcheng.civility.forms import CommitmentForm, IndustryForm, PeriodForm, RatingForm, WindowUnitForm
from chuangcheng.civility.models import Rating, RatingPeriod, WindowIndustry, WindowUnit
from chuangcheng.civility.permissions import PAGE_ROLES
from chuangcheng.core.errors import DomainError
from chuangcheng.core.views import (
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ServiceFormView,
)

OFFICE = ("office_admin", "office_staff")


class FormPage(ServiceFormView):
    template_name = "civility/form.html"
    title = ""
    back_name = "civility:window_list"
    with_user = False

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        return kwargs | {"user": self.request.user} if self.with_user else kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": self.title, "back_url": reverse(self.back_name)}

    def get_success_url(self):
        return reverse(self.back_name)


class WindowListView(ScopedListView):
    model = WindowUnit
    filterset_class = WindowUnitFilterSet
    template_name = "civility/window_list.html"
    required_roles = PAGE_ROLES

    def get_queryset(self):
        return super().get_queryset().select_related("industry", "unit").order_by("industry__sort_order", "name")

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "industries": WindowIndustry.objects.all(),
            "periods": RatingPeriod.objects.all(),
            "can_manage": permissions.can_manage_window(user),
            "can_edit_reference": permissions.can_edit_reference(user),
        }


class IndustryCreateView(FormPage):
    form_class = IndustryForm
    required_roles = OFFICE
    title = "新增窗口行业"
    success_message = "窗口行业已保存"

    def perform(self, form):
        return services.save_industry(actor=self.request.user, **form.cleaned_data)


class IndustryUpdateView(IndustryCreateView):
    title = "编辑窗口行业"

    def get_initial(self):
        industry = get_object_or_404(WindowIndustry, pk=self.kwargs["pk"])
        return {"name": industry.name, "sort_order": industry.sort_order, "is_sample": industry.is_sample}

    def perform(self, form):
        industry = get_object_or_404(WindowIndustry, pk=self.kwargs["pk"])
        return services.save_industry(actor=self.request.user, industry=industry, **form.cleaned_data)


class WindowUnitCreateView(FormPage):
    form_class = WindowUnitForm
    required_roles = OFFICE
    title = "登记窗口单位"
    success_message = "窗口单位已登记"
    with_user = True

    def perform(self, form):
        return services.create_window_unit(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("civility:window_detail", args=[self.object.pk])


class PeriodCreateView(FormPage):
    form_class = PeriodForm
    required_roles = OFFICE
    title = "新增行风评议周期"
    success_message = "评议周期已保存"

    def perform(self, form):
        return services.create_period(actor=self.request.user, **form.cleaned_data)


class WindowDetailView(ScopedDetailView):
    model = WindowUnit
    template_name = "civility/window_detail.html"
    required_roles = ()  # scoped: no role or out of scope answers 404

    def get_queryset(self):
        return super().get_queryset().select_related("industry", "unit")

    def get_context_data(self, **kwargs):
        user, window = self.request.user, self.object
        return super().get_context_data(**kwargs) | {
            "commitments": window.commitments.all(),
            "ratings": window.ratings.select_related("period").order_by("-period__starts_on", "source"),
            "can_commit": permissions.can_record_commitment(user, window),
            "can_rate": permissions.can_manage_window(user, window.unit_id),
            "commitment_form": kwargs.get("commitment_form") or CommitmentForm(),
            "rating_form": kwargs.get("rating_form") or RatingForm(),
        }


class WindowActionView(WindowDetailView):
    """POST ``action`` = commit | rate."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = window = self.get_object()
        rate = request.POST.get("action") == "rate"
        allowed = (
            permissions.can_manage_window(request.user, window.unit_id)
            if rate
            else permissions.can_record_commitment(request.user, window)
        )
        if not allowed:
            raise PermissionDenied("您无权登记该窗口单位的" + ("行风评议结果" if rate else "服务承诺"))
        name = "rating_form" if rate else "commitment_form"
        form = RatingForm(request.POST, request.FILES) if rate else CommitmentForm(request.POST)
        if form.is_valid():
            try:
                if rate:
                    services.record_rating(actor=request.user, window_unit=window, **form.cleaned_data)
                else:
                    services.add_commitment(actor=request.user, window_unit=window, **form.cleaned_data)
            except DomainError as exc:
                if exc.status_code == 403:
                    raise PermissionDenied(exc.message) from exc
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "行风评议结果已登记" if rate else "服务承诺已登记")
                return redirect("civility:window_detail", window.pk)
        return self.render_to_response(self.get_context_data(**{name: form}), status=400)


class RankingView(RoleRequiredMixin, generic.TemplateView):
    template_name = "civility/ranking.html"
    required_roles = PAGE_ROLES

    def get_context_data(self, **kwargs):
        periods = list(RatingPeriod.objects.all())
        wanted = self.kwargs.get("pk")
        period = next((p for p in periods if p.pk == wanted), None)
        if wanted is not None and period is None:
            raise Http404("评议周期不存在")
        period = period or (periods[0] if periods else None)
        tables = selectors.period_ranking(self.request.user, period) if period else []
        return super().get_context_data(**kwargs) | {"periods": periods, "period": period, "tables": tables}


class RatingFileView(RoleRequiredMixin, ScopedObjectMixin, generic.View):
    model = Rating
    required_roles = ()  # scoped: no role or out of scope answers 404

    def get(self, request, pk):
        rating = self.get_object()
        if not rating.file:
            raise Http404("没有评议材料")
        return FileResponse(rating.file.open("rb"), filename=rating.file_name or rating.file.name)
