"""12345 import pages: upload, header row and column mapping with preview and itemised validation,
import, the batch's outcome (cases opened, placed, routed, still 待立案), export in the reply format."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from chuangcheng.accounts.models import OFFICE_ROLES
from chuangcheng.core.errors import DomainError
from chuangcheng.core.tabular import XLSX_CONTENT_TYPE, ImportFailed, write_xlsx
from chuangcheng.core.views import RoleRequiredMixin, ScopedListView, ScopedObjectMixin, ServiceFormView
from chuangcheng.public import workorders
from chuangcheng.public.forms import MappingForm, UploadForm
from chuangcheng.public.models import BatchStatus, HotlineBatch, HotlineOrder
from chuangcheng.public.services import hotline as services

OFFICE = tuple(OFFICE_ROLES)


class HeaderRowForm(forms.Form):
    """Which of the file's first rows holds the header (a title row and blank rows may come first)."""

    header_row = forms.TypedChoiceField(label="表头所在行", coerce=int)

    def __init__(self, *args, batch: HotlineBatch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["header_row"].choices = [
            (row["row"], f"第 {row['row']} 行：" + "｜".join(cell for cell in row["cells"] if cell)[:60])
            for row in batch.head_rows
        ]
        self.fields["header_row"].initial = batch.header_row


class HotlineListView(ScopedListView):
    model = HotlineBatch
    template_name = "public/hotline_list.html"
    required_roles = OFFICE
    paginate_by = 30

    def get_context_data(self, **kwargs):
        orders = HotlineOrder.objects.visible_to(self.request.user)
        pending = orders.filter(case__isnull=True).count()
        return super().get_context_data(**kwargs) | {"order_count": orders.count(), "pending_count": pending}


class HotlineUploadView(ServiceFormView):
    form_class = UploadForm
    template_name = "public/hotline_upload.html"
    required_roles = OFFICE
    success_message = "文件已上传，请核对列对应关系"

    def perform(self, form):
        upload = form.cleaned_data["file"]
        return services.upload_batch(actor=self.request.user, data=upload.read(), filename=upload.name)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ImportFailed as exc:
            form.add_error("file", exc.message)
            return self.render_to_response(self.get_context_data(form=form, report=exc.report), status=422)

    def get_success_url(self):
        return reverse("public:hotline_mapping", args=[self.object.pk])


class HotlineMappingView(RoleRequiredMixin, ScopedObjectMixin, View):
    """GET: the mapping form (guessed from the headers). POST ``preview``: validate every row and
    show the first rows, counts and each problem. POST ``import``: import all or nothing."""

    model = HotlineBatch
    required_roles = OFFICE
    template_name = "public/hotline_mapping.html"

    def _context(self, batch, form, header_form=None) -> dict:
        return {"batch": batch, "form": form, "header_form": header_form or HeaderRowForm(batch=batch)}

    def get(self, request, pk):
        batch = self.get_object()
        form = MappingForm(initial=batch.mapping, headers=batch.headers)
        return render(request, self.template_name, self._context(batch, form))

    def post(self, request, pk):
        batch = self.get_object()
        if request.POST.get("action") == "header":
            return self._choose_header(request, batch)
        form = MappingForm(request.POST, headers=batch.headers)
        context = self._context(batch, form)
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        mapping = {name: column for name, column in form.cleaned_data.items() if column}
        try:
            if request.POST.get("action") == "import":
                batch = services.import_batch(batch=batch, actor=request.user, mapping=mapping)
                progress = services.batch_progress(batch)
                messages.success(
                    request,
                    f"导入完成：新增 {batch.created_count} 条，变更 {batch.changed_count} 条，"
                    f"未变 {batch.unchanged_count} 条；已立案 {progress['opened']} 件（定位 {progress['placed']} 件，"
                    f"派遣 {progress['routed']} 件）"
                    + (f"，{progress['pending']} 条待立案" if progress["pending"] else ""),
                )
                return redirect("public:hotline_batch", pk=batch.pk)
            context["preview"] = services.preview(batch=batch, mapping=mapping)
            context["fields"] = workorders.FIELDS
        except ImportFailed as exc:
            context["report"] = exc.report
            return render(request, self.template_name, context, status=422)
        except DomainError as exc:
            form.add_error(None, exc.message)
            return render(request, self.template_name, context, status=exc.status_code)
        return render(request, self.template_name, context)

    def _choose_header(self, request, batch):
        header_form = HeaderRowForm(request.POST, batch=batch)
        form = MappingForm(initial=batch.mapping, headers=batch.headers)
        if header_form.is_valid():
            try:
                batch = services.choose_header_row(
                    batch=batch, actor=request.user, header_row=header_form.cleaned_data["header_row"]
                )
            except ImportFailed as exc:
                context = self._context(batch, form, header_form) | {"report": exc.report}
                return render(request, self.template_name, context, status=422)
            except DomainError as exc:
                header_form.add_error("header_row", exc.message)
            else:
                messages.success(request, f"已改用第 {batch.header_row} 行作为表头，请核对列对应关系")
                return redirect("public:hotline_mapping", pk=batch.pk)
        return render(request, self.template_name, self._context(batch, form, header_form), status=400)


class HotlineBatchView(RoleRequiredMixin, ScopedObjectMixin, View):
    model = HotlineBatch
    required_roles = OFFICE

    def get(self, request, pk):
        batch = self.get_object()
        if batch.status != BatchStatus.IMPORTED:
            return redirect("public:hotline_mapping", pk=batch.pk)
        progress = services.batch_progress(batch)
        return render(request, "public/hotline_batch.html", {"batch": batch, "progress": progress})


class HotlineExportView(RoleRequiredMixin, View):
    """Results in the hotline's reply format (one row per 工单编号)."""

    required_roles = OFFICE

    def get(self, request):
        orders = (
            HotlineOrder.objects.visible_to(request.user)
            .select_related("unit", "case", "case__lead_unit")
            .order_by("received_at", "number")
        )
        batch = request.GET.get("batch") or ""
        if batch.isdigit():
            orders = orders.filter(batch_id=int(batch))
        content = write_xlsx(
            title="12345工单办理结果",
            headers=services.REPLY_HEADERS,
            rows=services.reply_rows(orders.iterator(chunk_size=2000)),
        )
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        stamp = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''hotline-reply-{stamp}.xlsx"
        return response
