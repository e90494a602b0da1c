from rest_framework import serializers

from chuangcheng.accounts.models import User
from chuangcheng.inspections.models import (
    Finding,
    FindingPhoto,
    InspectionRound,
    Observation,
    PatrolRecord,
    RoundKind,
    SamplingLine,
    SiteVisit,
)
from chuangcheng.org.models import Unit
from chuangcheng.places.models import Area
from chuangcheng.programs.fields import CampaignRelatedField
from chuangcheng.standards.models import CheckItem, Standard


class SamplingLineSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = SamplingLine
        fields = ("category", "category_name", "quota", "default_quota")


class RoundSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    standard = serializers.PrimaryKeyRelatedField(queryset=Standard.objects.all(), allow_null=True, required=False)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    areas = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all(), many=True, required=False)
    inspectors = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)
    sampling_lines = SamplingLineSerializer(many=True, read_only=True)
    is_secret = serializers.BooleanField(required=False, allow_null=True, default=None)
    campaign = CampaignRelatedField()

    class Meta:
        model = InspectionRound
        fields = (
            "id",
            "campaign",
            "name",
            "kind",
            "kind_display",
            "standard",
            "unit",
            "areas",
            "period_start",
            "period_end",
            "inspectors",
            "is_secret",
            "status",
            "status_display",
            "population",
            "exclusion_days",
            "recheck_count",
            "recheck_days",
            "seed",
            "drawn_at",
            "published_at",
            "sampling_lines",
        )
        read_only_fields = ("status", "seed", "drawn_at", "published_at")

    def validate_kind(self, value):
        if value not in RoundKind.values:
            raise serializers.ValidationError("未知的轮次类型")
        return value

    def validate(self, attrs):
        if self.instance is not None and attrs.get("is_secret", False) is None:
            attrs.pop("is_secret")
        return attrs


class VisitSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True, default="")
    site_address = serializers.CharField(source="site.address", read_only=True, default="")
    category_name = serializers.CharField(source="category.name", read_only=True, default="")
    area_name = serializers.CharField(source="area.name", read_only=True, default="")
    round_name = serializers.CharField(source="round.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = SiteVisit
        fields = (
            "id",
            "round",
            "round_name",
            "site",
            "site_name",
            "site_address",
            "category",
            "category_name",
            "area",
            "area_name",
            "inspector",
            "status",
            "status_display",
            "is_recheck",
            "recheck_case_id",
            "lng",
            "lat",
            "gps_accuracy",
            "note",
            "submitted_at",
        )


class FindingSerializer(serializers.ModelSerializer):
    check_item_title = serializers.CharField(source="check_item.title", read_only=True)
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = (
            "id",
            "visit",
            "check_item",
            "check_item_title",
            "result",
            "count",
            "note",
            "points",
            "cap_per_site",
            "is_negative_list",
            "is_veto",
            "points_unknown",
            "lng",
            "lat",
            "client_uuid",
            "case_id",
            "recorded_at",
            "photos",
        )

    def get_photos(self, obj):
        return [photo.image.url for photo in obj.photos.all()]


class CheckItemBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = CheckItem
        fields = (
            "id",
            "code",
            "title",
            "description",
            "points",
            "cap_per_site",
            "judgement",
            "full_points",
            "observations",
            "is_negative_list",
            "is_veto",
        )


class ObservationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Observation
        fields = ("id", "visit", "check_item", "seq", "passed", "note", "client_uuid", "case_id", "recorded_at")


class PlanInputSerializer(serializers.Serializer):
    quotas = serializers.DictField(child=serializers.IntegerField(min_value=0))


class DrawInputSerializer(serializers.Serializer):
    seed = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=2**63 - 1)


class AssignInputSerializer(serializers.Serializer):
    auto = serializers.BooleanField(default=False)
    assignments = serializers.DictField(child=serializers.IntegerField(allow_null=True), required=False)


class SyncPhotoSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    data = serializers.CharField()
    taken_at = serializers.CharField(required=False, allow_blank=True)


class SyncItemSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    check_item = serializers.IntegerField()
    result = serializers.ChoiceField(choices=("pass", "deduct"))
    count = serializers.IntegerField(min_value=0, default=0)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    lng = serializers.FloatField(required=False, allow_null=True)
    lat = serializers.FloatField(required=False, allow_null=True)
    photos = SyncPhotoSerializer(many=True, required=False, default=list)


class SyncObservationSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    check_item = serializers.IntegerField()
    seq = serializers.IntegerField(min_value=1, max_value=1000)
    passed = serializers.BooleanField(allow_null=True, help_text="true 达标，false 不达标，null 不适用")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SyncInputSerializer(serializers.Serializer):
    visit = serializers.IntegerField()
    items = SyncItemSerializer(many=True, default=list)
    observations = SyncObservationSerializer(many=True, default=list)
    lng = serializers.FloatField(required=False, allow_null=True)
    lat = serializers.FloatField(required=False, allow_null=True)
    accuracy = serializers.FloatField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    complete = serializers.BooleanField(default=True)


class PatrolSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    photos = serializers.SerializerMethodField()

    class Meta:
        model = PatrolRecord
        fields = (
            "id",
            "area",
            "area_name",
            "kind",
            "kind_display",
            "category",
            "check_item",
            "description",
            "lng",
            "lat",
            "client_uuid",
            "case_id",
            "reporter",
            "created_at",
            "photos",
        )
        read_only_fields = ("case_id", "reporter", "created_at")

    def get_photos(self, obj):
        return [{"kind": p.kind, "url": p.image.url} for p in obj.photos.all()]


class FindingPhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = FindingPhoto
        fields = ("id", "image", "client_uuid", "taken_at")
