from rest_framework import serializers

from chuangcheng.programs.fields import CampaignRelatedField
from chuangcheng.readiness.civil_inputs import DEFAULT_ROUNDS, MAX_ROUNDS
from chuangcheng.readiness.forecast import DEFAULT_PRIOR
from chuangcheng.readiness.inputs import BANDS
from chuangcheng.readiness.models import ForecastRun, InspectionWindow
from chuangcheng.readiness.selectors import forecast_standards


class WindowSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    days_to_earliest = serializers.SerializerMethodField()
    campaign = CampaignRelatedField()

    class Meta:
        model = InspectionWindow
        fields = (
            "id",
            "campaign",
            "kind",
            "kind_display",
            "title",
            "earliest",
            "latest",
            "note",
            "is_active",
            "days_to_earliest",
        )

    def get_days_to_earliest(self, window) -> int:
        from django.utils import timezone

        return (window.earliest - timezone.localdate()).days


class CoverageSerializer(serializers.Serializer):
    categories_sampled = serializers.IntegerField()
    categories_total = serializers.IntegerField()
    categories_without_quota = serializers.IntegerField()
    sites_covered = serializers.IntegerField()
    sites_total = serializers.IntegerField()
    ratio = serializers.FloatField()
    threshold = serializers.FloatField()
    sufficient = serializers.BooleanField(help_text="覆盖达到阈值；否则通过概率仅供参考，不应作为结论显示")


class RunSerializer(serializers.ModelSerializer):
    coverage = CoverageSerializer(read_only=True)

    class Meta:
        model = ForecastRun
        fields = (
            "id",
            "campaign",
            "created_at",
            "window",
            "baseline",
            "seed",
            "runs",
            "parameters",
            "results",
            "coverage",
            "p_pass",
            "mean_score",
            "duration_ms",
        )
        read_only_fields = fields


class RunInputSerializer(serializers.Serializer):
    pass_line = serializers.FloatField(default=90.0, min_value=0)
    full_score = serializers.FloatField(default=100.0, min_value=1)
    unknown_points = serializers.FloatField(required=False, allow_null=True, default=None, min_value=0)
    band = serializers.ChoiceField(choices=[""] + list(BANDS), required=False, default="")
    runs = serializers.IntegerField(default=10_000, min_value=100, max_value=100_000)
    seed = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    prior_alpha = serializers.FloatField(default=DEFAULT_PRIOR[0], min_value=0)
    prior_beta = serializers.FloatField(default=DEFAULT_PRIOR[1], min_value=0)
    campaign = CampaignRelatedField(default=None)
    standard = serializers.PrimaryKeyRelatedField(
        queryset=forecast_standards(),
        required=False,
        allow_null=True,
        default=None,
        help_text="测评标准（已发布）；留空按迎检窗口类型取现行标准。含观察计分测评标准的按分值×达标率预测",
    )
    observe_rounds = serializers.IntegerField(default=DEFAULT_ROUNDS, min_value=1, max_value=MAX_ROUNDS)
    weights = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        required=False,
        default=dict,
        help_text="示例综合分权重（%）：field 实地考察、survey 问卷调查、material 材料审核；全填且合计100，否则不填",
    )


class WhatIfInputSerializer(serializers.Serializer):
    case_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=10_000)
