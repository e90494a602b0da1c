from django.http import HttpResponse
from django.urls import reverse
from django.views import generic

from chuangcheng.accounts.models import OFFICE_ROLES
from chuangcheng.accounts.permissions import can_edit_org
from chuangcheng.core.tabular import XLSX_CONTENT_TYPE, write_xlsx
from chuangcheng.core.views import (
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ServiceFormView,
    TabularImportView,
)
from chuangcheng.org import services
from chuangcheng.org.filters import UnitFilterSet
from chuangcheng.org.forms import UnitForm
from chuangcheng.org.models import Unit
from chuangcheng.org.selectors import ancestors, unit_tree


class UnitListView(ScopedListView):
    model = Unit
    filterset_class = UnitFilterSet
    template_name = "org/unit_list.html"
    paginate_by = 500

    def get_queryset(self):
        return super().get_queryset().select_related("parent").order_by("path")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = unit_tree(context["page_obj"].object_list if context.get("page_obj") else self.object_list)
        context["can_edit"] = can_edit_org(self.request.user)
        return context


class UnitDetailView(ScopedDetailView):
    model = Unit
    template_name = "org/unit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object
        chain = ancestors(unit)
        visible = set(
            Unit.objects.visible_to(self.request.user).filter(pk__in=[a.pk for a in chain]).values_list("pk", flat=True)
        )
        context["ancestors"] = [(a, a.pk in visible) for a in chain]  # out-of-scope ones are not links (they 404)
        context["children"] = unit.children.visible_to(self.request.user).order_by("sort_order", "name")
        context["members"] = unit.memberships.select_related("user").order_by("role")
        context["can_edit"] = can_edit_org(self.request.user)
        return context


class UnitCreateView(ServiceFormView):
    form_class = UnitForm
    template_name = "org/unit_form.html"
    required_roles = tuple(OFFICE_ROLES)
    success_message = "单位已创建"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_initial(self):
        return {"parent": self.request.GET.get("parent")}

    def perform(self, form):
        return services.create_unit(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("org:unit_detail", args=[self.object.pk])


class UnitUpdateView(ScopedObjectMixin, UnitCreateView):
    model = Unit
    success_message = "单位已保存"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.unit = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        unit = self.unit
        return {name: getattr(unit, name) for name in services.EDITABLE_FIELDS}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"object": self.unit}

    def perform(self, form):
        return services.update_unit(unit=self.unit, actor=self.request.user, **form.cleaned_data)


class UnitImportView(TabularImportView):
    required_roles = tuple(OFFICE_ROLES)
    title = "导入单位"
    columns = services.UNIT_COLUMNS
    required = "单位编码、单位名称、类型"
    success = "导入成功：新增 {count} 个单位"
    back = "org:unit_list"

    def run(self, upload):
        return services.import_units(actor=self.request.user, data=upload.read(), filename=upload.name)


class UnitExportView(RoleRequiredMixin, generic.View):
    def get(self, request):
        queryset = UnitFilterSet(request.GET or None, queryset=Unit.objects.visible_to(request.user)).qs
        content = write_xlsx(title="单位", headers=services.UNIT_COLUMNS, rows=services.export_rows(queryset))
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = "attachment; filename*=UTF-8''%E5%8D%95%E4%BD%8D.xlsx"
        return response
