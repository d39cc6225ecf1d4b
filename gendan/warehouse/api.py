"""REST endpoints of the warehouse (E5), under /api/v1/: finished goods receipts (list, read,
take in from a work order, checked against it) and the stock per order line."""

from typing import Any

from django.db.models import QuerySet
from django.urls import include, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from gendan.api.filters import StableOrderingFilter
from gendan.api.permissions import STAFF, acting_user
from gendan.api.serializers.common import UserRefSerializer
from gendan.api.views.orders import ERRORS
from gendan.catalog.models import Product
from gendan.quality.selectors import work_orders_for
from gendan.warehouse import actions
from gendan.warehouse.models import FinishedGoodsReceipt, LineStock

TAGS = ["warehouse"]


class FinishedGoodsReceiptSerializer(serializers.ModelSerializer[FinishedGoodsReceipt]):
    order = serializers.CharField(source="order.number", read_only=True)
    order_line = serializers.IntegerField(source="order_line.position", read_only=True)
    work_order = serializers.CharField(source="work_order.number", read_only=True)
    inspection = serializers.CharField(source="inspection.number", read_only=True)
    product = serializers.CharField(source="product.code", read_only=True)
    received_by = UserRefSerializer(read_only=True)

    class Meta:
        model = FinishedGoodsReceipt
        fields = [
            "number",
            "order",
            "order_line",
            "work_order",
            "inspection",
            "product",
            "specification",
            "quantity",
            "unit",
            "location",
            "note",
            "received_by",
            "received_at",
        ]
        read_only_fields = fields


class ReceiveInputSerializer(serializers.Serializer[Any]):
    """What the warehouse reads on the goods; checked against the work order."""

    work_order = serializers.CharField(help_text="The last work order of the order line.")
    product = serializers.SlugRelatedField(slug_field="code", queryset=Product.objects.all())
    specification = serializers.CharField(allow_blank=True, default="")
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    location = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List finished goods receipts"),
    retrieve=extend_schema(
        tags=TAGS,
        summary="Read a finished goods receipt",
        responses={200: FinishedGoodsReceiptSerializer, 404: ERRORS[404]},
    ),
)
class FinishedGoodsReceiptViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[FinishedGoodsReceipt],
):
    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    permission_classes = STAFF
    serializer_class = FinishedGoodsReceiptSerializer
    filter_backends = [StableOrderingFilter]
    ordering = ["-received_at"]

    def get_queryset(self) -> QuerySet[FinishedGoodsReceipt]:
        return FinishedGoodsReceipt.objects.for_user(acting_user(self.request)).select_related(
            "order", "order_line", "work_order", "inspection", "product", "received_by"
        )

    @extend_schema(
        tags=TAGS,
        summary="Take finished goods in from a passed final inspection",
        request=ReceiveInputSerializer,
        responses={201: FinishedGoodsReceiptSerializer(many=True), **ERRORS},
    )
    def create(self, request: Request) -> Response:
        form = ReceiveInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        user = acting_user(request)
        wo = work_orders_for(user).filter(number=data["work_order"]).first()
        if wo is None:
            raise serializers.ValidationError(
                {"work_order": [_("No such work order among those you can see.")]}
            )
        receipts = actions.receive_finished_goods(
            work_order=wo,
            user=user,
            product=data["product"],
            specification=data["specification"],
            quantity=data["quantity"],
            location=data["location"],
            note=data["note"],
        )
        return Response(
            FinishedGoodsReceiptSerializer(receipts, many=True).data,
            status=status.HTTP_201_CREATED,
        )


class LineStockSerializer(serializers.ModelSerializer[LineStock]):
    order = serializers.CharField(source="order.number", read_only=True)
    order_line = serializers.IntegerField(source="order_line.position", read_only=True)
    planned = serializers.DecimalField(
        source="order_line.quantity", max_digits=14, decimal_places=3, read_only=True
    )
    on_hand = serializers.DecimalField(max_digits=14, decimal_places=3, read_only=True)

    class Meta:
        model = LineStock
        fields = [
            "order",
            "order_line",
            "planned",
            "received_quantity",
            "issued_quantity",
            "on_hand",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="Finished goods stock per order line (planned vs actual)")
)
class LineStockViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[LineStock]):
    permission_classes = STAFF
    serializer_class = LineStockSerializer
    filter_backends = [StableOrderingFilter]
    ordering = ["order__number"]

    def get_queryset(self) -> QuerySet[LineStock]:
        qs = LineStock.objects.for_user(acting_user(self.request)).select_related(
            "order", "order_line"
        )
        order = self.request.query_params.get("order")
        return qs.filter(order__number=order) if order else qs


router = SimpleRouter()
router.register("warehouse-receipts", FinishedGoodsReceiptViewSet, basename="warehousereceipt")
router.register("warehouse-stock", LineStockViewSet, basename="warehousestock")

urlpatterns = [path("", include(router.urls))]
