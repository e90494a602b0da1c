from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from chuangcheng.accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("unit",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Read-only: accounts and roles are managed on the 账号 pages through services (validated, audited)."""

    inlines = (MembershipInline,)
    list_display = ("username", "full_name", "phone", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + (("创城", {"fields": ("full_name", "phone")}),)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD")  # viewing only; saving goes through the 账号 pages

    def has_delete_permission(self, request, obj=None):
        return False
