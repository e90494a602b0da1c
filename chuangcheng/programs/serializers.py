from rest_framework import serializers

from chuangcheng.org.models import Unit
from chuangcheng.programs.models import Campaign
from chuangcheng.standards.models import Standard


class CampaignSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    standard = serializers.PrimaryKeyRelatedField(queryset=Standard.objects.all(), allow_null=True)
    office_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), allow_null=True, required=False)
    parent = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all(), allow_null=True, required=False)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    level = serializers.CharField(source="unit.get_kind_display", read_only=True)
    title_display = serializers.CharField(source="get_title_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    standard_name = serializers.CharField(source="standard.__str__", read_only=True)
    parent_name = serializers.CharField(source="parent.name", read_only=True, default=None)
    round_count = serializers.IntegerField(source="n_rounds", read_only=True, default=None)
    plan_count = serializers.IntegerField(source="n_plans", read_only=True, default=None)
    period_count = serializers.IntegerField(source="n_periods", read_only=True, default=None)

    class Meta:
        model = Campaign
        fields = (
            "id",
            "code",
            "name",
            "unit",
            "unit_name",
            "level",
            "title",
            "title_display",
            "standard",
            "standard_name",
            "office_unit",
            "parent",
            "parent_name",
            "status",
            "status_display",
            "starts_on",
            "ends_on",
            "description",
            "is_demo",
            "round_count",
            "plan_count",
            "period_count",
            "created_at",
        )
        read_only_fields = ("created_at",)


class CloseSerializer(serializers.Serializer):
    ends_on = serializers.DateField(required=False, allow_null=True)
