"""The 测评操作手册 pages: upload → preview (checked, nothing written) → import into a draft; template; export."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views import generic

from chuangcheng.core.errors import DomainError
from chuangcheng.core.tabular import XLSX_CONTENT_TYPE, ImportFailed
from chuangcheng.core.views import RoleRequiredMixin
from chuangcheng.standards import services
from chuangcheng.standards.forms import ManualImportForm
from chuangcheng.standards.models import Standard, StandardStatus, method_labels
from chuangcheng.standards.services.manual_io import MANUAL_KINDS
from chuangcheng.standards.services.manual_sheet import COLUMN_NOTES
from chuangcheng.standards.views.edit import OFFICE

SESSION_KEY = "standards.manual_upload"
MAX_PREVIEW_BYTES = 5 * 1024 * 1024


def _xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, name.replace("/", "-"))
    return response


def preview_rows(manual) -> list[dict]:
    """The checked manual as 测评项目 → 测评内容 rows for the preview table."""
    rows = []
    for project in manual.projects.values():
        contents = [manual.contents[number] for number in project.contents]
        rows.append(
            {
                "project": project,
                "contents": [
                    {
                        "content": content,
                        "methods": "、".join(method_labels(",".join(content.methods))),
                        "observed": sum(1 for item in content.items if item["judgement"] == "observe"),
                    }
                    for content in contents
                ],
            }
        )
    return rows


class ManualImportView(RoleRequiredMixin, generic.View):
    required_roles = OFFICE
    template_name = "standards/manual_import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.standard = get_object_or_404(Standard, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return render(request, self.template_name, self._context(ManualImportForm()))

    def post(self, request, pk):
        form = ManualImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self._context(form), status=400)
        upload = form.cleaned_data["file"]
        stored = request.session.get(SESSION_KEY) or {}
        if upload is not None:
            data, name = upload.read(), upload.name
        elif stored.get("standard") == self.standard.pk:
            data, name = base64.b64decode(stored["data"]), stored["name"]
        else:
            form.add_error("file", "请选择要导入的测评操作手册文件")
            return render(request, self.template_name, self._context(form), status=400)
        try:
            if request.POST.get("action") == "import":
                counts = services.import_manual(actor=request.user, standard=self.standard, data=data, filename=name)
            else:
                manual = services.read_manual(data=data, filename=name)
        except ImportFailed as exc:
            form.add_error("file", exc.message)
            return render(request, self.template_name, self._context(form, report=exc.report), status=400)
        except DomainError as exc:
            form.add_error("file", exc.message)
            return render(request, self.template_name, self._context(form), status=400)
        if request.POST.get("action") == "import":
            request.session.pop(SESSION_KEY, None)
            created, items, updated, materials = (
                counts[k] for k in ("clauses_created", "items_created", "items_updated", "materials_created")
            )
            messages.success(
                request,
                f"导入成功：新增测评项目/测评内容 {created} 个，新增测评标准 {items} 条，"
                f"更新测评标准 {updated} 条，新增申报材料要求 {materials} 项",
            )
            return redirect("standards:detail", self.standard.pk)
        if len(data) <= MAX_PREVIEW_BYTES:
            request.session[SESSION_KEY] = {
                "standard": self.standard.pk,
                "name": name,
                "data": base64.b64encode(data).decode("ascii"),
            }
        context = self._context(ManualImportForm(), preview=preview_rows(manual), summary=manual.summary())
        context["stored"] = len(data) <= MAX_PREVIEW_BYTES
        context["filename"] = name
        return render(request, self.template_name, context)

    def _context(self, form, report=None, preview=None, summary=None):
        return {
            "form": form,
            "report": report,
            "preview": preview,
            "summary": summary,
            "standard": self.standard,
            "allowed": self.standard.kind in MANUAL_KINDS and self.standard.status == StandardStatus.DRAFT,
            "notes": COLUMN_NOTES,
            "title": f"导入测评操作手册：{self.standard}",
            "back_url": reverse("standards:detail", args=[self.standard.pk]),
        }


class ManualTemplateView(RoleRequiredMixin, generic.View):
    def get(self, request):
        return _xlsx_response(services.manual_template(), "测评操作手册模板.xlsx")


class ManualExportView(RoleRequiredMixin, generic.View):
    def get(self, request, pk):
        standard = get_object_or_404(Standard, pk=pk)
        content = services.write_manual_xlsx(services.export_manual_rows(standard))
        return _xlsx_response(content, f"{standard.name}（{standard.version}）测评手册.xlsx")
