import django_filters

from chuangcheng.dossiers.models import Material, MaterialAssignment, MaterialStatus
from chuangcheng.programs.filters import CampaignFilter


class MaterialFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="标题")
    year = django_filters.NumberFilter(label="年度")
    status = django_filters.ChoiceFilter(choices=MaterialStatus.choices, label="状态")
    unit = django_filters.NumberFilter(field_name="unit_id", label="单位ID")
    requirement = django_filters.NumberFilter(field_name="requirement_id", label="资料要求ID")
    clause = django_filters.NumberFilter(field_name="requirement__clause_id", label="条款ID")
    standard = django_filters.NumberFilter(field_name="requirement__standard_id", label="标准ID")

    class Meta:
        model = Material
        fields = ("q", "year", "status", "unit", "requirement", "clause", "standard")


class AssignmentFilterSet(django_filters.FilterSet):
    requirement = django_filters.NumberFilter(field_name="requirement_id", label="资料要求ID")
    unit = django_filters.NumberFilter(field_name="unit_id", label="单位ID")
    standard = django_filters.NumberFilter(field_name="requirement__standard_id", label="标准ID")
    campaign = CampaignFilter()

    class Meta:
        model = MaterialAssignment
        fields = ("requirement", "unit", "standard", "campaign")
