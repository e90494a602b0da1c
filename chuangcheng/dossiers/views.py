"""Pages for the archive: the unit's to-do list, upload, review, matrix, search, export, assignments."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views import generic

from chuangcheng.accounts.models import OFFICE_ROLES
from chuangcheng.core.errors import DomainError
from chuangcheng.core.params import year_param
from chuangcheng.core.scoping import scope_of
from chuangcheng.core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView
from chuangcheng.dossiers import archive, evaluation, permissions, selectors, services
from chuangcheng.dossiers.filters import MaterialFilterSet
from chuangcheng.dossiers.forms import AssignForm, ResubmitForm, ReviewForm, UploadForm
from chuangcheng.dossiers.models import PENDING_STATUSES, Material, MaterialAssignment, MaterialStatus
from chuangcheng.org.models import Unit

PAGE_ROLES = ("office_admin", "office_staff", "leader", "unit_head", "unit_handler")
OFFICE = tuple(OFFICE_ROLES)


def selected_year(request) -> int:
    return year_param(request.GET)


class IndexView(RoleRequiredMixin, generic.TemplateView):
    """dossiers:index — the office's overview, or a unit's list of owed materials for a year."""

    template_name = "dossiers/index.html"
    required_roles = PAGE_ROLES

    def get_context_data(self, **kwargs):
        user = self.request.user
        year = selected_year(self.request)
        scope = scope_of(user)
        materials = Material.objects.visible_to(user)
        counts = materials.aggregate(
            total=Count("id"),
            pending=Count("id", filter=Q(status__in=PENDING_STATUSES)),
            approved=Count("id", filter=Q(status=MaterialStatus.APPROVED)),
            returned=Count("id", filter=Q(status=MaterialStatus.RETURNED)),
        )
        matrix = selectors.completeness_matrix(user=user, years=[year])
        totals = matrix.unit_totals()
        own_units = [] if scope.sees_all else Unit.objects.visible_to(user).filter(pk__in=scope.member_unit_ids)
        todo = [(unit, selectors.unit_requirements(user=user, unit=unit, year=year)) for unit in own_units]
        return super().get_context_data(**kwargs) | {
            "year": year,
            "years": selectors.default_years(),
            "counts": counts,
            "overall": matrix.overall,
            "figure": selectors.archive_completeness(user=user),
            "unit_totals": [(unit, totals[unit.pk]) for unit in matrix.units][:50],
            "todo": todo,
            "can_review": permissions.can_review(user),
            "can_assign": permissions.can_manage_assignments(user),
        }


class MaterialListView(ScopedListView):
    """Search the archive by title (and filter by year, status, unit, clause)."""

    model = Material
    filterset_class = MaterialFilterSet
    template_name = "dossiers/material_list.html"
    required_roles = PAGE_ROLES

    def get_queryset(self):
        return super().get_queryset().select_related("requirement__clause", "unit")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"can_review": permissions.can_review(self.request.user)}


class ReviewQueueView(MaterialListView):
    required_roles = OFFICE
    template_name = "dossiers/review_queue.html"

    def get_queryset(self):
        return super().get_queryset().filter(status__in=PENDING_STATUSES).order_by("uploaded_at", "id")


class UploadView(ServiceFormView):
    form_class = UploadForm
    template_name = "dossiers/form.html"
    required_roles = PAGE_ROLES
    success_message = "资料已上传，等待审核"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_initial(self):
        return {key: self.request.GET.get(key) for key in ("requirement", "unit", "year") if self.request.GET.get(key)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": "上传档案资料", "back_url": reverse("dossiers:index")}

    def perform(self, form):
        return services.upload_material(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("dossiers:material_detail", args=[self.object.pk])


class MaterialDetailView(ScopedDetailView):
    """A material with its review history; the office reviews here, the unit resubmits a returned file."""

    model = Material
    template_name = "dossiers/material_detail.html"
    required_roles = PAGE_ROLES

    def get_queryset(self):
        return super().get_queryset().select_related("requirement__clause", "unit", "uploaded_by", "reviewer")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, material = self.request.user, self.object
        context["reviews"] = material.reviews.select_related("reviewer")
        context["can_review"] = permissions.can_review(user) and material.status in PENDING_STATUSES
        context["can_resubmit"] = material.status == MaterialStatus.RETURNED and permissions.can_upload_for(
            user, material.unit
        )
        context["review_form"] = kwargs.get("review_form") or ReviewForm()
        context["resubmit_form"] = kwargs.get("resubmit_form") or ResubmitForm()
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        resubmitting = "file" in request.FILES
        form = ResubmitForm(request.POST, request.FILES) if resubmitting else ReviewForm(request.POST)
        if form.is_valid():
            try:
                if resubmitting:
                    services.resubmit_material(material=self.object, actor=request.user, **form.cleaned_data)
                else:
                    services.review_material(material=self.object, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                if exc.status_code == 403:
                    raise PermissionDenied(exc.message) from exc
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "已重新提交" if resubmitting else "审核意见已保存")
                return redirect("dossiers:material_detail", pk=self.object.pk)
        key = "resubmit_form" if resubmitting else "review_form"
        return self.render_to_response(self.get_context_data(**{key: form}), status=400)


class MaterialFileView(ScopedDetailView):
    """The file itself, served only to users who can see the material."""

    model = Material
    required_roles = PAGE_ROLES

    def get(self, request, *args, **kwargs):
        material = self.get_object()
        return FileResponse(material.file.open("rb"), as_attachment=True, filename=material.original_name)


class MatrixView(RoleRequiredMixin, generic.TemplateView):
    template_name = "dossiers/matrix.html"
    required_roles = PAGE_ROLES

    def get_context_data(self, **kwargs):
        year = self.request.GET.get("year")
        year = int(year) if year and year.isdigit() else None
        standard = chosen_standard(self.request, default=False)
        matrix = selectors.completeness_matrix(
            user=self.request.user, years=[year] if year else None, standard=standard
        )
        totals = matrix.unit_totals()
        rows = matrix.rows()
        return super().get_context_data(**kwargs) | {
            "matrix": matrix,
            "rows": rows,
            "groups": evaluation.group_matrix_rows(rows, standard) if standard and rows else None,
            "unit_totals": [totals[unit.pk] for unit in matrix.units],
            "year": year,
            "years": selectors.default_years(),
            "standard": standard,
            "standards": evaluation.evaluation_standards(),
        }


def chosen_standard(request, *, default: bool):
    """The ``standard`` query parameter (a 测评体系 standard), else the current demo/official 创文 one."""
    value = request.GET.get("standard", "")
    if value.isdigit():
        found = evaluation.evaluation_standard(int(value))
        if found is None:
            raise Http404("标准不存在或不是测评体系")
        return found
    return evaluation.default_evaluation_standard() if default else None


class EvaluationView(RoleRequiredMixin, generic.TemplateView):
    """网上申报 by the 测评体系: a standard's requirements by 测评项目/测评内容 with units and progress."""

    template_name = "dossiers/evaluation.html"
    required_roles = PAGE_ROLES

    def get_context_data(self, **kwargs):
        user, year = self.request.user, selected_year(self.request)
        standard = chosen_standard(self.request, default=True)
        projects, overall = (
            evaluation.evaluation_materials(user=user, standard=standard, year=year) if standard else ([], None)
        )
        standards = list(evaluation.evaluation_standards())
        if standard is not None and standard not in standards:
            standards.insert(0, standard)
        return super().get_context_data(**kwargs) | {
            "standard": standard,
            "standards": standards,
            "projects": projects,
            "overall": overall,
            "year": year,
            "years": selectors.default_years(),
            "can_review": permissions.can_review(user),
            "can_assign": permissions.can_manage_assignments(user),
        }


class ExportView(RoleRequiredMixin, generic.View):
    """The archive in scope (filtered like the list) as a zip laid out by clause, with an index sheet."""

    required_roles = PAGE_ROLES

    def get(self, request):
        queryset = MaterialFilterSet(request.GET or None, queryset=Material.objects.visible_to(request.user)).qs
        built = archive.build_archive(queryset)
        services.log_archive_export(actor=request.user, count=built.count, size=built.size)
        return FileResponse(built.file, as_attachment=True, filename="档案资料.zip", content_type="application/zip")


class AssignView(ServiceFormView):
    form_class = AssignForm
    template_name = "dossiers/assignments.html"
    required_roles = OFFICE
    success_message = "资料任务已分解"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_context_data(self, **kwargs):
        assignments = (
            MaterialAssignment.objects.visible_to(self.request.user)
            .values("requirement_id", "requirement__title", "requirement__clause__number")
            .annotate(units=Count("unit"))
            .order_by("requirement__clause__number", "requirement_id")
        )
        return super().get_context_data(**kwargs) | {"assignments": assignments}

    def perform(self, form):
        return services.assign_requirement(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("dossiers:assignments")
