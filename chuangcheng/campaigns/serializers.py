from rest_framework import serializers

from chuangcheng.accounts.models import User
from chuangcheng.campaigns.models import (
    FrontagePledge,
    LeaderAssignment,
    Milestone,
    Plan,
    ProgressReport,
    ResponsibilityLetter,
    Task,
)
from chuangcheng.org.models import Unit
from chuangcheng.places.models import Area, Site
from chuangcheng.programs.fields import CampaignRelatedField


class ScopedFieldsMixin:
    """Related-object choices limited to what the requesting user can see."""

    scoped_fields: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:
            return
        for name, model in self.scoped_fields.items():
            field = self.fields.get(name)
            if field is None:
                continue
            target = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
            target.queryset = (
                model.objects.visible_to(request.user)
                if hasattr(model.objects, "visible_to")
                else (model.objects.all())
            )


class PlanSerializer(ScopedFieldsMixin, serializers.ModelSerializer):
    scoped_fields = {"unit": Unit}
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    campaign = CampaignRelatedField()

    class Meta:
        model = Plan
        fields = (
            "id",
            "campaign",
            "title",
            "year",
            "unit",
            "description",
            "target_date",
            "status",
            "status_display",
            "created_at",
        )
        read_only_fields = ("created_at",)


class ScheduleSerializer(serializers.Serializer):
    target_date = serializers.DateField(label="迎检窗口日期")


class MilestoneSerializer(ScopedFieldsMixin, serializers.ModelSerializer):
    scoped_fields = {"plan": Plan}

    class Meta:
        model = Milestone
        fields = ("id", "plan", "title", "offset_days", "due_date", "done_at", "sort_order")
        read_only_fields = ("done_at",)


class MilestoneCompleteSerializer(serializers.Serializer):
    done_at = serializers.DateField(label="完成日期", required=False, allow_null=True, default=None)


class MilestoneReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(label="原因", max_length=500)


class TaskSerializer(ScopedFieldsMixin, serializers.ModelSerializer):
    scoped_fields = {"plan": Plan, "lead_unit": Unit, "cooperating_units": Unit, "milestone": Milestone}
    cooperating_units = serializers.PrimaryKeyRelatedField(many=True, queryset=Unit.objects.all(), required=False)
    responsible = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    deadline = serializers.DateField(required=False, allow_null=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True)

    class Meta:
        model = Task
        fields = (
            "id",
            "plan",
            "milestone",
            "number",
            "title",
            "description",
            "lead_unit",
            "lead_unit_name",
            "cooperating_units",
            "responsible",
            "responsible_name",
            "offset_days",
            "deadline",
            "weight",
            "progress",
            "status",
            "status_display",
            "escalation_level",
            "completed_at",
            "sort_order",
        )
        read_only_fields = ("progress", "status", "escalation_level", "completed_at")

    def validate(self, attrs):
        if self.instance is not None and "plan" in attrs:
            attrs.pop("plan")
        return attrs


class ProgressInputSerializer(serializers.Serializer):
    progress = serializers.IntegerField(min_value=0, max_value=100, label="进度（%）")
    note = serializers.CharField(label="进展情况")
    evidence = serializers.FileField(required=False, label="佐证材料")


class ProgressReportSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    reporter_name = serializers.CharField(source="reporter.display_name", read_only=True, default="")

    class Meta:
        model = ProgressReport
        fields = (
            "id",
            "task",
            "unit",
            "unit_name",
            "reporter",
            "reporter_name",
            "progress",
            "note",
            "evidence_name",
            "evidence_kind",
            "created_at",
        )
        read_only_fields = fields


class LetterSerializer(ScopedFieldsMixin, serializers.ModelSerializer):
    scoped_fields = {"unit": Unit}
    targets = serializers.ListField(child=serializers.CharField(), required=False)
    is_signed = serializers.BooleanField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = ResponsibilityLetter
        fields = (
            "id",
            "unit",
            "unit_name",
            "year",
            "title",
            "targets",
            "signatory",
            "signed_on",
            "is_signed",
            "scan_name",
            "scan_kind",
        )
        read_only_fields = ("scan_name", "scan_kind")


class LetterUpdateSerializer(LetterSerializer):
    class Meta(LetterSerializer.Meta):
        read_only_fields = ("unit", "year", "scan_name", "scan_kind")


class ScanInputSerializer(serializers.Serializer):
    scan = serializers.FileField(label="签字盖章扫描件")
    signed_on = serializers.DateField(required=False, allow_null=True, label="签订日期")


class LeaderAssignmentSerializer(ScopedFieldsMixin, serializers.ModelSerializer):
    scoped_fields = {"area": Area, "unit": Unit}
    leader = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    leader_name = serializers.CharField(source="leader.display_name", read_only=True)

    class Meta:
        model = LeaderAssignment
        fields = ("id", "leader", "leader_name", "area", "unit", "duty", "start_date", "end_date")
        read_only_fields = ("end_date",)
        extra_kwargs = {
            "area": {"required": False, "allow_null": True},
            "unit": {"required": False, "allow_null": True},
        }


class PledgeSerializer(ScopedFieldsMixin, serializers.ModelSerializer):
    scoped_fields = {"site": Site}
    site_name = serializers.CharField(source="site.name", read_only=True)
    street_name = serializers.CharField(source="street.name", read_only=True, default="")
    scan = serializers.FileField(required=False, write_only=True)

    class Meta:
        model = FrontagePledge
        fields = (
            "id",
            "site",
            "site_name",
            "street",
            "street_name",
            "party",
            "contact",
            "phone",
            "year",
            "signed_on",
            "scan",
            "is_active",
        )
        read_only_fields = ("street", "is_active")
