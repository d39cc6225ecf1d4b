from django.contrib import admin

from gendan.quality.models import InspectionStandard


@admin.register(InspectionStandard)
class InspectionStandardAdmin(admin.ModelAdmin):
    list_display = (
        "characteristic",
        "product",
        "material",
        "stage",
        "target",
        "tolerance_minus",
        "tolerance_plus",
        "is_active",
    )
    list_filter = ("stage", "is_active")
    search_fields = ("characteristic", "product__code", "material__code")
