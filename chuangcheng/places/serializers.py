from rest_framework import serializers

from chuangcheng.org.models import Unit
from chuangcheng.places.models import Area, AreaLevel, Site, SiteCategory


def wants_geometry(context) -> bool:
    """Geometry is sent on detail, with ``?geometry=1``, or for the GeoJSON format."""
    request = context.get("request")
    view = context.get("view")
    if request is None:
        return True
    renderer = getattr(request, "accepted_renderer", None)
    if getattr(renderer, "format", "") == "geojson":
        return True
    if request.query_params.get("geometry") in ("1", "true"):
        return True
    return getattr(view, "action", "") not in ("list",)


class SiteCategorySerializer(serializers.ModelSerializer):
    group_display = serializers.CharField(source="get_group_display", read_only=True)

    class Meta:
        model = SiteCategory
        fields = ("id", "code", "name", "group", "group_display", "geometry_kind", "focus", "source", "sort_order")


class ScopedRelatedMixin:
    """Related choices (parent, unit, department) limited to what the requesting user can see."""

    scoped_fields: dict[str, type] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:
            return
        for name, model in self.scoped_fields.items():
            if name in self.fields:
                self.fields[name].queryset = model.objects.visible_to(request.user)


class AreaSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {"parent": Area, "unit": Unit}

    level = serializers.ChoiceField(choices=AreaLevel.choices)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    parent = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all(), allow_null=True, required=False)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), allow_null=True, required=False)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None)
    bbox = serializers.SerializerMethodField()
    geometry = serializers.JSONField(required=False, allow_null=True)

    class Meta:
        model = Area
        fields = (
            "id",
            "code",
            "name",
            "level",
            "level_display",
            "parent",
            "unit",
            "unit_name",
            "population",
            "area_m2",
            "bbox",
            "geometry",
        )
        read_only_fields = ("area_m2",)
        extra_kwargs = {"code": {"validators": []}}

    def get_bbox(self, obj) -> list[float] | None:
        if obj.min_lng is None:
            return None
        return [obj.min_lng, obj.min_lat, obj.max_lng, obj.max_lat]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not wants_geometry(self.context):
            data.pop("geometry", None)
        return data


class SiteSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {"unit": Unit, "department": Unit}

    category = serializers.PrimaryKeyRelatedField(queryset=SiteCategory.objects.all())
    category_name = serializers.CharField(source="category.name", read_only=True)
    category_code = serializers.CharField(source="category.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True, default=None)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), allow_null=True, required=False)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None)
    department = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), allow_null=True, required=False)
    department_name = serializers.CharField(source="department.name", read_only=True, default=None)
    line = serializers.JSONField(required=False, allow_null=True)

    class Meta:
        model = Site
        fields = (
            "id",
            "code",
            "name",
            "category",
            "category_code",
            "category_name",
            "address",
            "lng",
            "lat",
            "line",
            "area",
            "area_name",
            "unit",
            "unit_name",
            "department",
            "department_name",
            "is_active",
        )
        read_only_fields = ("area",)
        extra_kwargs = {"code": {"validators": []}}


class SiteBriefSerializer(serializers.ModelSerializer):
    """``?brief=1``: what a map needs, nothing more (lighter for thousands of points)."""

    category_code = serializers.CharField(source="category.code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = Site
        fields = ("id", "code", "name", "category_code", "category_name", "address", "lng", "lat", "line")
        read_only_fields = fields


class LocateInputSerializer(serializers.Serializer):
    lng = serializers.FloatField(required=False, min_value=-180, max_value=180)
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    points = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2),
        required=False,
        max_length=10000,
    )

    def validate(self, attrs):
        single = "lng" in attrs and "lat" in attrs
        if single == ("points" in attrs):
            raise serializers.ValidationError("请提供 lng 和 lat（单点），或 points（批量，[[经度, 纬度], …]）其中之一")
        return attrs


class AreaBriefSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Area
        fields = ("id", "code", "name", "level", "level_display", "unit")


class DivisionSerializer(serializers.Serializer):
    """One official division (国家统计局统计用区划代码) and whether a visible unit already carries it."""

    code = serializers.CharField(help_text="6 位（省、市、区县）、9 位（乡镇/街道）或 12 位（村/社区）代码")
    name = serializers.CharField()
    level = serializers.IntegerField(help_text="1 省、2 市、3 区县、4 乡镇/街道、5 村/社区")
    level_label = serializers.CharField()
    loaded = serializers.BooleanField()


class DivisionListSerializer(serializers.Serializer):
    results = DivisionSerializer(many=True)


class DivisionLoadInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=6, help_text="市或区县的 6 位行政区划代码，如 340600")


class DivisionLoadResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    divisions = serializers.IntegerField()
    units_created = serializers.IntegerField()
    areas_created = serializers.IntegerField()
    renamed = serializers.IntegerField()
    shapes_attached = serializers.IntegerField()
    missing_shapes = serializers.ListField(child=serializers.CharField())
    seconds = serializers.FloatField()
    summary = serializers.CharField()
