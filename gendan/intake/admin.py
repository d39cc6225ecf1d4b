"""Administration of intake's settings and master data: order types and what they require,
the checks' numbers, cost breakdowns, line capacities and web-shop SKUs."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gendan.intake.models import (
    ImportBatch,
    IntakeSettings,
    LineCapacity,
    OrderType,
    ProductCost,
    Requirement,
    ShopSku,
)
from gendan.orders.status import Channel


class OrderTypeForm(forms.ModelForm):
    required_fields = forms.MultipleChoiceField(
        label=_("Required items"),
        choices=Requirement.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = OrderType
        fields = [
            "code",
            "name",
            "description",
            "required_fields",
            "is_default",
            "is_active",
            "position",
        ]


@admin.register(OrderType)
class OrderTypeAdmin(admin.ModelAdmin):
    form = OrderTypeForm
    list_display = ("code", "name", "is_default", "is_active", "position")
    list_editable = ("position",)


class IntakeSettingsForm(forms.ModelForm):
    written_record_channels = forms.MultipleChoiceField(
        label=_("Channels that need a written record before submitting"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = IntakeSettings
        exclude: list[str] = []


@admin.register(IntakeSettings)
class IntakeSettingsAdmin(admin.ModelAdmin):
    form = IntakeSettingsForm
    list_display = ("__str__", "min_margin_pct", "max_discount_pct", "default_daily_tons")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not IntakeSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ProductCost)
class ProductCostAdmin(admin.ModelAdmin):
    list_display = ("product", "material", "labour", "energy", "transport", "updated_at")
    search_fields = ("product__code", "product__name")


@admin.register(LineCapacity)
class LineCapacityAdmin(admin.ModelAdmin):
    list_display = ("product_line", "daily_tons")


@admin.register(ShopSku)
class ShopSkuAdmin(admin.ModelAdmin):
    list_display = ("sku", "product", "grammage", "width_mm", "is_active")
    search_fields = ("sku", "product__code")


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("original_name", "uploaded_by", "uploaded_at", "state", "row_count")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
