"""Planning in the admin: capacity adjustments are plain data (planners also add them by
choosing an emergency option); plan runs, answers and outsourcing are records, read only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gendan.planning.models import CapacityAdjustment, Outsourcing, PlanRun, PromiseAnswer


@admin.register(CapacityAdjustment)
class CapacityAdjustmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["work_centre", "kind", "starts_at", "ends_at", "reason", "created_by"]
    list_filter = ["kind", "work_centre"]
    date_hierarchy = "starts_at"
    exclude = ["created_by"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PlanRun)
class PlanRunAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "status", "orders_planned", "late_orders", "is_current"]
    list_filter = ["kind", "is_current"]


@admin.register(PromiseAnswer)
class PromiseAnswerAdmin(ReadOnlyAdmin):
    list_display = ["order", "state", "answer", "asked_date", "earliest_date", "computed_at"]
    list_filter = ["state", "answer"]
    search_fields = ["order__number"]


@admin.register(Outsourcing)
class OutsourcingAdmin(ReadOnlyAdmin):
    list_display = ["order", "routing_operation", "lead_hours", "cost", "created_by", "created_at"]
    search_fields = ["order__number"]
