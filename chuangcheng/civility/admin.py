"""Read-mostly admin: writes belong to the services."""

from django.contrib import admin

from chuangcheng.civility.models import CivilizedUnit, PublicityCheck, Rating, WindowIndustry, WindowUnit
from chuangcheng.core.admin import ReadOnlyAdmin


@admin.register(CivilizedUnit)
class CivilizedUnitAdmin(ReadOnlyAdmin):
    list_display = ("name", "level", "year_awarded", "status", "unit")
    list_filter = ("level", "status")
    search_fields = ("name",)


@admin.register(WindowIndustry)
class WindowIndustryAdmin(ReadOnlyAdmin):
    list_display = ("name", "sort_order", "is_sample")


@admin.register(WindowUnit)
class WindowUnitAdmin(ReadOnlyAdmin):
    list_display = ("name", "industry", "unit")


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("window_unit", "period", "source", "score")


@admin.register(PublicityCheck)
class PublicityCheckAdmin(ReadOnlyAdmin):
    list_display = ("site", "checked_on", "state", "case")
