from rest_framework import serializers

from chuangcheng.org.models import Unit
from chuangcheng.places.models import SiteCategory
from chuangcheng.standards.models import (
    SAMPLE,
    UNKNOWN,
    CheckItem,
    Clause,
    Indicator,
    IndicatorEvidence,
    IndicatorReport,
    MaterialRequirement,
    SamplingQuota,
    Standard,
)
from chuangcheng.standards.services.tree import (
    CHECK_ITEM_FIELDS,
    CLAUSE_FIELDS,
    INDICATOR_FIELDS,
    MATERIAL_FIELDS,
    QUOTA_FIELDS,
)


def points_label(value, is_sample: bool) -> str:
    if value is None:
        return UNKNOWN
    text = format(value.normalize(), "f")
    return f"{text}（{SAMPLE}）" if is_sample else text


class StandardSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Standard
        fields = (
            "id",
            "kind",
            "kind_display",
            "code",
            "name",
            "version",
            "status",
            "status_display",
            "effective_date",
            "issued_by",
            "description",
            "source",
            "uncertain",
            "based_on",
            "is_builtin",
            "published_at",
        )
        read_only_fields = ("status", "based_on", "is_builtin", "published_at")
        validators = []


class StandardRowSerializer(serializers.ModelSerializer):
    """Rows belong to a standard chosen on create; it cannot be moved afterwards."""

    standard = serializers.PrimaryKeyRelatedField(queryset=Standard.objects.all())

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["standard"].read_only = True
        return fields


class ClauseSerializer(StandardRowSerializer):
    parent = serializers.PrimaryKeyRelatedField(queryset=Clause.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Clause
        fields = ("id", "standard", *CLAUSE_FIELDS, "section")
        read_only_fields = ("section",)
        validators = []


class CheckItemSerializer(StandardRowSerializer):
    clause = serializers.PrimaryKeyRelatedField(queryset=Clause.objects.all(), allow_null=True, required=False)
    site_categories = serializers.PrimaryKeyRelatedField(queryset=SiteCategory.objects.all(), many=True, required=False)
    points_display = serializers.SerializerMethodField()
    severity_display = serializers.CharField(source="get_severity_display", read_only=True)

    class Meta:
        model = CheckItem
        fields = ("id", "standard", *CHECK_ITEM_FIELDS, "points_display", "severity_display")
        validators = []

    def get_points_display(self, obj) -> str:
        return points_label(obj.points, obj.is_sample)


class IndicatorSerializer(StandardRowSerializer):
    clause = serializers.PrimaryKeyRelatedField(queryset=Clause.objects.all(), allow_null=True, required=False)
    target_display = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = ("id", "standard", *INDICATOR_FIELDS, "target_display")
        validators = []

    def get_target_display(self, obj) -> str:
        from chuangcheng.standards.templatetags.standards_tags import target_text

        return target_text(obj)


class MaterialRequirementSerializer(StandardRowSerializer):
    clause = serializers.PrimaryKeyRelatedField(queryset=Clause.objects.all(), allow_null=True, required=False)

    class Meta:
        model = MaterialRequirement
        fields = ("id", "standard", *MATERIAL_FIELDS)


class SamplingQuotaSerializer(StandardRowSerializer):
    category = serializers.PrimaryKeyRelatedField(queryset=SiteCategory.objects.all(), allow_null=True, required=False)

    class Meta:
        model = SamplingQuota
        fields = ("id", "standard", *QUOTA_FIELDS)


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = IndicatorEvidence
        fields = ("id", "name", "kind", "uploaded_at", "url")

    def get_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("standards:evidence", args=[obj.pk])


class IndicatorReportSerializer(serializers.ModelSerializer):
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    compliance_display = serializers.CharField(source="get_compliance_display", read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = IndicatorReport
        fields = (
            "id",
            "indicator",
            "indicator_name",
            "unit",
            "unit_name",
            "period",
            "value",
            "value_text",
            "note",
            "compliance",
            "compliance_display",
            "compliance_reason",
            "manual_verdict",
            "manual_reason",
            "judged_at",
            "reported_at",
            "evidence",
        )
        read_only_fields = fields


class IndicatorReportInputSerializer(serializers.Serializer):
    indicator = serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.all(), label="指标")
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), label="填报单位")
    period = serializers.CharField(max_length=10, label="期间")
    value = serializers.DecimalField(max_digits=14, decimal_places=4, required=False, allow_null=True, label="数值")
    value_text = serializers.CharField(max_length=60, required=False, allow_blank=True, default="", label="文字值")
    note = serializers.CharField(required=False, allow_blank=True, default="", label="说明")
    evidence = serializers.ListField(child=serializers.FileField(), required=False, default=list, label="佐证材料")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["unit"].queryset = Unit.objects.visible_to(request.user)
