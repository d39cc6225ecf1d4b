"""Emergency orders in the admin, read only: every change goes through the actions."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gendan.emergency.models import EmergencyCase


@admin.register(EmergencyCase)
class EmergencyCaseAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["number", "order", "basis", "required_date", "status", "identified_at"]
    list_filter = ["status", "basis"]
    search_fields = ["number", "order__number"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
