from django.contrib import admin
from django.http import HttpRequest

from gendan.documents.models import Document, RetentionPolicy


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ["category", "years"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Read-only: documents are filed by the actions and kept for their retention period."""

    list_display = ["order", "category", "title", "size", "retain_until", "created_at"]
    list_filter = ["category"]
    search_fields = ["order__number", "title", "sha256"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
