import django_filters
from django.db.models import Q

from chuangcheng.accounts.models import Role, User
from chuangcheng.org.models import Unit


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    role = django_filters.ChoiceFilter(label="角色", choices=Role.choices, method="by_role")
    unit = django_filters.ModelChoiceFilter(label="单位", queryset=Unit.objects.order_by("path"), method="by_unit")
    is_active = django_filters.BooleanFilter(label="启用")

    class Meta:
        model = User
        fields = ("q", "role", "unit", "is_active")

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(username__icontains=value) | Q(full_name__icontains=value) | Q(phone__icontains=value))

    def by_role(self, queryset, name, value):
        return queryset.filter(memberships__role=value).distinct()

    def by_unit(self, queryset, name, value):
        return queryset.filter(memberships__unit=value).distinct()
