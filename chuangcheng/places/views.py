"""Pages for areas, sites and the map; thin adapters over selectors, filters and services."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.urls import reverse
from django.views import generic

from chuangcheng.accounts.models import OFFICE_ROLES
from chuangcheng.core.tabular import XLSX_CONTENT_TYPE, write_xlsx
from chuangcheng.core.views import (
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ServiceFormView,
    TabularImportView,
)
from chuangcheng.places import services
from chuangcheng.places.filters import AreaFilterSet, SiteFilterSet
from chuangcheng.places.forms import DivisionLoadForm, SiteForm
from chuangcheng.places.models import Area, AreaLevel, Site, SiteCategory
from chuangcheng.places.permissions import can_edit_places
from chuangcheng.places.selectors import area_ancestors


def map_config(request, *, focus: Area | None = None, site: Site | None = None) -> dict:
    """What map.js needs: tiles (if any), API urls, the initial bounds (WGS-84)."""
    config = {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "tile_crs": settings.MAP_TILE_CRS,
        "areas_url": reverse("area-list"),
        "sites_url": reverse("site-list"),
        "locate_url": reverse("places-locate"),
        "area_detail_url": reverse("places:area_detail", args=[0]),
        "site_detail_url": reverse("places:site_detail", args=[0]),
        "focus_area": focus.pk if focus else None,
        "bounds": None,
    }
    if focus is not None and focus.min_lng is not None:
        config["bounds"] = [[focus.min_lng, focus.min_lat], [focus.max_lng, focus.max_lat]]
    elif site is not None:
        pad = 0.004
        config["bounds"] = [[site.lng - pad, site.lat - pad], [site.lng + pad, site.lat + pad]]
    else:
        top = Area.objects.visible_to(request.user).exclude(min_lng=None).order_by("level", "code").first()
        if top is not None:
            config["bounds"] = [[top.min_lng, top.min_lat], [top.max_lng, top.max_lat]]
    return config


class AreaListView(ScopedListView):
    model = Area
    filterset_class = AreaFilterSet
    template_name = "places/area_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("parent", "unit").order_by("level", "code")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "levels": AreaLevel.choices,
            "can_edit": can_edit_places(self.request.user),
        }


class AreaDetailView(ScopedDetailView):
    model = Area
    template_name = "places/area_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("parent", "unit")

    def get_context_data(self, **kwargs):
        area = self.object
        user = self.request.user
        children = area.children.visible_to(user).order_by("code")
        ancestors = area_ancestors(area)
        visible = set(
            Area.objects.visible_to(user).filter(pk__in=[a.pk for a in ancestors]).values_list("pk", flat=True)
        )
        return super().get_context_data(**kwargs) | {
            "ancestors": [(a, a.pk in visible) for a in ancestors],
            "children": children[:200],
            "children_count": children.count(),
            "site_count": SiteFilterSet({"area": area.pk}, queryset=Site.objects.visible_to(user)).qs.count(),
            "map_config": map_config(self.request, focus=area),
        }


class SiteListView(ScopedListView):
    model = Site
    filterset_class = SiteFilterSet
    template_name = "places/site_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("category", "area", "unit", "department").order_by("code")

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "categories": SiteCategory.objects.order_by("sort_order", "code"),
            "area_choices": Area.objects.visible_to(user).filter(level__lte=AreaLevel.STREET).order_by("level", "code"),
            "can_edit": can_edit_places(user),
        }


class SiteDetailView(ScopedDetailView):
    model = Site
    template_name = "places/site_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("category", "area", "unit", "department")

    def get_context_data(self, **kwargs):
        site = self.object
        chain = area_ancestors(site.area) + [site.area] if site.area else []
        visible = set(
            Area.objects.visible_to(self.request.user).filter(pk__in=[a.pk for a in chain]).values_list("pk", flat=True)
        )
        return super().get_context_data(**kwargs) | {
            "chain": [(a, a.pk in visible) for a in chain],
            "can_edit": can_edit_places(self.request.user),
            "map_config": map_config(self.request, site=site),
        }


class SiteCreateView(ServiceFormView):
    form_class = SiteForm
    template_name = "places/site_form.html"
    required_roles = tuple(OFFICE_ROLES)
    success_message = "点位已创建"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def perform(self, form):
        return services.create_site(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("places:site_detail", args=[self.object.pk])


class SiteUpdateView(ScopedObjectMixin, SiteCreateView):
    model = Site
    success_message = "点位已保存"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.site = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        fields = ("code", "name", "category", "address", "lng", "lat", "unit", "department", "is_active")
        return {name: getattr(self.site, name) for name in fields}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"object": self.site}

    def perform(self, form):
        return services.update_site(site=self.site, actor=self.request.user, **form.cleaned_data)


class ImportView(TabularImportView):
    required_roles = tuple(OFFICE_ROLES)


class SiteImportView(ImportView):
    title = "导入点位"
    columns = services.SITE_COLUMNS
    required = "点位编码、点位名称、类别、经度、纬度"
    success = "导入成功：新增 {count} 个点位"
    back = "places:site_list"

    def run(self, upload):
        return services.import_sites(actor=self.request.user, data=upload.read(), filename=upload.name)


class AreaImportView(ImportView):
    title = "导入区域（GeoJSON）"
    file_label = "文件（GeoJSON）"
    columns = ("code", "name", "level", "parent_code", "unit_code", "population")
    required = (
        "GeoJSON FeatureCollection；每个要素的 properties 含 code、name、level（1–5），几何为 Polygon/MultiPolygon"
    )
    success = "导入成功：新增 {count} 个区域"
    back = "places:area_list"

    def run(self, upload):
        return services.import_areas_geojson(actor=self.request.user, data=upload.read())


class SiteExportView(RoleRequiredMixin, generic.View):
    def get(self, request):
        queryset = SiteFilterSet(request.GET or None, queryset=Site.objects.visible_to(request.user)).qs
        content = write_xlsx(title="点位", headers=services.SITE_COLUMNS, rows=services.export_site_rows(queryset))
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = "attachment; filename*=UTF-8''%E7%82%B9%E4%BD%8D.xlsx"
        return response


class MapView(RoleRequiredMixin, generic.TemplateView):
    template_name = "places/map.html"

    def get_context_data(self, **kwargs):
        focus = None
        area_id = self.request.GET.get("area", "")
        if area_id.isdigit():
            focus = Area.objects.visible_to(self.request.user).filter(pk=int(area_id)).first()
        return super().get_context_data(**kwargs) | {
            "map_config": map_config(self.request, focus=focus),
            "focus": focus,
            "levels": [(value, label) for value, label in AreaLevel.choices if value > 1],
            "categories": SiteCategory.objects.order_by("sort_order", "code"),
        }


class DivisionLoadView(ServiceFormView):
    """建立辖区：choose a city or county from the official divisions and get its unit and area trees."""

    required_roles = tuple(OFFICE_ROLES)
    form_class = DivisionLoadForm
    template_name = "places/divisions.html"
    success_message = ""

    def get_context_data(self, **kwargs):
        loaded = Area.objects.visible_to(self.request.user).exclude(division_code=None).filter(level__lte=2)
        return super().get_context_data(**kwargs) | {
            "loaded": loaded.order_by("level", "division_code")[:50],
            "divisions_url": reverse("places-divisions"),
        }

    def perform(self, form):
        result = services.load_divisions(actor=self.request.user, code=form.cleaned_data["code"])
        messages.success(self.request, result.summary)
        return result

    def get_success_url(self):
        return reverse("places:divisions")
