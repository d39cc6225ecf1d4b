"""The web shop's order endpoint: POST /api/v1/shop/orders/ (I1, channel web_shop).

The shop signs in with a token (`Authorization: Token ...`) of a user allowed to register
orders (e.g. a clerk account kept for the shop) and sends every order with an
`Idempotency-Key`: a retry with the same key returns the first answer and creates nothing
again (the shared mechanism of `gendan.api.idempotency`). Shop SKUs are mapped to products by
`ShopSku`; a SKU equal to a product code is accepted as well. Every malformed payload answers
400 with field-level errors; a shop order number already registered answers 409.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gendan.api.idempotency import HEADER, idempotent
from gendan.api.permissions import acting_user
from gendan.api.serializers.common import ErrorSerializer
from gendan.catalog.models import Product
from gendan.core.errors import NotPermitted
from gendan.customers.models import Customer
from gendan.intake.actions import register_shop_order
from gendan.intake.models import OrderType, ShopSku
from gendan.intake.permissions import can_import

MAX_LINES = 200


class ShopLineSerializer(serializers.Serializer[Any]):
    sku = serializers.CharField(max_length=60)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3, min_value=Decimal("0.001"))
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"))
    grammage = serializers.IntegerField(
        min_value=1, max_value=1000, required=False, allow_null=True
    )
    width_mm = serializers.IntegerField(
        min_value=1, max_value=10000, required=False, allow_null=True
    )
    specification = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        sku = attrs["sku"].strip()
        mapped = ShopSku.objects.select_related("product").filter(sku=sku, is_active=True).first()
        product: Product | None
        if mapped is not None and mapped.product.is_active:
            product = mapped.product
            grammage, width = mapped.grammage, mapped.width_mm
        else:
            product = Product.objects.filter(code=sku, is_active=True).first()
            if product is None:
                raise serializers.ValidationError(
                    {"sku": [_("Unknown SKU “%(sku)s”.") % {"sku": sku}]}
                )
            grammage, width = product.grammage, product.width_mm
        return {
            "product": product,
            "grammage": attrs.get("grammage") or grammage,
            "width_mm": attrs.get("width_mm") or width,
            "specification": attrs.get("specification", ""),
            "quantity": attrs["quantity"],
            "unit": product.unit,
            "unit_price": attrs["unit_price"],
        }


class ShopOrderSerializer(serializers.Serializer[Any]):
    customer_code = serializers.CharField(max_length=30)
    shop_order_id = serializers.CharField(
        max_length=80, help_text="The shop's order number; stored as the customer's reference."
    )
    requested_date = serializers.DateField()
    delivery_place = serializers.CharField(max_length=300)
    payment_terms = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        help_text="Empty: the customer's usual terms.",
    )
    quality_requirements = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    order_type = serializers.SlugField(max_length=30, required=False)
    lines = ShopLineSerializer(  # type: ignore[call-arg]  # `many=True` makes a ListSerializer
        many=True, allow_empty=False, max_length=MAX_LINES
    )

    def validate_customer_code(self, value: str) -> Customer:
        customer = Customer.objects.filter(code=value.strip(), is_active=True).first()
        if customer is None:
            raise serializers.ValidationError(
                _("No active customer has the code “%(code)s”.") % {"code": value}
            )
        return customer

    def validate_requested_date(self, value: dt.date) -> dt.date:
        if value < timezone.localdate():
            raise serializers.ValidationError(_("The requested date is in the past."))
        return value

    def validate_order_type(self, value: str) -> OrderType:
        found = OrderType.objects.filter(code=value, is_active=True).first()
        if found is None:
            raise serializers.ValidationError(_("Unknown order type “%(code)s”.") % {"code": value})
        return found

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        customer: Customer = attrs["customer_code"]
        if not (attrs.get("payment_terms") or "").strip():
            if not customer.payment_terms:
                raise serializers.ValidationError(
                    {"payment_terms": [_("Required: the customer has no usual payment terms.")]}
                )
            attrs["payment_terms"] = customer.payment_terms
        return attrs


class ShopOrderCreatedSerializer(serializers.Serializer[Any]):
    number = serializers.CharField()
    status = serializers.CharField()
    shop_order_id = serializers.CharField()
    total_amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    url = serializers.CharField()


KEY_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=(
        "Required. A unique string per order (e.g. a UUID). A retry with the same key within "
        "24 hours returns the first answer and creates nothing again."
    ),
)


class ShopOrderView(APIView):
    """Register an order placed in the web shop."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="shop_orders_create",
        summary="Register a web shop order",
        tags=["web shop"],
        parameters=[KEY_PARAMETER],
        request=ShopOrderSerializer,
        responses={
            201: ShopOrderCreatedSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Malformed payload or key."),
            403: OpenApiResponse(ErrorSerializer, description="The account may not register."),
            409: OpenApiResponse(ErrorSerializer, description="Shop order already registered."),
            422: OpenApiResponse(ErrorSerializer, description="Key reused for another order."),
        },
    )
    def post(self, request: Request) -> Response:
        if not can_import(acting_user(request)):
            raise NotPermitted(_("This account may not register orders."))
        if not (request.headers.get(HEADER) or "").strip():
            raise exceptions.ValidationError(
                {HEADER: [_("Send an Idempotency-Key header (e.g. a UUID) with every order.")]}
            )
        return self._create(request)

    @idempotent
    def _create(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Send the order as a JSON object.")]}
            )
        serializer = ShopOrderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        order = register_shop_order(
            user=acting_user(request),
            header={
                "customer": data["customer_code"],
                "customer_reference": data["shop_order_id"].strip(),
                "requested_date": data["requested_date"],
                "delivery_place": data["delivery_place"].strip(),
                "payment_terms": data["payment_terms"].strip(),
                "quality_requirements": data.get("quality_requirements", ""),
                "notes": data.get("notes", ""),
            },
            lines=data["lines"],
            order_type=data.get("order_type"),
        )
        url = request.build_absolute_uri(order.get_absolute_url())
        body = {
            "number": order.number,
            "status": order.status,
            "shop_order_id": order.customer_reference,
            "total_amount": str(order.total_amount),
            "url": url,
        }
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": url})
