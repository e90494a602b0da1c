from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from chuangcheng.accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("unit",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Read-mostly: users and roles are managed through services; admin is for inspection."""

    inlines = (MembershipInline,)
    list_display = ("username", "full_name", "phone", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + (("创城", {"fields": ("full_name", "phone")}),)
