"""Orders: list rows, the full record with lines and transitions, and the input for edits."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from gendan.accounts.models import User
from gendan.api.serializers.common import UserRefSerializer, active_users
from gendan.catalog.models import Product
from gendan.customers.models import Customer
from gendan.orders.actions import HEADER_FIELDS, LINE_FIELDS
from gendan.orders.models import Order, OrderLine
from gendan.orders.pipeline import Available, available_transitions

MAX_LINES = 200


class CustomerRefSerializer(serializers.ModelSerializer[Customer]):
    class Meta:
        model = Customer
        fields = ["id", "code", "name"]
        read_only_fields = fields


class TransitionSerializer(serializers.Serializer[Any]):
    """One step the user may take from the order's status, and what still blocks it."""

    name = serializers.CharField(source="transition.name")
    label = serializers.CharField(source="transition.label")  # type: ignore[assignment]
    target = serializers.SerializerMethodField(
        help_text="Status the order moves to; null when it returns to where it was held from "
        "and that is unknown."
    )
    needs_reason = serializers.BooleanField(source="transition.needs_reason")
    enabled = serializers.BooleanField()
    blockers = serializers.ListField(child=serializers.CharField())
    style = serializers.CharField(source="transition.style")  # type: ignore[assignment]

    def get_target(self, available: Available) -> str | None:
        transition = available.transition
        if transition.target is not None:
            return str(transition.target)
        order = self.context.get("order")
        return str(order.held_from) if order is not None and order.held_from else None


class OrderLineSerializer(serializers.ModelSerializer[OrderLine]):
    product_code = serializers.CharField(source="product.code", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    amount = serializers.DecimalField(max_digits=24, decimal_places=2, read_only=True)

    class Meta:
        model = OrderLine
        fields = ["position", "product", "product_code", "product_name", *LINE_FIELDS[1:]]
        fields += ["amount"]
        read_only_fields = ["position"]
        extra_kwargs = {
            "unit": {"required": False, "help_text": "Defaults to the product's unit."},
            "grammage": {"min_value": 1, "max_value": 2000},
            "width_mm": {"min_value": 1, "max_value": 20000},
            "tolerance_pct": {"max_value": 100},
        }

    def validate_product(self, product: Product) -> Product:
        existing = self.context.get("existing_products", set())
        if not product.is_active and product.pk not in existing:
            raise serializers.ValidationError(
                _("Product %(code)s is no longer sold; choose another.") % {"code": product.code}
            )
        return product

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs.setdefault("unit", attrs["product"].unit)
        return attrs


class OrderListSerializer(serializers.ModelSerializer[Order]):
    """An order as a row of a list: header only."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    status_colour = serializers.CharField(read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    priority_label = serializers.CharField(source="get_priority_display", read_only=True)
    customer = CustomerRefSerializer(read_only=True)
    clerk = UserRefSerializer(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "number",
            "url",
            "status",
            "status_label",
            "status_colour",
            "customer",
            "customer_reference",
            "channel",
            "channel_label",
            "priority",
            "priority_label",
            "clerk",
            "requested_date",
            "promised_date",
            "total_amount",
            "version",
            "created_at",
            "status_changed_at",
        ]
        read_only_fields = fields

    def get_url(self, order: Order) -> str:
        return reverse("api:order-detail", args=[order.number], request=self.context.get("request"))


class OrderSerializer(OrderListSerializer):
    """The full order: header, lines, and the pipeline steps open to the reader."""

    held_from = serializers.CharField(read_only=True)
    created_by = UserRefSerializer(read_only=True)
    lines = OrderLineSerializer(many=True, read_only=True)
    transitions = serializers.SerializerMethodField()
    etag = serializers.CharField(read_only=True)

    class Meta(OrderListSerializer.Meta):
        fields = [
            *OrderListSerializer.Meta.fields,
            "held_from",
            "delivery_place",
            "payment_terms",
            "quality_requirements",
            "notes",
            "etag",
            "created_by",
            "updated_at",
            "lines",
            "transitions",
        ]
        read_only_fields = fields

    @extend_schema_field(TransitionSerializer(many=True))
    def get_transitions(self, order: Order) -> list[dict[str, Any]]:
        request = self.context.get("request")
        if request is None:
            return []
        available = available_transitions(order, request.user)
        return list(TransitionSerializer(available, many=True, context={"order": order}).data)


class OrderWriteSerializer(serializers.ModelSerializer[Order]):
    """Input for registering or editing an order. Lines replace the order's lines."""

    customer = serializers.PrimaryKeyRelatedField[Customer](queryset=Customer.objects.all())
    clerk = serializers.PrimaryKeyRelatedField[User](
        queryset=active_users(),
        required=False,
        help_text="Follow-up clerk. Only the sales head and management may choose; for anyone "
        "else the clerk is the caller (new orders) or stays as it is (edits).",
    )
    lines = OrderLineSerializer(  # type: ignore[call-arg]  # ListSerializer options
        many=True, allow_empty=False, max_length=MAX_LINES
    )
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        write_only=True,
        help_text="The `version` of the order you edited (or send the ETag as If-Match).",
    )

    class Meta:
        model = Order
        fields = [*HEADER_FIELDS, "lines", "version"]

    def validate_customer(self, customer: Customer) -> Customer:
        if not customer.is_active and (
            self.instance is None or self.instance.customer_id != customer.pk
        ):
            raise serializers.ValidationError(
                _("Customer %(code)s is inactive; reactivate it or choose another.")
                % {"code": customer.code}
            )
        return customer

    def header_values(self) -> dict[str, Any]:
        return {k: v for k, v in self.validated_data.items() if k in HEADER_FIELDS}

    def line_values(self) -> list[dict[str, Any]] | None:
        lines = self.validated_data.get("lines")
        return None if lines is None else [dict(line) for line in lines]
