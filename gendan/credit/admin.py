"""Administration: the credit rules' numbers. Credit records change through finance's pages
(actions with ledger entries), so they are read-only here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gendan.credit.models import (
    CreditAssessment,
    CreditDocument,
    CreditResolution,
    CreditSettings,
    Invoice,
    Payment,
)


@admin.register(CreditSettings)
class CreditSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "grace_days", "block_days_late", "block_over_limit_pct")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not CreditSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CreditDocument)
class CreditDocumentAdmin(ReadOnlyAdmin):
    list_display = ("customer", "kind", "valid_until", "uploaded_by", "uploaded_at")
    list_filter = ("kind",)
    search_fields = ("customer__code", "customer__name")


@admin.register(CreditAssessment)
class CreditAssessmentAdmin(ReadOnlyAdmin):
    list_display = ("customer", "rating", "limit", "assessor", "assessed_on")
    search_fields = ("customer__code", "customer__name")


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ("number", "customer", "order", "amount", "paid_amount", "due_date")
    search_fields = ("number", "customer__code", "customer__name")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("invoice", "amount", "paid_on", "reference")


@admin.register(CreditResolution)
class CreditResolutionAdmin(ReadOnlyAdmin):
    list_display = ("order", "kind", "amount", "received_on", "recorded_by")
