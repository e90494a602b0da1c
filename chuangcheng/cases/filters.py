import django_filters
from django.db.models import Q
from django.utils import timezone

from chuangcheng.cases.models import Case, CaseSource, CaseStatus, RoutingRule, Severity
from chuangcheng.org.models import Unit
from chuangcheng.places.models import SiteCategory


class CaseFilterSet(django_filters.FilterSet):
    """Shared by the ledger page, its xlsx export and ``/api/v1/cases/``."""

    q = django_filters.CharFilter(method="search", label="搜索")
    status = django_filters.MultipleChoiceFilter(choices=CaseStatus.choices, label="状态", distinct=False)
    source = django_filters.ChoiceFilter(choices=CaseSource.choices, label="来源")
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label="严重程度")
    lead_unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), label="牵头单位")
    category = django_filters.ModelChoiceFilter(queryset=SiteCategory.objects.all(), label="类别")
    created_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label="上报起")
    created_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label="上报止")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="已超期")
    is_rebound = django_filters.BooleanFilter(label="反弹")
    escalated = django_filters.BooleanFilter(method="filter_escalated", label="督办中")
    site = django_filters.NumberFilter(field_name="site_id", label="点位ID")
    area = django_filters.NumberFilter(field_name="area_id", label="区域ID")
    check_item = django_filters.NumberFilter(field_name="check_item_id", label="检查项ID")

    class Meta:
        model = Case
        fields = ("q", "status", "source", "severity", "lead_unit", "category", "created_after", "created_before")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None and request.user.is_authenticated:
            self.filters["lead_unit"].queryset = Unit.objects.visible_to(request.user)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(title__icontains=value)
            | Q(external_ref=value)
            | Q(site__name__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        clocked = (CaseStatus.DISPATCHED, CaseStatus.SIGNED, CaseStatus.RECTIFYING)
        overdue = Q(status__in=clocked, deadline__lt=today)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_escalated(self, queryset, name, value):
        return queryset.filter(escalation_level__gt=0) if value else queryset.filter(escalation_level=0)


class RoutingRuleFilterSet(django_filters.FilterSet):
    is_active = django_filters.BooleanFilter(label="启用")
    lead_unit = django_filters.NumberFilter(field_name="lead_unit_id", label="牵头单位ID")
    category = django_filters.NumberFilter(field_name="category_id", label="类别ID")

    class Meta:
        model = RoutingRule
        fields = ("is_active", "lead_unit", "category")
