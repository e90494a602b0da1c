"""Editing (office only): standards, drafts, publishing, rows of a draft, import/export."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views import generic

from chuangcheng.accounts.models import OFFICE_ROLES
from chuangcheng.core.errors import DomainError
from chuangcheng.core.tabular import XLSX_CONTENT_TYPE, ImportFailed, write_xlsx
from chuangcheng.core.views import RoleRequiredMixin, ServiceFormView
from chuangcheng.standards import services
from chuangcheng.standards.forms import ROW_FORMS, DraftForm, ImportForm, StandardForm
from chuangcheng.standards.models import (
    CheckItem,
    Clause,
    Indicator,
    MaterialRequirement,
    SamplingQuota,
    Standard,
)
from chuangcheng.standards.services.versioning import STANDARD_FIELDS

ROW_MODELS = {
    "clause": Clause,
    "item": CheckItem,
    "indicator": Indicator,
    "material": MaterialRequirement,
    "quota": SamplingQuota,
}
ROW_LABELS = {"clause": "条款", "item": "检查项", "indicator": "指标", "material": "材料要求", "quota": "样本量"}
OFFICE = tuple(OFFICE_ROLES)


def _detail_url(standard: Standard) -> str:
    return reverse("standards:detail", args=[standard.pk])


class StandardCreateView(ServiceFormView):
    form_class = StandardForm
    template_name = "standards/form.html"
    required_roles = OFFICE
    success_message = "标准草稿已创建"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": "新建标准（草稿）", "back_url": reverse("standards:list")}

    def perform(self, form):
        return services.create_standard(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return _detail_url(self.object)


class StandardUpdateView(StandardCreateView):
    success_message = "已保存"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.standard = get_object_or_404(Standard, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {name: getattr(self.standard, name) for name in STANDARD_FIELDS}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return context | {"title": f"编辑草稿：{self.standard}", "back_url": _detail_url(self.standard)}

    def perform(self, form):
        return services.update_standard(standard=self.standard, actor=self.request.user, **form.cleaned_data)


class StandardActionView(RoleRequiredMixin, generic.View):
    """POST-only actions on a standard: publish, new draft, delete a draft."""

    required_roles = OFFICE
    action = ""

    def post(self, request, pk):
        standard = get_object_or_404(Standard, pk=pk)
        try:
            if self.action == "publish":
                services.publish_standard(standard=standard, actor=request.user)
                messages.success(request, "已发布：该版本此后不可修改")
            elif self.action == "draft":
                form = DraftForm(request.POST)
                version = form.cleaned_data["version"] if form.is_valid() else ""
                standard = services.create_draft_from(standard=standard, actor=request.user, version=version)
                messages.success(request, f"已基于该版本新建草稿“{standard.version}”")
            elif self.action == "delete":
                services.delete_standard(standard=standard, actor=request.user)
                messages.success(request, "草稿已删除")
                return redirect("standards:list")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(_detail_url(standard))


class RowFormView(ServiceFormView):
    """Create (``standard_pk``) or edit (``pk``) one row of a draft."""

    template_name = "standards/form.html"
    required_roles = OFFICE

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.kind = kwargs["kind"]
        if self.kind not in ROW_MODELS:
            from django.http import Http404

            raise Http404("未知类型")
        self.instance = None
        if "pk" in kwargs:
            self.instance = get_object_or_404(ROW_MODELS[self.kind], pk=kwargs["pk"])
            self.standard = self.instance.standard
        else:
            self.standard = get_object_or_404(Standard, pk=kwargs["standard_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return ROW_FORMS[self.kind]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs() | {"standard": self.standard}
        if self.instance is not None:
            kwargs["instance"] = self.instance
        return kwargs

    def get_context_data(self, **kwargs):
        verb = "编辑" if self.instance else "新增"
        return super().get_context_data(**kwargs) | {
            "title": f"{verb}{ROW_LABELS[self.kind]}：{self.standard}",
            "back_url": _detail_url(self.standard),
            "instance": self.instance,
            "delete_url": reverse("standards:row_delete", args=[self.kind, self.instance.pk]) if self.instance else "",
        }

    def perform(self, form):
        data = dict(form.cleaned_data)
        if self.instance is None:
            return services.create_row(
                actor=self.request.user, model=ROW_MODELS[self.kind], standard=self.standard, **data
            )
        return services.update_row(actor=self.request.user, instance=self.instance, **data)

    def get_success_url(self):
        if self.kind == "item":
            return reverse("standards:item_detail", args=[self.object.pk])
        if self.kind == "indicator":
            return reverse("standards:indicator_detail", args=[self.object.pk])
        return _detail_url(self.standard)


class RowDeleteView(RoleRequiredMixin, generic.View):
    required_roles = OFFICE

    def post(self, request, kind, pk):
        if kind not in ROW_MODELS:
            from django.http import Http404

            raise Http404("未知类型")
        instance = get_object_or_404(ROW_MODELS[kind], pk=pk)
        standard = instance.standard
        try:
            services.delete_row(actor=request.user, instance=instance)
            messages.success(request, f"{ROW_LABELS[kind]}已删除")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(_detail_url(standard))


class RubricImportView(RoleRequiredMixin, generic.View):
    required_roles = OFFICE
    template_name = "core/import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.standard = get_object_or_404(Standard, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return render(request, self.template_name, self._context(ImportForm()))

    def post(self, request, pk):
        form = ImportForm(request.POST, request.FILES)
        report = None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                counts = services.import_rubric(
                    actor=request.user, standard=self.standard, data=upload.read(), filename=upload.name
                )
            except ImportFailed as exc:
                report = exc.report
                form.add_error("file", exc.message)
            except DomainError as exc:
                form.add_error("file", exc.message)
            else:
                messages.success(
                    request,
                    f"导入成功：新增条款 {counts['clauses_created']} 条，新增检查项 {counts['items_created']} 项，"
                    f"更新检查项 {counts['items_updated']} 项",
                )
                return redirect(_detail_url(self.standard))
        return render(request, self.template_name, self._context(form, report), status=400)

    def _context(self, form, report=None):
        return {
            "form": form,
            "report": report,
            "title": f"导入评分表到草稿：{self.standard}",
            "columns": services.RUBRIC_COLUMNS,
            "back_url": _detail_url(self.standard),
            "required": "条款编号、条款；有检查项时填检查项编码和检查项；扣分留空或填“待核实”表示未知",
        }


class RubricExportView(RoleRequiredMixin, generic.View):
    def get(self, request, pk):
        standard = get_object_or_404(Standard, pk=pk)
        content = write_xlsx(
            title=standard.version, headers=services.RUBRIC_COLUMNS, rows=services.export_rubric_rows(standard)
        )
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        name = f"{standard.name}（{standard.version}）检查项.xlsx".replace("/", "-")
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
