"""One FilterSet per model, shared by the API and the list pages."""

import django_filters
from django.db.models import Q

from chuangcheng.org.models import Unit
from chuangcheng.places.models import Area, AreaLevel, Site, SiteCategory, SiteCategoryGroup
from chuangcheng.places.selectors import descendant_area_ids, parse_bbox


def _bbox_filter(queryset, value, *, point: bool):
    box = parse_bbox(value)
    if box is None:
        return queryset.none()
    min_lng, min_lat, max_lng, max_lat = box
    if point:
        return queryset.filter(lng__gte=min_lng, lng__lte=max_lng, lat__gte=min_lat, lat__lte=max_lat)
    return queryset.filter(min_lng__lte=max_lng, max_lng__gte=min_lng, min_lat__lte=max_lat, max_lat__gte=min_lat)


def _unit_subtree(queryset, field: str, value):
    unit = Unit.objects.filter(pk=value).only("path").first()
    if unit is None:
        return queryset.none()
    return queryset.filter(**{f"{field}__path__startswith": unit.path})


class AreaFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    level = django_filters.ChoiceFilter(choices=AreaLevel.choices, label="层级")
    parent = django_filters.NumberFilter(field_name="parent_id", label="上级区域ID")
    within = django_filters.NumberFilter(method="filter_within", label="所属区域ID（含下级）")
    unit = django_filters.NumberFilter(method="filter_unit", label="属地单位ID（含下级）")
    bbox = django_filters.CharFilter(method="filter_bbox", label="范围（最小经度,最小纬度,最大经度,最大纬度）")

    class Meta:
        model = Area
        fields = ("q", "level", "parent", "within", "unit", "bbox")

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))

    def filter_within(self, queryset, name, value):
        return queryset.filter(pk__in=descendant_area_ids([value]))

    def filter_unit(self, queryset, name, value):
        return _unit_subtree(queryset, "unit", value)

    def filter_bbox(self, queryset, name, value):
        return _bbox_filter(queryset, value, point=False)


class SiteFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    category = django_filters.ModelChoiceFilter(queryset=SiteCategory.objects.all(), label="类别")
    category_code = django_filters.CharFilter(field_name="category__code", label="类别编码")
    area = django_filters.NumberFilter(method="filter_area", label="所在区域ID（含下级）")
    unit = django_filters.NumberFilter(method="filter_unit", label="属地单位ID（含下级）")
    department = django_filters.NumberFilter(field_name="department_id", label="主管部门ID")
    is_active = django_filters.BooleanFilter(label="启用")
    bbox = django_filters.CharFilter(method="filter_bbox", label="范围（最小经度,最小纬度,最大经度,最大纬度）")

    class Meta:
        model = Site
        fields = ("q", "category", "category_code", "area", "unit", "department", "is_active", "bbox")

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(address__icontains=value))

    def filter_area(self, queryset, name, value):
        return queryset.filter(area_id__in=descendant_area_ids([value]))

    def filter_unit(self, queryset, name, value):
        return _unit_subtree(queryset, "unit", value)

    def filter_bbox(self, queryset, name, value):
        return _bbox_filter(queryset, value, point=True)


class SiteCategoryFilterSet(django_filters.FilterSet):
    group = django_filters.ChoiceFilter(choices=SiteCategoryGroup.choices, label="适用")
    geometry_kind = django_filters.ChoiceFilter(choices=(("point", "点"), ("line", "线")), label="形态")

    class Meta:
        model = SiteCategory
        fields = ("group", "geometry_kind")
