import django_filters
from django.db.models import Q

from chuangcheng.standards.models import (
    CheckItem,
    Clause,
    Compliance,
    Indicator,
    IndicatorReport,
    MaterialRequirement,
    SamplingQuota,
    Standard,
    StandardKind,
    StandardStatus,
)


class StandardFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    kind = django_filters.ChoiceFilter(choices=StandardKind.choices, label="类型")
    status = django_filters.ChoiceFilter(choices=StandardStatus.choices, label="状态")

    class Meta:
        model = Standard
        fields = ("q", "kind", "status", "code")

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(version__icontains=value))


class TreeRowFilterSet(django_filters.FilterSet):
    standard = django_filters.NumberFilter(field_name="standard_id", label="标准ID")
    uncertain = django_filters.BooleanFilter(label="待核实")


class ClauseFilterSet(TreeRowFilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    parent = django_filters.NumberFilter(field_name="parent_id", label="上级条款ID")

    class Meta:
        model = Clause
        fields = ("standard", "parent", "level", "uncertain", "q")

    def search(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value) | Q(text__icontains=value))


class CheckItemFilterSet(TreeRowFilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    clause = django_filters.NumberFilter(field_name="clause_id", label="条款ID")
    site_category = django_filters.NumberFilter(field_name="site_categories", label="点位类别ID")
    site_category_code = django_filters.CharFilter(field_name="site_categories__code", label="点位类别编码")

    class Meta:
        model = CheckItem
        fields = ("standard", "clause", "site_category", "site_category_code", "severity", "is_veto", "is_sample", "q")

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(title__icontains=value) | Q(description__icontains=value))


class IndicatorFilterSet(TreeRowFilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")

    class Meta:
        model = Indicator
        fields = ("standard", "is_hard", "operator", "uncertain", "q")

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class MaterialRequirementFilterSet(TreeRowFilterSet):
    class Meta:
        model = MaterialRequirement
        fields = ("standard", "clause", "uncertain")


class SamplingQuotaFilterSet(TreeRowFilterSet):
    class Meta:
        model = SamplingQuota
        fields = ("standard", "category", "row_kind", "uncertain")


class IndicatorReportFilterSet(django_filters.FilterSet):
    indicator = django_filters.NumberFilter(field_name="indicator_id", label="指标ID")
    standard = django_filters.NumberFilter(field_name="indicator__standard_id", label="标准ID")
    unit = django_filters.NumberFilter(field_name="unit_id", label="单位ID")
    compliance = django_filters.ChoiceFilter(choices=Compliance.choices, label="判定")

    class Meta:
        model = IndicatorReport
        fields = ("indicator", "standard", "unit", "period", "compliance")
