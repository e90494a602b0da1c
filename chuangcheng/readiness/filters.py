import django_filters

from chuangcheng.programs.filters import CampaignFilter
from chuangcheng.readiness.models import ForecastRun, InspectionWindow, WindowKind


class WindowFilterSet(django_filters.FilterSet):
    campaign = CampaignFilter()
    kind = django_filters.ChoiceFilter(choices=WindowKind.choices, label="类型")
    is_active = django_filters.BooleanFilter(label="有效")

    class Meta:
        model = InspectionWindow
        fields = ("campaign", "kind", "is_active")


class RunFilterSet(django_filters.FilterSet):
    campaign = CampaignFilter()

    class Meta:
        model = ForecastRun
        fields = ("campaign",)
