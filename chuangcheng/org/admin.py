from django.contrib import admin

from chuangcheng.org.models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")
    readonly_fields = ("path", "depth")

    def has_add_permission(self, request):
        return False  # units are created through org.services (audited)

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD")  # units are edited through org.services (audited)

    def has_delete_permission(self, request, obj=None):
        return False
