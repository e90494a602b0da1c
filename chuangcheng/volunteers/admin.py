"""Read-mostly admin: writes belong to the services."""

from django.contrib import admin

from chuangcheng.core.admin import ReadOnlyAdmin
from chuangcheng.volunteers.models import Activity, Participation, Post, Team, Volunteer


@admin.register(Volunteer)
class VolunteerAdmin(ReadOnlyAdmin):
    list_display = ("name", "id_masked", "unit", "status", "is_demo")
    list_filter = ("status", "is_demo")
    search_fields = ("name",)
    exclude = ("phone", "id_hash")


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ("name", "unit", "leader", "is_demo")


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "unit", "starts_at", "status", "is_demo")
    list_filter = ("kind", "status", "is_demo")


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = ("activity", "volunteer", "checked_in_at", "checked_out_at", "hours", "corrected_hours")


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "unit", "is_active", "is_demo")
