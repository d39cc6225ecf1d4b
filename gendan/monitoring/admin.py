from django.contrib import admin
from django.http import HttpRequest

from gendan.monitoring.models import MonitoringSettings, RectificationNotice


@admin.register(MonitoringSettings)
class MonitoringSettingsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return not MonitoringSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(RectificationNotice)
class RectificationNoticeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: notices change through the checks and `resolve_notice` only."""

    list_display = ["number", "kind", "order", "owner", "due_at", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "subject_label", "summary"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
