import django_filters
from django.db.models import Q

from chuangcheng.org.models import Unit, UnitKind


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label="类型")
    parent = django_filters.NumberFilter(field_name="parent_id", label="上级单位ID")
    is_active = django_filters.BooleanFilter(label="启用")

    class Meta:
        model = Unit
        fields = ("q", "kind", "parent", "is_active")

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(short_name__icontains=value))
