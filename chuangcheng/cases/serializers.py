from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from rest_framework import serializers

from chuangcheng.cases import deadlines
from chuangcheng.cases.evidence import FLAG_LABELS
from chuangcheng.cases.intake import check_batch_size
from chuangcheng.cases.models import (
    Case,
    CasePhoto,
    CaseSource,
    CaseStatus,
    CaseTransition,
    DeadlineRule,
    RoutingRule,
    Severity,
)
from chuangcheng.cases.permissions import can_see_original_photos
from chuangcheng.cases.workflow import Action, allowed_actions
from chuangcheng.core.api import FetchedRelatedField
from chuangcheng.core.fetch import Select
from chuangcheng.core.workdays import calendar
from chuangcheng.org.models import Unit
from chuangcheng.places.models import Area, Site, SiteCategory
from chuangcheng.standards.models import CheckItem

STATUS_LABELS = dict(CaseStatus.choices)
# The site of a new case with its territorial unit and category (what intake and its answer read).
INTAKE_SITES = Select(Site, related=("unit", "category"))
INTAKE_CHECK_ITEMS, INTAKE_CATEGORIES, INTAKE_AREAS = Select(CheckItem), Select(SiteCategory), Select(Area)
SOURCE_LABELS = dict(CaseSource.choices)


class CaseListSerializer(serializers.ModelSerializer):
    """One row of a list. Lists share one ``today`` and one working-day calendar snapshot (``context``)."""

    status_display = serializers.SerializerMethodField()
    source_display = serializers.SerializerMethodField()
    lead_unit_name = serializers.CharField(source="lead_unit.name", default="", read_only=True)
    category_name = serializers.CharField(source="category.name", default="", read_only=True)
    light = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = (
            "id",
            "number",
            "source",
            "source_display",
            "title",
            "status",
            "status_display",
            "severity",
            "category",
            "category_name",
            "site",
            "area",
            "lng",
            "lat",
            "lead_unit",
            "lead_unit_name",
            "deadline",
            "created_at",
            "closed_at",
            "sendback_count",
            "return_count",
            "misroute_count",
            "escalation_level",
            "is_rebound",
            "version",
            "light",
        )

    def _clock(self, case):
        context = self.context
        if "_calendar" not in context:
            context["_today"], context["_calendar"] = timezone.localdate(), calendar()
        return deadlines.clock(case, context["_today"], context["_calendar"])

    def get_status_display(self, case) -> str:
        return STATUS_LABELS.get(case.status, case.status)

    def get_source_display(self, case) -> str:
        return SOURCE_LABELS.get(case.source, case.source)

    def get_light(self, case) -> str:
        return self._clock(case).light


class CaseTransitionSerializer(serializers.ModelSerializer):
    action_display = serializers.SerializerMethodField()

    class Meta:
        model = CaseTransition
        fields = (
            "id",
            "from_status",
            "to_status",
            "action",
            "action_display",
            "actor",
            "actor_label",
            "at",
            "note",
            "data",
            "hash",
        )

    def get_action_display(self, row) -> str:
        return action_label(row.action)


# Timeline rows that are not workflow actions.
EXTRA_ACTION_LABELS = {
    "report": "上报",
    "assign": "指定责任单位",
    "absorb": "合并了重复案件",
    "external_update": "来源系统更新",
    "mark_rebound": "标记为反弹",
    "unmark_rebound": "取消反弹标记",
}


def action_label(action: str) -> str:
    try:
        return Action(action).label
    except ValueError:
        return EXTRA_ACTION_LABELS.get(action, action)


class CasePhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    flag_labels = serializers.SerializerMethodField()

    class Meta:
        model = CasePhoto
        fields = (
            "id",
            "kind",
            "attempt",
            "url",
            "thumbnail_url",
            "taken_at",
            "lng",
            "lat",
            "flags",
            "flag_labels",
            "uploaded_at",
        )

    def _office(self) -> bool:
        request = self.context.get("request")
        return bool(request and can_see_original_photos(request.user))

    def get_url(self, photo) -> str:
        field = photo.image if self._office() else photo.public_image
        return field.url if field else ""

    def get_thumbnail_url(self, photo) -> str:
        return photo.thumbnail.url if photo.thumbnail else ""

    def get_flag_labels(self, photo) -> list[str]:
        return [FLAG_LABELS.get(flag, flag) for flag in photo.flags]

    def to_representation(self, photo):
        data = super().to_representation(photo)
        if not self._office():  # EXIF facts stay with the office and the verifiers
            for key in ("taken_at", "lng", "lat"):
                data[key] = None
        return data


class CaseDetailSerializer(CaseListSerializer):
    allowed_actions = serializers.SerializerMethodField()
    clock = serializers.SerializerMethodField()
    cooperating_units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    photos = CasePhotoSerializer(many=True, read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = CaseListSerializer.Meta.fields + (
            "description",
            "check_item",
            "cooperating_units",
            "route_reason",
            "deadline_days",
            "deadline_reason",
            "pending_request",
            "requested_days",
            "deferral_plan",
            "registered_at",
            "dispatched_at",
            "status_changed_at",
            "rebound_of",
            "merged_into",
            "external_ref",
            "reporter_name",
            "allowed_actions",
            "clock",
            "photos",
        )

    def get_allowed_actions(self, case) -> list[str]:
        request = self.context.get("request")
        return allowed_actions(request.user, case) if request else []

    def get_clock(self, case) -> dict:
        clock = self._clock(case)
        return {
            "limit": clock.limit,
            "used": clock.used,
            "due": clock.due,
            "light": clock.light,
            "paused": clock.paused,
            "label": clock.label,
        }


class CaseCreateSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=CaseSource.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    check_item = FetchedRelatedField(select=INTAKE_CHECK_ITEMS, required=False, allow_null=True)
    category = FetchedRelatedField(select=INTAKE_CATEGORIES, required=False, allow_null=True)
    # The site with what intake reads of it (its territorial unit, its category for the answer), in one query.
    site = FetchedRelatedField(select=INTAKE_SITES, required=False, allow_null=True)
    area = FetchedRelatedField(select=INTAKE_AREAS, required=False, allow_null=True)
    lng = serializers.FloatField(required=False, allow_null=True)
    lat = serializers.FloatField(required=False, allow_null=True)
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.NORMAL)
    reporter_name = serializers.CharField(required=False, allow_blank=True, default="")
    reporter_phone = serializers.CharField(required=False, allow_blank=True, default="")
    external_ref = serializers.CharField(required=False, allow_blank=True, default="")
    auto_register = serializers.BooleanField(default=False)


class TransitionInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=Action.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, min_value=1)
    days = serializers.IntegerField(required=False, min_value=1, max_value=60)
    plan = serializers.CharField(required=False, allow_blank=True)
    target = serializers.PrimaryKeyRelatedField(queryset=Case.objects.all(), required=False)
    lead_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False)
    cooperating_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["target"].queryset = Case.objects.visible_to(request.user)


class AssignInputSerializer(serializers.Serializer):
    lead_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    cooperating_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, min_value=1)


class ReboundInputSerializer(serializers.Serializer):
    rebound = serializers.BooleanField(label="是否反弹")
    reason = serializers.CharField(label="理由", allow_blank=True, default="")
    origin = serializers.CharField(label="原问题案件编号", required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, min_value=1)


class BulkInputSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=500)
    action = serializers.ChoiceField(choices=[(a, a.label) for a in (Action.DISPATCH, Action.SIGN, Action.REGISTER)])
    note = serializers.CharField(required=False, allow_blank=True, default="")
    lead_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False)


class RoutingRuleSerializer(serializers.ModelSerializer):
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True)
    cooperating_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False)

    class Meta:
        model = RoutingRule
        fields = (
            "id",
            "name",
            "check_item",
            "category",
            "area",
            "lead_unit",
            "lead_unit_name",
            "cooperating_units",
            "priority",
            "is_active",
            "note",
        )


class DeadlineRuleSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True, default="")
    severity_display = serializers.CharField(source="get_severity_display", read_only=True)

    class Meta:
        model = DeadlineRule
        fields = ("id", "category", "category_name", "severity", "severity_display", "days", "note")
        extra_kwargs = {"severity": {"required": False}}
        validators = []  # uniqueness is checked by the service, with a Chinese message naming the field


class BatchPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """In a batch, the objects come from the batch's cache (``BulkIntakeSerializer.for_data`` loads each
    model once for every item); the answers and the error messages are ``PrimaryKeyRelatedField``'s."""

    def to_internal_value(self, data):
        cache = self.context.get("pk_cache", {}).get(self.field_name)
        if cache is None:
            return super().to_internal_value(data)
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            pk = self.get_queryset().model._meta.pk.to_python(data)
        except (TypeError, ValueError, DjangoValidationError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if pk not in cache:
            self.fail("does_not_exist", pk_value=data)
        return cache[pk]


class CaseItemSerializer(CaseCreateSerializer):
    """One case of a batch intake: the single intake's fields (the batch decides ``auto_register``)."""

    check_item = BatchPrimaryKeyRelatedField(queryset=CheckItem.objects.all(), required=False, allow_null=True)
    category = BatchPrimaryKeyRelatedField(queryset=SiteCategory.objects.all(), required=False, allow_null=True)
    site = BatchPrimaryKeyRelatedField(queryset=Site.objects.all(), required=False, allow_null=True)
    area = BatchPrimaryKeyRelatedField(queryset=Area.objects.all(), required=False, allow_null=True)
    auto_register = None


BATCH_RELATIONS = ("check_item", "category", "site", "area")


class BulkIntakeSerializer(serializers.Serializer):
    items = CaseItemSerializer(many=True, allow_empty=False)
    auto_register = serializers.BooleanField(default=True)

    @classmethod
    def for_data(cls, data):
        """The serializer with each related model loaded once for all items (one query per model)."""
        items = data.get("items") if hasattr(data, "get") else None
        if isinstance(items, list):
            check_batch_size(len(items))
        cache = {}
        if isinstance(items, list):
            fields = CaseItemSerializer().fields
            for name in BATCH_RELATIONS:
                ids = {_int_or_none(item.get(name)) for item in items if isinstance(item, dict)} - {None}
                cache[name] = fields[name].get_queryset().in_bulk(ids) if ids else {}
        return cls(data=data, context={"pk_cache": cache})

    def errors_by_item(self) -> dict[str, list[str]]:
        """``{"items[2].title": ["第 3 条：…"]}`` from DRF's nested errors."""
        flat: dict[str, list[str]] = {}
        for name, errors in self.errors.items():
            by_index = dict(enumerate(errors)) if isinstance(errors, list) else errors
            if name == "items" and isinstance(by_index, dict) and all(isinstance(k, int) for k in by_index):
                for index, item_errors in sorted(by_index.items()):  # DRF: a list, or {index: errors}
                    for field, messages in (item_errors or {}).items():
                        flat[f"items[{index}].{field}"] = [f"第 {index + 1} 条：{m}" for m in messages]
            elif isinstance(errors, dict):
                flat[name] = [str(m) for messages in errors.values() for m in messages]
            else:
                flat[name] = [str(m) for m in errors]
        return flat


def _int_or_none(value):
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
