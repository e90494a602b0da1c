import django_filters
from django.db.models import Q
from django.utils import timezone

from chuangcheng.civility.models import (
    CivilizedUnit,
    HonourLevel,
    HonourStatus,
    PointState,
    PublicityCheck,
    Rating,
    RatingSource,
    WindowIndustry,
    WindowUnit,
)
from chuangcheng.places.models import Site


class CivilizedUnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    level = django_filters.ChoiceFilter(choices=HonourLevel.choices, label="级别")
    status = django_filters.ChoiceFilter(choices=HonourStatus.choices, label="状态")
    year_awarded = django_filters.NumberFilter(label="命名年度")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="警示逾期")

    class Meta:
        model = CivilizedUnit
        fields = ("q", "level", "status", "year_awarded", "overdue")

    def filter_overdue(self, queryset, name, value):
        """Warned units whose deadline to correct has passed (or, with ``false``, every other unit)."""
        late = Q(status=HonourStatus.WARNED, warning_deadline__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(unit__name__icontains=value))


class WindowUnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="搜索")
    industry = django_filters.ModelChoiceFilter(queryset=WindowIndustry.objects.all(), label="行业")

    class Meta:
        model = WindowUnit
        fields = ("q", "industry")


class RatingFilterSet(django_filters.FilterSet):
    period = django_filters.NumberFilter(field_name="period_id", label="评议周期ID")
    source = django_filters.ChoiceFilter(choices=RatingSource.choices, label="来源")

    class Meta:
        model = Rating
        fields = ("period", "source")


class PointFilterSet(django_filters.FilterSet):
    """Publicity points (``places.Site`` rows annotated by ``selectors.publicity_points``)."""

    q = django_filters.CharFilter(method="search", label="搜索")
    state = django_filters.ChoiceFilter(
        choices=[*PointState.choices, ("none", "未检查")], method="filter_state", label="最近状况"
    )
    category = django_filters.ChoiceFilter(
        choices=(("public_service_ad", "公益广告"), ("values_board", "核心价值观宣传栏")),
        field_name="category__code",
        label="类别",
    )

    class Meta:
        model = Site
        fields = ("q", "state", "category")

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(address__icontains=value))

    def filter_state(self, queryset, name, value):
        return queryset.filter(latest_state__isnull=True) if value == "none" else queryset.filter(latest_state=value)


class PublicityCheckFilterSet(django_filters.FilterSet):
    site = django_filters.NumberFilter(field_name="site_id", label="点位ID")
    state = django_filters.ChoiceFilter(choices=PointState.choices, label="状况")

    class Meta:
        model = PublicityCheck
        fields = ("site", "state")
