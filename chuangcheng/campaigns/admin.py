"""Read-only admin views: every write goes through campaigns.services (audited)."""

from django.contrib import admin

from chuangcheng.campaigns.models import FrontagePledge, LeaderAssignment, Plan, ResponsibilityLetter, Task
from chuangcheng.core.admin import ReadOnlyAdmin


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("title", "year", "unit", "target_date", "status")


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "plan", "lead_unit", "deadline", "progress", "status", "escalation_level")
    list_filter = ("status", "escalation_level")
    search_fields = ("title",)


@admin.register(ResponsibilityLetter)
class LetterAdmin(ReadOnlyAdmin):
    list_display = ("title", "unit", "year", "signed_on")


@admin.register(LeaderAssignment)
class LeaderAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("leader", "area", "unit", "start_date", "end_date")


@admin.register(FrontagePledge)
class PledgeAdmin(ReadOnlyAdmin):
    list_display = ("site", "party", "street", "year", "is_active")
