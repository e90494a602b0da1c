from django.db import models
from django.db.models import Q

from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin, unit_q


def _city_wide_q(scope, default: Q) -> Q:
    """Inspectors work anywhere in the city, so they see every area and site (reference data)."""
    return Q() if scope.has_role("inspector") else default


class AreaLevel(models.IntegerChoices):
    CITY = 1, "市"
    DISTRICT = 2, "区县"
    STREET = 3, "街道/乡镇"
    COMMUNITY = 4, "社区/村"
    GRID = 5, "网格"


class GeometrySource(models.TextChoices):
    DRAWN = "", "绘制或导入"
    PACKAGE = "package", "行政区划数据包"
    DEMO = "demo", "演示生成（非官方边界）"


class Area(ScopedModelMixin, models.Model):
    """A polygon of the area tree (city → district → street → community → grid).

    ``geometry`` is a GeoJSON Polygon or MultiPolygon in WGS-84 longitude/latitude;
    the bounding box columns let cheap queries prefilter. ``unit`` is the
    territorial unit that owns the area (a grid is owned by its community's unit).
    """

    code = models.CharField("区域编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.PositiveSmallIntegerField("层级", choices=AreaLevel.choices)
    division_code = models.CharField("行政区划代码", max_length=12, null=True, blank=True, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name="上级区域", null=True, blank=True, related_name="children", on_delete=models.PROTECT
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name="属地单位", null=True, blank=True, related_name="areas", on_delete=models.PROTECT
    )
    geometry = models.JSONField("边界（GeoJSON）", null=True, blank=True)
    geometry_source = models.CharField(
        "边界来源", max_length=10, choices=GeometrySource.choices, default=GeometrySource.DRAWN, blank=True
    )
    min_lng = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lng = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    area_m2 = models.FloatField("面积（平方米）", null=True, blank=True)
    population = models.PositiveIntegerField("人口", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "区域"
        verbose_name_plural = "区域"
        ordering = ("level", "code")
        indexes = [models.Index(fields=("level", "parent"))]

    def __str__(self) -> str:
        return self.name

    @property
    def area_km2(self) -> float | None:
        return round(self.area_m2 / 1_000_000, 3) if self.area_m2 is not None else None

    @classmethod
    def scope_q(cls, scope, user) -> Q:
        return _city_wide_q(scope, unit_q(cls.SCOPE_FIELDS, scope))


class SiteCategoryGroup(models.TextChoices):
    SANITARY = "sanitary", "卫生城市暗访点位"
    CIVILIZED = "civilized", "文明城市实地考察点位"
    BOTH = "both", "通用"


class SiteCategory(models.Model):
    """A kind of place that gets inspected (农贸市场, 背街小巷 …), from the shared facts."""

    code = models.CharField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60, unique=True)
    group = models.CharField("适用", max_length=20, choices=SiteCategoryGroup.choices, default=SiteCategoryGroup.BOTH)
    geometry_kind = models.CharField("形态", max_length=10, choices=(("point", "点"), ("line", "线")), default="point")
    focus = models.TextField("检查重点", blank=True)
    source = models.TextField("来源", blank=True)
    sort_order = models.IntegerField("排序", default=0)

    class Meta:
        verbose_name = "点位类别"
        verbose_name_plural = "点位类别"
        ordering = ("sort_order", "code")

    def __str__(self) -> str:
        return self.name


class Site(ScopedModelMixin, models.Model):
    """A place that gets inspected: a point (lng/lat) or a line (GeoJSON LineString)."""

    code = models.CharField("点位编码", max_length=40, unique=True)
    name = models.CharField("点位名称", max_length=120)
    category = models.ForeignKey(SiteCategory, verbose_name="类别", related_name="sites", on_delete=models.PROTECT)
    address = models.CharField("地址", max_length=200, blank=True)
    lng = models.FloatField("经度")
    lat = models.FloatField("纬度")
    line = models.JSONField("线形（GeoJSON LineString）", null=True, blank=True)
    area = models.ForeignKey(
        Area, verbose_name="所在区域", null=True, blank=True, related_name="sites", on_delete=models.SET_NULL
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name="属地单位", null=True, blank=True, related_name="sites", on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        "org.Unit",
        verbose_name="行业主管部门",
        null=True,
        blank=True,
        related_name="supervised_sites",
        on_delete=models.PROTECT,
    )
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    SCOPE_FIELDS = ("unit", "department")

    class Meta:
        verbose_name = "点位"
        verbose_name_plural = "点位"
        ordering = ("code",)
        indexes = [models.Index(fields=("category", "unit")), models.Index(fields=("area",))]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, scope, user) -> Q:
        return _city_wide_q(scope, unit_q(cls.SCOPE_FIELDS, scope))
