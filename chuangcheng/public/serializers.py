from rest_framework import serializers

from chuangcheng.public import casebridge
from chuangcheng.public.models import (
    CallbackOutcome,
    CallbackTask,
    HandlingRating,
    HotlineBatch,
    HotlineOrder,
    Praise,
    Report,
    Survey,
)
from chuangcheng.public.privacy import mask_phone


class ReportSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    public_state = serializers.SerializerMethodField()
    reporter_phone = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = (
            "id",
            "number",
            "channel",
            "category",
            "category_name",
            "lng",
            "lat",
            "address",
            "area",
            "unit",
            "description",
            "public_description",
            "attributes",
            "reporter_name",
            "reporter_phone",
            "status",
            "status_display",
            "public_state",
            "moderated_at",
            "moderation_note",
            "interest_count",
            "photos",
            "created_at",
        )
        read_only_fields = fields

    def get_public_state(self, obj) -> str:
        return casebridge.state_of(obj).label

    def get_reporter_phone(self, obj) -> str:
        return mask_phone(obj.reporter_phone) if obj.reporter_phone else ""

    def get_photos(self, obj) -> list[dict]:
        return [
            {"id": p.pk, "width": p.width, "height": p.height, "redactions": p.redactions} for p in obj.photos.all()
        ]


class ModerateSerializer(serializers.Serializer):
    public_description = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class RedactSerializer(serializers.Serializer):
    photo = serializers.IntegerField()
    rectangles = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(), min_length=4, max_length=4)
    )


class SurveySerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Survey
        fields = ("id", "title", "description", "area", "unit", "status", "status_display", "token", "published_at")
        read_only_fields = fields


class HotlineOrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = HotlineOrder
        fields = (
            "id",
            "number",
            "received_at",
            "title",
            "content",
            "category_text",
            "category",
            "address",
            "lng",
            "lat",
            "district_text",
            "handler_text",
            "unit",
            "deadline",
            "batch",
            "updated_at",
        )
        read_only_fields = fields


class HotlineBatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = HotlineBatch
        fields = (
            "id",
            "filename",
            "status",
            "header_row",
            "total",
            "created_count",
            "changed_count",
            "unchanged_count",
            "changes",
            "created_at",
            "imported_at",
        )
        read_only_fields = fields


class HandlingRatingSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="report.number", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default="")

    class Meta:
        model = HandlingRating
        fields = ("id", "number", "case", "unit", "unit_name", "level", "level_display", "reason", "created_at")


class CallbackTaskSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="report.number", read_only=True)
    rating = HandlingRatingSerializer(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = CallbackTask
        fields = ("id", "number", "unit", "status", "status_display", "outcome", "note", "done_at", "rating")


class CallbackDoneSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=CallbackOutcome.choices)
    note = serializers.CharField(max_length=1000)


class PraiseSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Praise
        fields = ("id", "unit", "unit_name", "worker", "message", "status", "status_display", "created_at")


class PraiseHandleSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[("forwarded", "转达单位"), ("dismissed", "不予采纳")])
