"""One FilterSet per model, shared by the API and the list pages."""

import django_filters
from django.db.models import Q

from chuangcheng.volunteers.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Participation,
    Post,
    PostKind,
    Team,
    Volunteer,
    VolunteerStatus,
)


class UnitSubtreeFilter(django_filters.NumberFilter):
    """The unit and every unit below it (one indexed LIKE on the materialised path)."""

    def __init__(self, *args, path_field: str = "unit__path", **kwargs):
        self.path_field = path_field
        kwargs.setdefault("label", "单位ID（含下级）")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(**{f"{self.path_field}__contains": f"/{int(value)}/"})


class VolunteerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="姓名/手机号")
    unit = UnitSubtreeFilter()
    status = django_filters.ChoiceFilter(choices=VolunteerStatus.choices, label="状态")
    skills = django_filters.CharFilter(field_name="skills", lookup_expr="icontains", label="技能")
    team = django_filters.NumberFilter(field_name="teams", label="队伍ID")
    id_verified = django_filters.BooleanFilter(method="verified", label="身份证已核验")

    class Meta:
        model = Volunteer
        fields = ("q", "unit", "status", "skills", "team", "id_verified")

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(phone__contains=value)) if value else queryset

    def verified(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(id_hash="") if value else queryset.filter(id_hash="")


class TeamFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="队伍名称")
    unit = UnitSubtreeFilter()

    class Meta:
        model = Team
        fields = ("q", "unit")


class ActivityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="活动名称")
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices, label="类型")
    status = django_filters.ChoiceFilter(choices=ActivityStatus.choices, label="状态")
    unit = UnitSubtreeFilter()
    date_from = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte", label="开始日期自")
    date_to = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte", label="至")
    posts = django_filters.BooleanFilter(field_name="post", lookup_expr="isnull", exclude=True, label="岗位班次")

    class Meta:
        model = Activity
        fields = ("q", "kind", "status", "unit", "date_from", "date_to", "posts")


class ParticipationFilterSet(django_filters.FilterSet):
    activity = django_filters.NumberFilter(field_name="activity_id", label="活动ID")
    volunteer = django_filters.NumberFilter(field_name="volunteer_id", label="志愿者ID")
    corrected = django_filters.BooleanFilter(
        field_name="corrected_hours", lookup_expr="isnull", exclude=True, label="已核定"
    )

    class Meta:
        model = Participation
        fields = ("activity", "volunteer", "corrected")


class PostFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="岗位名称")
    kind = django_filters.ChoiceFilter(choices=PostKind.choices, label="类型")
    unit = UnitSubtreeFilter()
    is_active = django_filters.BooleanFilter(label="启用")

    class Meta:
        model = Post
        fields = ("q", "kind", "unit", "is_active")
