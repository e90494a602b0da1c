import django_filters

from chuangcheng.assessments.models import (
    AccountabilityKind,
    AccountabilityRecord,
    Commendation,
    Decision,
    IndicatorResult,
    PeerGroup,
    Period,
    PeriodKind,
    PeriodStatus,
    Rule,
    Scheme,
    ScoreLine,
    UnitScore,
)


class SchemeFilterSet(django_filters.FilterSet):
    class Meta:
        model = Scheme
        fields = ("code", "status")


class RuleFilterSet(django_filters.FilterSet):
    class Meta:
        model = Rule
        fields = ("scheme", "kind")


class PeerGroupFilterSet(django_filters.FilterSet):
    class Meta:
        model = PeerGroup
        fields = ("scheme",)


class PeriodFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PeriodKind.choices, label="考核类型")
    status = django_filters.ChoiceFilter(choices=PeriodStatus.choices, label="状态")
    year = django_filters.NumberFilter(field_name="end__year", label="年度")

    class Meta:
        model = Period
        fields = ("kind", "status", "year", "scheme")


class UnitScoreFilterSet(django_filters.FilterSet):
    class Meta:
        model = UnitScore
        fields = ("period", "unit", "group", "flag", "award_ineligible")


class ScoreLineFilterSet(django_filters.FilterSet):
    class Meta:
        model = ScoreLine
        fields = ("period", "unit", "score", "kind", "rule", "case_ref")


class IndicatorResultFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(
        method="by_level", choices=(("unit", "单位"), ("area", "区域")), label="统计口径"
    )

    class Meta:
        model = IndicatorResult
        fields = ("period", "unit", "area", "code", "grade")

    def by_level(self, queryset, name, value):
        return queryset.filter(unit__isnull=(value == "area"))


class DecisionFilterSet(django_filters.FilterSet):
    class Meta:
        model = Decision
        fields = ("unit", "period", "kind")


class AccountabilityFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=AccountabilityKind.choices, label="方式")

    class Meta:
        model = AccountabilityRecord
        fields = ("unit", "period", "kind", "person")


class CommendationFilterSet(django_filters.FilterSet):
    class Meta:
        model = Commendation
        fields = ("unit", "period", "person")
