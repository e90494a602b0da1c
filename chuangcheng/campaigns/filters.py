import django_filters
from django.db.models import Q
from django.utils import timezone

from chuangcheng.campaigns.models import (
    FrontagePledge,
    LeaderAssignment,
    Meeting,
    MeetingKind,
    Notice,
    NoticeStatus,
    Plan,
    PlanStatus,
    ResponsibilityLetter,
    Task,
    TaskStatus,
)
from chuangcheng.campaigns.notice_models import AWAITING_REPLY
from chuangcheng.programs.filters import CampaignFilter


class PlanFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="搜索")
    year = django_filters.NumberFilter(label="年度")
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label="状态")
    campaign = CampaignFilter()

    class Meta:
        model = Plan
        fields = ("q", "year", "status", "campaign")


class TaskFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    plan = django_filters.NumberFilter(field_name="plan_id", label="方案ID")
    lead_unit = django_filters.NumberFilter(field_name="lead_unit_id", label="牵头单位ID")
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label="状态")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="已超期")

    class Meta:
        model = Task
        fields = ("q", "plan", "lead_unit", "status", "overdue")

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(number__icontains=value))

    def filter_overdue(self, queryset, name, value):
        late = Q(deadline__lt=timezone.localdate()) & ~Q(status=TaskStatus.DONE)
        return queryset.filter(late) if value else queryset.exclude(late)


class LetterFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="年度")
    unit = django_filters.NumberFilter(field_name="unit_id", label="单位ID")
    signed = django_filters.BooleanFilter(method="filter_signed", label="已签订")

    class Meta:
        model = ResponsibilityLetter
        fields = ("year", "unit", "signed")

    def filter_signed(self, queryset, name, value):
        return queryset.exclude(scan="") if value else queryset.filter(scan="")


class LeaderAssignmentFilterSet(django_filters.FilterSet):
    leader = django_filters.NumberFilter(field_name="leader_id", label="领导ID")
    area = django_filters.NumberFilter(field_name="area_id", label="区域ID")
    unit = django_filters.NumberFilter(field_name="unit_id", label="单位ID")

    class Meta:
        model = LeaderAssignment
        fields = ("leader", "area", "unit")


class PledgeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    year = django_filters.NumberFilter(label="年度")
    street = django_filters.NumberFilter(field_name="street_id", label="街道ID")
    is_active = django_filters.BooleanFilter(label="有效")

    class Meta:
        model = FrontagePledge
        fields = ("q", "year", "street", "is_active")

    def search(self, queryset, name, value):
        return queryset.filter(Q(party__icontains=value) | Q(site__name__icontains=value))


class NoticeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="搜索")
    year = django_filters.NumberFilter(label="年度")
    unit = django_filters.NumberFilter(field_name="unit_id", label="主送单位ID")
    status = django_filters.ChoiceFilter(choices=NoticeStatus.choices, label="状态")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="逾期未回复")

    class Meta:
        model = Notice
        fields = ("q", "year", "unit", "status", "overdue")

    def filter_overdue(self, queryset, name, value):
        late = Q(status__in=AWAITING_REPLY, reply_due__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class MeetingFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="搜索")
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label="会议类型")

    class Meta:
        model = Meeting
        fields = ("q", "kind")
