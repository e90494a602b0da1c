"""Read-only admin views: every write goes through dossiers.services (audited)."""

from django.contrib import admin

from chuangcheng.core.admin import ReadOnlyAdmin
from chuangcheng.dossiers.models import Material, MaterialAssignment, MaterialReview


@admin.register(Material)
class MaterialAdmin(ReadOnlyAdmin):
    list_display = ("title", "requirement", "unit", "year", "status", "uploaded_at")
    list_filter = ("status", "year")
    search_fields = ("title", "sha256")


@admin.register(MaterialAssignment)
class MaterialAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("requirement", "unit")


@admin.register(MaterialReview)
class MaterialReviewAdmin(ReadOnlyAdmin):
    list_display = ("material", "stage", "decision", "reviewer", "at")
