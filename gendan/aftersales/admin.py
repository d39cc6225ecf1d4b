from django.contrib import admin
from django.http import HttpRequest

from gendan.aftersales.models import AfterSalesSettings


@admin.register(AfterSalesSettings)
class AfterSalesSettingsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return not AfterSalesSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
