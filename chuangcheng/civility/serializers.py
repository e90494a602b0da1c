from rest_framework import serializers

from chuangcheng.civility.models import (
    CivilizedUnit,
    HonourLevel,
    PublicityCheck,
    Rating,
    Review,
    WindowIndustry,
    WindowUnit,
)
from chuangcheng.civility.workflow import Action
from chuangcheng.org.models import Unit


class CivilizedUnitSerializer(serializers.ModelSerializer):
    org_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)
    name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    level = serializers.ChoiceField(choices=HonourLevel.choices)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = CivilizedUnit
        fields = (
            "id", "name", "org_unit", "unit", "unit_name", "level", "level_display", "year_awarded", "status",
            "status_display", "warning_reason", "warning_deadline", "revoked_reason", "revoked_at", "note", "is_demo",
        )  # fmt: skip
        read_only_fields = (
            "status", "warning_reason", "warning_deadline", "revoked_reason", "revoked_at", "is_demo",
        )  # fmt: skip


class TransitionInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=Action.choices)
    reason = serializers.CharField(max_length=500)
    deadline = serializers.DateField(required=False, allow_null=True)


class ReviewSerializer(serializers.ModelSerializer):
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = ("id", "civilized_unit", "year", "result", "reasons", "reviewed_on", "evidence")

    def get_evidence(self, review) -> list[dict]:
        return [{"id": e.pk, "name": e.original_name, "kind": e.kind} for e in review.evidence.all()]


class WindowIndustrySerializer(serializers.ModelSerializer):
    class Meta:
        model = WindowIndustry
        fields = ("id", "name", "sort_order", "is_sample")


class WindowUnitSerializer(serializers.ModelSerializer):
    industry_name = serializers.CharField(source="industry.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = WindowUnit
        fields = ("id", "industry", "industry_name", "name", "unit", "unit_name", "address", "is_demo")


class RatingSerializer(serializers.ModelSerializer):
    window_unit_name = serializers.CharField(source="window_unit.name", read_only=True)
    period_name = serializers.CharField(source="period.name", read_only=True)

    class Meta:
        model = Rating
        fields = ("id", "window_unit", "window_unit_name", "period", "period_name", "source", "score", "note")


class PublicityCheckSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True, default="")

    class Meta:
        model = PublicityCheck
        fields = ("id", "site", "site_name", "checked_on", "state", "note", "case", "case_number")
