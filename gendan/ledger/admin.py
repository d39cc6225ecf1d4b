from django.contrib import admin
from django.http import HttpRequest

from gendan.ledger.models import LedgerEntry


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """Read-only: the ledger is append-only everywhere, the admin included."""

    list_display = ["at", "order", "kind", "actor", "summary"]
    list_filter = ["kind"]
    search_fields = ["summary", "order__number"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
