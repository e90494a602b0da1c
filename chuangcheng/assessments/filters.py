import django_filters
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

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
from chuangcheng.core.params import MAX_YEAR, MIN_YEAR
from chuangcheng.programs.filters import CampaignFilter


class SchemeFilterSet(django_filters.FilterSet):
    campaign = CampaignFilter()

    class Meta:
        model = Scheme
        fields = ("code", "status", "campaign")


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
    year = django_filters.NumberFilter(field_name="end__year", label="年度", min_value=MIN_YEAR, max_value=MAX_YEAR)
    campaign = CampaignFilter()

    class Meta:
        model = Period
        fields = ("kind", "status", "year", "scheme", "campaign")


class UnitScoreFilterSet(django_filters.FilterSet):
    class Meta:
        model = UnitScore
        fields = ("period", "unit", "group", "flag", "award_ineligible")


class ScoreLineFilterSet(django_filters.FilterSet):
    case_ref = django_filters.NumberFilter(method="by_case", label="案件ID")

    class Meta:
        model = ScoreLine
        fields = ("period", "unit", "score", "kind", "rule", "case_ref")

    def by_case(self, queryset, name, value):
        """Lines that name the case: on the line itself or among the cases listed in its items."""
        table = ScoreLine._meta.db_table
        if connection.vendor == "postgresql":
            listed = f"""jsonb_path_exists("{table}"."items", '$[*] ? (@[0] == $id)', jsonb_build_object('id', %s))"""
        else:  # SQLite's JSON1
            listed = f"""EXISTS (SELECT 1 FROM json_each("{table}"."items") WHERE json_extract(value, '$[0]') = %s)"""
        case_id = int(value)
        listed_sql = RawSQL(listed, [case_id], output_field=BooleanField())
        return queryset.alias(listed=listed_sql).filter(Q(case_ref=case_id) | Q(listed=True))


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
