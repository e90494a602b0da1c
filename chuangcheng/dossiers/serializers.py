from rest_framework import serializers

from chuangcheng.dossiers.models import Material, MaterialAssignment, MaterialReview, ReviewDecision
from chuangcheng.org.models import Unit
from chuangcheng.programs.fields import CampaignRelatedField
from chuangcheng.standards.models import MaterialRequirement


class ScopedUnitsMixin:
    unit_fields: tuple[str, ...] = ("unit",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:
            return
        for name in self.unit_fields:
            field = self.fields.get(name)
            if field is None or field.read_only:
                continue
            target = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
            target.queryset = Unit.objects.visible_to(request.user)


class MaterialReviewSerializer(serializers.ModelSerializer):
    reviewer_name = serializers.CharField(source="reviewer.display_name", read_only=True, default="")
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    decision_display = serializers.CharField(source="get_decision_display", read_only=True)

    class Meta:
        model = MaterialReview
        fields = (
            "stage",
            "stage_display",
            "decision",
            "decision_display",
            "reviewer",
            "reviewer_name",
            "reason",
            "sha256",
            "at",
        )


class MaterialSerializer(ScopedUnitsMixin, serializers.ModelSerializer):
    requirement = serializers.PrimaryKeyRelatedField(queryset=MaterialRequirement.objects.all())
    file = serializers.FileField(write_only=True)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    requirement_title = serializers.CharField(source="requirement.title", read_only=True)
    clause = serializers.IntegerField(source="requirement.clause_id", read_only=True)

    class Meta:
        model = Material
        fields = (
            "id",
            "requirement",
            "requirement_title",
            "clause",
            "unit",
            "unit_name",
            "year",
            "title",
            "file",
            "original_name",
            "kind",
            "size",
            "sha256",
            "status",
            "status_display",
            "uploaded_by",
            "uploaded_at",
            "first_reviewer",
            "first_reviewed_at",
            "reviewer",
            "reviewed_at",
            "reason",
        )
        read_only_fields = (
            "original_name",
            "kind",
            "size",
            "sha256",
            "status",
            "uploaded_by",
            "uploaded_at",
            "first_reviewer",
            "first_reviewed_at",
            "reviewer",
            "reviewed_at",
            "reason",
        )


class MaterialDetailSerializer(MaterialSerializer):
    reviews = MaterialReviewSerializer(many=True, read_only=True)

    class Meta(MaterialSerializer.Meta):
        fields = (*MaterialSerializer.Meta.fields, "reviews")


class ReviewInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ReviewDecision.choices, label="结论")
    reason = serializers.CharField(required=False, allow_blank=True, default="", label="意见")


class ResubmitInputSerializer(serializers.Serializer):
    file = serializers.FileField(label="文件")
    title = serializers.CharField(required=False, allow_blank=True, default="", label="资料标题")


class AssignmentSerializer(ScopedUnitsMixin, serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    requirement_title = serializers.CharField(source="requirement.title", read_only=True)

    class Meta:
        model = MaterialAssignment
        fields = ("id", "campaign", "requirement", "requirement_title", "unit", "unit_name", "created_at")
        read_only_fields = ("created_at", "campaign")


class AssignInputSerializer(ScopedUnitsMixin, serializers.Serializer):
    unit_fields = ("units",)
    requirement = serializers.PrimaryKeyRelatedField(queryset=MaterialRequirement.objects.all(), label="资料要求")
    units = serializers.PrimaryKeyRelatedField(many=True, queryset=Unit.objects.all(), label="责任单位")
    campaign = CampaignRelatedField(default=None)
