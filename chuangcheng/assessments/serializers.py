from rest_framework import serializers

from chuangcheng.assessments.models import (
    AccountabilityRecord,
    Commendation,
    Decision,
    IndicatorResult,
    PeerGroup,
    Period,
    Rule,
    Scheme,
    ScoreLine,
    UnitScore,
)
from chuangcheng.org.models import Unit
from chuangcheng.programs.fields import CampaignRelatedField


class SchemeSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    campaign = CampaignRelatedField()

    class Meta:
        model = Scheme
        fields = (
            "id",
            "campaign",
            "code",
            "name",
            "version",
            "status",
            "status_display",
            "previous",
            "description",
            "base_score",
            "normalisation",
            "max_deduction",
            "max_bonus",
            "min_score",
            "red_count",
            "black_count",
            "grade_bands",
            "sign_limit_days",
            "is_sample",
            "published_at",
        )
        read_only_fields = ("version", "status", "previous", "published_at")
        extra_kwargs = {"code": {"validators": []}}


class SchemeUpdateSerializer(SchemeSerializer):
    class Meta(SchemeSerializer.Meta):
        read_only_fields = (*SchemeSerializer.Meta.read_only_fields, "code")

    def get_fields(self):
        fields = super().get_fields()
        fields["campaign"].read_only = True  # a scheme's campaign is chosen when it is created
        return fields


class RuleSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    scheme = serializers.PrimaryKeyRelatedField(queryset=Scheme.objects.all())

    class Meta:
        model = Rule
        fields = (
            "id",
            "scheme",
            "kind",
            "kind_display",
            "label",
            "points",
            "severity",
            "source",
            "cap",
            "params",
            "sort_order",
            "is_sample",
            "note",
        )


class PeerGroupSerializer(serializers.ModelSerializer):
    scheme = serializers.PrimaryKeyRelatedField(queryset=Scheme.objects.all())
    units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False)
    unit_kinds = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        model = PeerGroup
        fields = ("id", "scheme", "name", "unit_kinds", "units", "sort_order")


class PeriodSerializer(serializers.ModelSerializer):
    scheme = serializers.PrimaryKeyRelatedField(queryset=Scheme.objects.all())
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    category_codes = serializers.ListField(child=serializers.CharField(), required=False)
    campaign = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Period
        fields = (
            "id",
            "campaign",
            "scheme",
            "kind",
            "kind_display",
            "name",
            "start",
            "end",
            "topic",
            "category_codes",
            "status",
            "status_display",
            "computed_at",
            "published_at",
            "content_hash",
            "notes",
            "error",
            "issuer",
            "doc_number",
            "bulletin_title",
            "addressees",
            "bulletin_body",
            "signer",
            "sign_date",
        )
        read_only_fields = ("status", "computed_at", "published_at", "content_hash", "notes", "error")
        extra_kwargs = {"name": {"required": False, "allow_blank": True}}


ITEM_KEYS = ("case", "number", "quantity", "points", "note")


class ScoreLineSerializer(serializers.ModelSerializer):
    rule_label = serializers.CharField(source="rule.__str__", read_only=True, default="")
    items = serializers.SerializerMethodField(help_text="该条明细涉及的每件案件：案件ID、编号、数量、分值、说明")

    def get_items(self, line) -> list[dict]:
        return [dict(zip(ITEM_KEYS, item, strict=False)) for item in line.items or []]

    class Meta:
        model = ScoreLine
        fields = (
            "id",
            "score",
            "period",
            "unit",
            "sort",
            "rule",
            "rule_label",
            "kind",
            "points",
            "explanation",
            "case_ref",
            "finding_ref",
            "indicator_code",
            "ref",
            "items",
        )


class UnitScoreSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    flag_display = serializers.CharField(source="get_flag_display", read_only=True)

    class Meta:
        model = UnitScore
        fields = (
            "id",
            "period",
            "unit",
            "unit_name",
            "group",
            "base",
            "deductions",
            "bonuses",
            "total",
            "rank",
            "group_size",
            "flag",
            "flag_display",
            "fund_deduction",
            "fund_reasons",
            "award_ineligible",
            "ineligible_reasons",
            "workload",
            "line_count",
        )


class IndicatorResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorResult
        fields = ("id", "period", "unit", "area", "code", "name", "numerator", "denominator", "value", "grade")


OUTCOME_COMMON = ("id", "unit", "period", "document", "created_at")


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = (*OUTCOME_COMMON, "kind", "title", "doc_number", "decided_on", "content", "amount")
        read_only_fields = ("created_at",)


class AccountabilityRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccountabilityRecord
        fields = (
            *OUTCOME_COMMON,
            "kind",
            "reason",
            "occurred_on",
            "person",
            "person_name",
            "position",
            "decision",
        )
        read_only_fields = ("created_at",)


class CommendationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commendation
        fields = (*OUTCOME_COMMON, "title", "reason", "awarded_on", "person", "person_name", "position", "decision")
        read_only_fields = ("created_at",)
