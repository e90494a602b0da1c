"""Read-only admin views: every write goes through dossiers.services (audited)."""

from django.contrib import admin

from chuangcheng.dossiers.models import Material, MaterialAssignment, MaterialReview


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
