"""Shipping and delivery records change only through the actions (pages, API): here they are
read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gendan.shipping.models import (
    DeliveryNote,
    Discrepancy,
    SettlementRequest,
    Shipment,
    ShippingNotice,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ShippingNotice)
class ShippingNoticeAdmin(ReadOnlyAdmin):
    list_display = ["number", "order", "state", "ship_on", "issued_by"]
    list_filter = ["state"]
    search_fields = ["number", "order__number"]


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyAdmin):
    list_display = ["number", "order", "carrier", "vehicle", "tracking_number", "shipped_at"]
    search_fields = ["number", "order__number", "tracking_number"]


@admin.register(DeliveryNote)
class DeliveryNoteAdmin(ReadOnlyAdmin):
    list_display = ["number", "order", "state", "signed_by_name", "signed_at"]
    list_filter = ["state"]
    search_fields = ["number", "order__number"]


@admin.register(Discrepancy)
class DiscrepancyAdmin(ReadOnlyAdmin):
    list_display = ["delivery_note", "kind", "quantity", "reported_at", "resolved_at"]
    list_filter = ["kind"]


@admin.register(SettlementRequest)
class SettlementRequestAdmin(ReadOnlyAdmin):
    list_display = ["number", "order", "state", "amount", "disputed_amount", "requested_at"]
    list_filter = ["state"]
