import django_filters

from chuangcheng.inspections.models import (
    Finding,
    FindingResult,
    InspectionRound,
    PatrolKind,
    PatrolRecord,
    RoundKind,
    RoundStatus,
    SiteVisit,
    VisitStatus,
)
from chuangcheng.programs.filters import CampaignFilter


class RoundFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="名称")
    kind = django_filters.ChoiceFilter(choices=RoundKind.choices, label="类型")
    status = django_filters.ChoiceFilter(choices=RoundStatus.choices, label="状态")
    campaign = CampaignFilter()

    class Meta:
        model = InspectionRound
        fields = ("q", "kind", "status", "campaign")


class VisitFilterSet(django_filters.FilterSet):
    round = django_filters.NumberFilter(field_name="round_id", label="轮次")
    status = django_filters.ChoiceFilter(choices=VisitStatus.choices, label="状态")
    mine = django_filters.BooleanFilter(method="only_mine", label="只看我的")

    class Meta:
        model = SiteVisit
        fields = ("round", "status", "mine")

    def only_mine(self, queryset, name, value):
        if value and self.request is not None:
            return queryset.filter(inspector_id=self.request.user.pk)
        return queryset


class FindingFilterSet(django_filters.FilterSet):
    round = django_filters.NumberFilter(field_name="visit__round_id", label="轮次")
    visit = django_filters.NumberFilter(field_name="visit_id", label="点位检查")
    result = django_filters.ChoiceFilter(choices=FindingResult.choices, label="结果")

    class Meta:
        model = Finding
        fields = ("round", "visit", "result")


class PatrolFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PatrolKind.choices, label="方式")
    area = django_filters.NumberFilter(field_name="area_id", label="网格")

    class Meta:
        model = PatrolRecord
        fields = ("kind", "area")
