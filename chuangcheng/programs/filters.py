import django_filters
from django.db.models import Q

from chuangcheng.org.models import UnitKind
from chuangcheng.programs.models import Campaign, CampaignStatus
from chuangcheng.programs.titles import Title


class CampaignFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    unit = django_filters.NumberFilter(method="filter_unit", label="单位ID（含下级）")
    level = django_filters.ChoiceFilter(field_name="unit__kind", choices=UnitKind.choices, label="层级")
    title = django_filters.ChoiceFilter(choices=Title.choices, label="创建目标")
    status = django_filters.ChoiceFilter(choices=CampaignStatus.choices, label="状态")
    is_demo = django_filters.BooleanFilter(label="演示")

    class Meta:
        model = Campaign
        fields = ("q", "unit", "level", "title", "status", "is_demo")

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(unit__name__icontains=value))

    def filter_unit(self, queryset, name, value):
        from chuangcheng.org.models import Unit

        path = Unit.objects.filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(unit__path__startswith=path) if path else queryset.none()


class CampaignFilter(django_filters.Filter):
    """``?campaign=<id>`` on the lists of objects a campaign owns; ``?campaign=none`` finds those without one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "创建活动")
        kwargs.setdefault("field_name", "campaign")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        if str(value).strip().lower() == "none":
            return qs.filter(**{f"{self.field_name}__isnull": True})
        try:
            pk = int(value)
        except (TypeError, ValueError):
            return qs.none()
        if not 0 < pk < 2**63:
            return qs.none()
        return qs.filter(**{f"{self.field_name}_id": pk})
