"""API shapes of 抄告单 and meetings (named people): output with labels, input matching the services."""

from django.utils import timezone
from rest_framework import serializers

from chuangcheng.accounts.models import User
from chuangcheng.campaigns.meeting_models import AttendanceStatus, Attendee, DecisionOutcome, Meeting, MeetingDecision
from chuangcheng.campaigns.models import Plan
from chuangcheng.campaigns.notice_models import Notice
from chuangcheng.campaigns.serializers import ScopedFieldsMixin
from chuangcheng.cases.models import Case
from chuangcheng.org.models import Unit


class NoticeSerializer(ScopedFieldsMixin, serializers.ModelSerializer):
    scoped_fields = {"unit": Unit, "cases": Case}
    principal = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    number = serializers.CharField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    overdue = serializers.SerializerMethodField()
    has_reply_file = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = (
            "id",
            "number",
            "year",
            "seq",
            "issuer",
            "title",
            "unit",
            "unit_name",
            "principal",
            "principal_name",
            "body",
            "cases",
            "warning_date",
            "reply_due",
            "status",
            "status_display",
            "overdue",
            "escalation_level",
            "issued_at",
            "signed_at",
            "reply_text",
            "has_reply_file",
            "replied_at",
            "closed_at",
            "close_note",
        )
        read_only_fields = (
            "year",
            "seq",
            "status",
            "escalation_level",
            "issued_at",
            "signed_at",
            "reply_text",
            "replied_at",
            "closed_at",
            "close_note",
        )
        extra_kwargs = {"cases": {"required": False}, "issuer": {"required": False}}

    def get_overdue(self, notice) -> bool:
        return notice.is_overdue(timezone.localdate())

    def get_has_reply_file(self, notice) -> bool:
        return bool(notice.reply_file)


class NoticeReplyInputSerializer(serializers.Serializer):
    text = serializers.CharField(label="回复内容")
    attachment = serializers.FileField(label="附件", required=False)


class NoticeCloseInputSerializer(serializers.Serializer):
    note = serializers.CharField(label="办结意见", max_length=500, required=False, allow_blank=True)


class AttendeeSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Attendee
        fields = ("id", "unit", "unit_name", "person", "person_name", "position", "status", "status_display", "reason")


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingDecision
        fields = ("id", "content", "unit", "deadline", "outcome", "task", "notice", "created_at")


class MeetingSerializer(ScopedFieldsMixin, serializers.ModelSerializer):
    scoped_fields = {"unit": Unit, "units": Unit}
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none(), many=True, write_only=True, required=False)
    persons = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, write_only=True, required=False
    )
    attendees = AttendeeSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = (
            "id",
            "kind",
            "kind_display",
            "title",
            "unit",
            "held_at",
            "place",
            "chair",
            "agenda",
            "units",
            "persons",
            "attendance_recorded",
            "attendees",
            "decisions",
        )
        read_only_fields = ("attendance_recorded",)


class AttendanceEntrySerializer(serializers.Serializer):
    attendee = serializers.IntegerField(label="参会记录ID")
    status = serializers.ChoiceField(label="出勤", choices=AttendanceStatus.choices)
    reason = serializers.CharField(label="事由", max_length=300, required=False, allow_blank=True, default="")


class AttendanceInputSerializer(serializers.Serializer):
    entries = AttendanceEntrySerializer(many=True, label="考勤")


class DecisionInputSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"unit": Unit, "plan": Plan}
    content = serializers.CharField(label="议定事项")
    unit = serializers.PrimaryKeyRelatedField(label="责任单位", queryset=Unit.objects.none(), required=False)
    deadline = serializers.DateField(label="完成时限", required=False)
    outcome = serializers.ChoiceField(label="落实方式", choices=DecisionOutcome.choices, required=False, default="")
    plan = serializers.PrimaryKeyRelatedField(label="工作方案", queryset=Plan.objects.none(), required=False)
