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


def _visible_campaigns(request):
    user = getattr(request, "user", None)
    campaigns = Campaign.objects.visible_to(user) if user is not None else Campaign.objects.none()
    return campaigns.select_related("unit").order_by("unit__path", "id")


class CampaignChoice(django_filters.ModelChoiceFilter.field_class):
    def label_from_instance(self, campaign):
        return f"{campaign.name}（{campaign.unit.name}）"


class CampaignFilter(django_filters.ModelChoiceFilter):
    """``?campaign=<id>`` on the lists of objects a campaign owns (a campaign the user sees, else 400);
    ``?campaign=none`` finds those without one."""

    field_class = CampaignChoice

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "创建活动")
        kwargs.setdefault("field_name", "campaign")
        kwargs.setdefault("queryset", _visible_campaigns)
        kwargs.setdefault("null_label", "未归属活动")
        kwargs.setdefault("null_value", "none")
        super().__init__(*args, **kwargs)
