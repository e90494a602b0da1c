"""文明单位 pages: list (filters, xlsx import/export), register, detail with review, warning and removal."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views import generic

from chuangcheng.civility import casebridge, permissions, services, workflow
from chuangcheng.civility.filters import CivilizedUnitFilterSet
from chuangcheng.civility.forms import CivilizedUnitEditForm, CivilizedUnitForm, ReviewForm, StatusActionForm
from chuangcheng.civility.models import CivilizedUnit, ReviewEvidence
from chuangcheng.civility.permissions import PAGE_ROLES
from chuangcheng.civility.services.imports import EXPORT_COLUMNS, IMPORT_COLUMNS, REQUIRED_COLUMNS
from chuangcheng.core.errors import DomainError
from chuangcheng.core.params import year_param
from chuangcheng.core.tabular import XLSX_CONTENT_TYPE, write_xlsx
from chuangcheng.core.views import (
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ServiceFormView,
    TabularImportView,
)

OFFICE = ("office_admin", "office_staff")


class UnitListView(ScopedListView):
    model = CivilizedUnit
    filterset_class = CivilizedUnitFilterSet
    template_name = "civility/unit_list.html"
    required_roles = PAGE_ROLES

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "org_unit")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "can_manage": permissions.can_manage_honours(self.request.user),
            "today": timezone.localdate(),
        }


class UnitCreateView(ServiceFormView):
    form_class = CivilizedUnitForm
    template_name = "civility/form.html"
    required_roles = OFFICE
    success_message = "文明单位已登记"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": "登记文明单位", "back_url": reverse("civility:unit_list")}

    def perform(self, form):
        return services.create_civilized_unit(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("civility:unit_detail", args=[self.object.pk])


class UnitUpdateView(ScopedObjectMixin, ServiceFormView):
    """Edit the year awarded and the note (name, level and units are fixed: register anew instead)."""

    model = CivilizedUnit
    form_class = CivilizedUnitEditForm
    template_name = "civility/form.html"
    required_roles = ()  # scoped: out of scope answers 404, a role that may not edit 403
    success_message = "已保存"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_object()
            if not permissions.can_manage_honours(request.user, self.object.unit_id):
                raise PermissionDenied("只有主管该单位的创建办可以编辑文明单位")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"year_awarded": self.object.year_awarded, "note": self.object.note}

    def get_context_data(self, **kwargs):
        back = reverse("civility:unit_detail", args=[self.object.pk])
        return super().get_context_data(**kwargs) | {"title": f"编辑：{self.object.name}", "back_url": back}

    def perform(self, form):
        return services.update_civilized_unit(actor=self.request.user, civilized_unit=self.object, **form.cleaned_data)

    def get_success_url(self):
        return reverse("civility:unit_detail", args=[self.object.pk])


class UnitImportView(TabularImportView):
    required_roles = OFFICE
    title = "导入文明单位"
    columns = IMPORT_COLUMNS
    required = "、".join(REQUIRED_COLUMNS) + "；对应单位编码和管理单位编码至少填一个；级别为全国、省级、市级或县级"
    back = "civility:unit_list"
    success = "已导入 {count} 个文明单位"

    def run(self, upload):
        return services.import_civilized_units(actor=self.request.user, data=upload.read(), filename=upload.name)


class UnitExportView(UnitListView):
    paginate_by = None

    def get(self, request, *args, **kwargs):
        rows = services.export_rows(self.get_queryset())
        data = write_xlsx(title="文明单位", headers=EXPORT_COLUMNS, rows=rows)
        response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            True, f"文明单位{timezone.localdate():%Y%m%d}.xlsx"
        )
        return response


class UnitDetailView(ScopedDetailView):
    model = CivilizedUnit
    template_name = "civility/unit_detail.html"
    required_roles = ()  # scoped: no role or out of scope answers 404

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "org_unit")

    def get_context_data(self, **kwargs):
        user, honour = self.request.user, self.object
        reviews = list(honour.reviews.select_related("reviewed_by").prefetch_related("evidence"))
        year = year_param(self.request.GET, default=reviews[0].year if reviews else None)
        case_count, cases = (0, [])
        if honour.org_unit is not None:
            case_count, cases = casebridge.cases_at_unit_sites(user, unit=honour.org_unit, year=year, limit=20)
        actions = workflow.allowed_actions(user, honour)
        return super().get_context_data(**kwargs) | {
            "reviews": reviews,
            "changes": honour.changes.select_related("actor"),
            "actions": actions,
            "action_labels": dict(workflow.Action.choices),
            "can_manage": permissions.can_manage_honours(user, honour.unit_id),
            "action_form": kwargs.get("action_form") or StatusActionForm(),
            "review_form": kwargs.get("review_form") or ReviewForm(),
            "evidence_year": year,
            "case_count": case_count,
            "cases": cases,
        }


class UnitActionView(UnitDetailView):
    """POST ``action`` = warn | lift | revoke | review; role refusals 403, other errors on the form."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = honour = self.get_object()
        if not permissions.can_manage_honours(request.user, honour.unit_id):
            raise PermissionDenied("只有主管该单位的创建办可以办理复查和状态变更")
        action = request.POST.get("action")
        form_name = "review_form" if action == "review" else "action_form"
        form = ReviewForm(request.POST, request.FILES) if action == "review" else StatusActionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(**{form_name: form}), status=400)
        data = dict(form.cleaned_data)
        try:
            if action == "review":
                services.record_review(actor=request.user, civilized_unit=honour, **data)
                messages.success(request, "复查结果已登记")
            elif action == "warn":
                services.warn_unit(
                    actor=request.user, civilized_unit=honour, reason=data["reason"], deadline=data["deadline"]
                )
                messages.success(request, "已黄牌警示")
            elif action == "lift":
                services.lift_warning(actor=request.user, civilized_unit=honour, reason=data["reason"])
                messages.success(request, "已解除警示")
            else:
                services.revoke_unit(actor=request.user, civilized_unit=honour, reason=data["reason"])
                messages.success(request, "已撤销文明单位称号")
        except DomainError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.render_to_response(self.get_context_data(**{form_name: form}), status=400)
        return redirect("civility:unit_detail", honour.pk)


class EvidenceFileView(RoleRequiredMixin, ScopedObjectMixin, generic.View):
    model = ReviewEvidence
    required_roles = ()  # scoped: no role or out of scope answers 404

    def get(self, request, pk):
        evidence = self.get_object()
        if not evidence.file:
            raise Http404("文件不存在")
        return FileResponse(evidence.file.open("rb"), filename=evidence.original_name)


class IndexView(RoleRequiredMixin, generic.RedirectView):
    """/civility/ → the 文明单位 list, for signed-in users only."""

    pattern_name = "civility:unit_list"
