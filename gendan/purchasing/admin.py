"""Administration of purchasing master data. Purchase orders, receipts, reservations and
incidents change only through the actions (pages, API): here they are read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gendan.purchasing.models import (
    BOMLine,
    Material,
    MaterialReservation,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    Supplier,
    SupplierIncident,
    SupplierPrice,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SupplierPriceInline(admin.TabularInline):
    model = SupplierPrice
    extra = 0
    autocomplete_fields = ["material"]


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "lead_time_days",
        "rating",
        "contact_person",
        "phone",
        "is_active",
    ]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "contact_person"]
    inlines = [SupplierPriceInline]


class MaterialPriceInline(admin.TabularInline):
    model = SupplierPrice
    extra = 0
    autocomplete_fields = ["supplier"]


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "stock_on_hand", "safety_stock", "default_supplier"]
    list_filter = ["unit", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["default_supplier"]
    inlines = [MaterialPriceInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Opening stock is entered with the material; afterwards receipts, issues and stock
        # corrections (actions, with a ledger entry) change it.
        return ["stock_on_hand"] if obj is not None else []


@admin.register(SupplierPrice)
class SupplierPriceAdmin(admin.ModelAdmin):
    list_display = ["material", "supplier", "unit_price", "lead_time_days", "min_order_quantity"]
    search_fields = ["material__code", "material__name", "supplier__name"]
    autocomplete_fields = ["material", "supplier"]


@admin.register(BOMLine)
class BOMLineAdmin(admin.ModelAdmin):
    list_display = ["product", "material", "quantity_per_unit", "scrap_factor"]
    search_fields = ["product__code", "product__name", "material__code"]
    autocomplete_fields = ["material"]
    list_select_related = ["product", "material"]


class PurchaseOrderLineInline(admin.TabularInline):
    model = PurchaseOrderLine
    extra = 0
    can_delete = False
    readonly_fields = (
        "material",
        "quantity",
        "unit_price",
        "promised_date",
        "expected_date",
        "received_quantity",
        "cancelled_quantity",
        "completed_on",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(ReadOnlyAdmin):
    list_display = ["number", "supplier", "order", "status", "order_date", "expected_date", "buyer"]
    list_filter = ["status"]
    search_fields = ["number", "order__number", "supplier__name"]
    inlines = [PurchaseOrderLineInline]


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ["line", "quantity", "received_on", "received_by"]
    date_hierarchy = "received_on"


@admin.register(MaterialReservation)
class MaterialReservationAdmin(ReadOnlyAdmin):
    list_display = ["material", "order", "quantity", "updated_at"]
    search_fields = ["material__code", "order__number"]


@admin.register(SupplierIncident)
class SupplierIncidentAdmin(ReadOnlyAdmin):
    list_display = ["reported_at", "supplier", "kind", "status", "purchase_order", "order"]
    list_filter = ["kind", "status"]
    search_fields = ["supplier__name", "description"]
