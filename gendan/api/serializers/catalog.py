"""Product lines and products."""

from rest_framework import serializers

from gendan.accounts.models import Department
from gendan.api.serializers.common import active_departments
from gendan.catalog.models import Product, ProductLine


class ProductLineSerializer(serializers.ModelSerializer[ProductLine]):
    production_department = serializers.SlugRelatedField[Department](
        slug_field="code",
        queryset=active_departments(),
        help_text="Code of the department that makes this line, e.g. `production`.",
    )

    class Meta:
        model = ProductLine
        fields = ["id", "code", "name", "production_department", "standard_lead_days"]
        read_only_fields = ["id"]
        extra_kwargs = {"standard_lead_days": {"min_value": 1, "max_value": 365}}


class ProductSerializer(serializers.ModelSerializer[Product]):
    line_code = serializers.CharField(source="line.code", read_only=True)
    unit_label = serializers.CharField(source="get_unit_display", read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "code",
            "name",
            "line",
            "line_code",
            "grade",
            "grammage",
            "width_mm",
            "specification",
            "unit",
            "unit_label",
            "list_price",
            "standard_cost",
            "is_active",
        ]
        read_only_fields = ["id"]
        extra_kwargs = {
            "grammage": {"min_value": 1, "max_value": 2000},
            "width_mm": {"min_value": 1, "max_value": 20000},
        }
