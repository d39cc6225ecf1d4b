"""Administration of production master data. Plans, work orders, progress reports and plan
changes change only through the actions (pages, API): here they are read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gendan.production.models import (
    PlanChange,
    ProductionPlan,
    ProgressReport,
    Routing,
    RoutingOperation,
    Team,
    WorkCentre,
    WorkOrder,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department", "leader", "is_active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["members"]


@admin.register(WorkCentre)
class WorkCentreAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "capacity_units",
        "shifts_per_day",
        "hours_per_shift",
        "day_starts_at",
        "runs_on_rest_days",
        "default_team",
        "is_active",
    ]
    list_filter = ["runs_on_rest_days", "is_active"]
    search_fields = ["code", "name"]


class RoutingOperationInline(admin.TabularInline):
    model = RoutingOperation
    extra = 0
    filter_horizontal = ["alternative_work_centres"]


@admin.register(Routing)
class RoutingAdmin(admin.ModelAdmin):
    list_display = ["product", "name", "is_default"]
    list_filter = ["is_default"]
    search_fields = ["product__code", "product__name", "name"]
    inlines = [RoutingOperationInline]


class WorkOrderInline(admin.TabularInline):
    model = WorkOrder
    extra = 0
    can_delete = False
    fields = (
        "number",
        "name",
        "work_centre",
        "status",
        "planned_start",
        "planned_end",
        "good_quantity",
        "scrap_quantity",
    )
    readonly_fields = fields


@admin.register(ProductionPlan)
class ProductionPlanAdmin(ReadOnlyAdmin):
    list_display = ["order", "status", "drafted_by", "approved_by", "approved_at"]
    list_filter = ["status"]
    search_fields = ["order__number"]
    inlines = [WorkOrderInline]


@admin.register(WorkOrder)
class WorkOrderAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "order",
        "name",
        "work_centre",
        "status",
        "planned_start",
        "planned_end",
        "good_quantity",
        "scrap_quantity",
    ]
    list_filter = ["status", "work_centre"]
    search_fields = ["number", "order__number"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = [
        "work_order",
        "work_date",
        "good_quantity",
        "scrap_quantity",
        "hours",
        "delay_cause",
        "reported_by",
    ]
    list_filter = ["delay_cause"]


@admin.register(PlanChange)
class PlanChangeAdmin(ReadOnlyAdmin):
    list_display = ["work_order", "changed_at", "changed_by", "before_end", "after_end"]
