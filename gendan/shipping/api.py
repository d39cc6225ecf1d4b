"""REST endpoints of shipping and delivery (E6, E7), under /api/v1/.

Records change only through the actions the pages call; reads go through the one access door
(`for_user`, 404 for the invisible). Quantities are sent per order line position:
`{"lines": {"1": "10.000", "2": "5"}}`.
"""

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.urls import include, path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from gendan.api.permissions import STAFF, acting_user
from gendan.api.serializers.common import UserRefSerializer
from gendan.api.views.orders import ERRORS, visible_order
from gendan.core.access import get_visible_or_404
from gendan.orders.models import Order
from gendan.shipping import actions
from gendan.shipping.guards import fully_shipped
from gendan.shipping.models import (
    DeliveryNote,
    Discrepancy,
    DiscrepancyKind,
    NoticeLine,
    SettlementRequest,
    Shipment,
    ShipmentLine,
    ShippingNotice,
)
from gendan.shipping.selectors import line_progress

TAGS = ["shipping"]


# --- reading -------------------------------------------------------------------------------


class NoticeLineSerializer(serializers.ModelSerializer[NoticeLine]):
    line = serializers.IntegerField(source="order_line.position", read_only=True)
    product = serializers.CharField(source="order_line.product.code", read_only=True)
    unit = serializers.CharField(source="order_line.unit", read_only=True)

    class Meta:
        model = NoticeLine
        fields = ["line", "product", "quantity", "unit"]
        read_only_fields = fields


class ShipmentLineSerializer(serializers.ModelSerializer[ShipmentLine]):
    line = serializers.IntegerField(source="order_line.position", read_only=True)
    product = serializers.CharField(source="order_line.product.code", read_only=True)
    unit = serializers.CharField(source="order_line.unit", read_only=True)
    matches_notice = serializers.BooleanField(read_only=True)

    class Meta:
        model = ShipmentLine
        fields = ["line", "product", "noticed_quantity", "quantity", "unit", "matches_notice"]
        read_only_fields = fields


class DiscrepancySerializer(serializers.ModelSerializer[Discrepancy]):
    delivery_note = serializers.CharField(source="delivery_note.number", read_only=True)
    line = serializers.IntegerField(source="order_line.position", read_only=True, allow_null=True)
    reported_by = UserRefSerializer(read_only=True)
    resolved_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Discrepancy
        fields = [
            "id",
            "delivery_note",
            "kind",
            "line",
            "quantity",
            "description",
            "reported_by",
            "reported_at",
            "resolution",
            "resolved_by",
            "resolved_at",
        ]
        read_only_fields = fields


class DeliveryNoteSerializer(serializers.ModelSerializer[DeliveryNote]):
    signed_document = serializers.PrimaryKeyRelatedField(read_only=True)  # type: ignore[var-annotated]
    document = serializers.PrimaryKeyRelatedField(read_only=True)  # type: ignore[var-annotated]
    discrepancies = DiscrepancySerializer(many=True, read_only=True)

    class Meta:
        model = DeliveryNote
        fields = [
            "number",
            "state",
            "document",
            "received_on",
            "signed_by_name",
            "signed_at",
            "signed_document",
            "remarks",
            "recorded_at",
            "discrepancies",
        ]
        read_only_fields = fields


class ShippingNoticeSerializer(serializers.ModelSerializer[ShippingNotice]):
    order = serializers.SlugRelatedField(slug_field="number", read_only=True)  # type: ignore[var-annotated]
    lines = NoticeLineSerializer(many=True, read_only=True)
    issued_by = UserRefSerializer(read_only=True)
    shipment = serializers.SerializerMethodField()

    class Meta:
        model = ShippingNotice
        fields = [
            "number",
            "order",
            "state",
            "ship_on",
            "delivery_place",
            "consignee",
            "notes",
            "issued_by",
            "issued_at",
            "cancel_reason",
            "lines",
            "shipment",
        ]
        read_only_fields = fields

    def get_shipment(self, notice: ShippingNotice) -> str | None:
        shipment = Shipment.objects.filter(notice=notice).values_list("number", flat=True)
        return shipment.first()


class ShipmentSerializer(serializers.ModelSerializer[Shipment]):
    order = serializers.SlugRelatedField(slug_field="number", read_only=True)  # type: ignore[var-annotated]
    notice = serializers.SlugRelatedField(slug_field="number", read_only=True)  # type: ignore[var-annotated]
    lines = ShipmentLineSerializer(many=True, read_only=True)
    dispatched_by = UserRefSerializer(read_only=True)
    certificate = serializers.PrimaryKeyRelatedField(read_only=True)  # type: ignore[var-annotated]
    delivery_note = DeliveryNoteSerializer(read_only=True)

    class Meta:
        model = Shipment
        fields = [
            "number",
            "order",
            "notice",
            "carrier",
            "vehicle",
            "driver",
            "tracking_number",
            "packaging",
            "packages",
            "documents",
            "shipped_at",
            "check_note",
            "dispatched_by",
            "certificate",
            "lines",
            "delivery_note",
        ]
        read_only_fields = fields


class SettlementRequestSerializer(serializers.ModelSerializer[SettlementRequest]):
    order = serializers.SlugRelatedField(slug_field="number", read_only=True)  # type: ignore[var-annotated]
    delivery_notes = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="number", many=True, read_only=True
    )
    requested_by = UserRefSerializer(read_only=True)
    received_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = SettlementRequest
        fields = [
            "number",
            "order",
            "state",
            "delivery_notes",
            "amount",
            "disputed_amount",
            "note",
            "requested_by",
            "requested_at",
            "received_by",
            "received_at",
            "finance_note",
        ]
        read_only_fields = fields


class LineProgressSerializer(serializers.Serializer[Any]):
    line = serializers.IntegerField(source="line.position")
    product = serializers.CharField(source="line.product.code")
    unit = serializers.CharField(source="line.unit")
    ordered = serializers.DecimalField(max_digits=14, decimal_places=3)
    noticed = serializers.DecimalField(max_digits=14, decimal_places=3)
    shipped = serializers.DecimalField(max_digits=14, decimal_places=3)
    remaining = serializers.DecimalField(max_digits=14, decimal_places=3)
    fully_shipped = serializers.BooleanField()


class ShippingSummarySerializer(serializers.Serializer[Any]):
    order = serializers.CharField()
    status = serializers.CharField()
    fully_shipped = serializers.BooleanField()
    not_shipped = serializers.CharField(allow_null=True)
    lines = LineProgressSerializer(many=True)
    notices = ShippingNoticeSerializer(many=True)
    shipments = ShipmentSerializer(many=True)
    settlement_requests = SettlementRequestSerializer(many=True)


# --- writing -------------------------------------------------------------------------------


class QuantitiesField(serializers.DictField):
    """{"<line position>": "<quantity>"}"""

    child = serializers.DecimalField(min_value=Decimal("0"), max_digits=14, decimal_places=3)  # type: ignore[assignment]


class IssueNoticeSerializer(serializers.Serializer[Any]):
    ship_on = serializers.DateField()
    lines = QuantitiesField(help_text="Quantity to ship per order line position.")
    delivery_place = serializers.CharField(required=False, allow_blank=True, default="")
    consignee = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class DispatchSerializer(serializers.Serializer[Any]):
    carrier = serializers.CharField(max_length=120)
    vehicle = serializers.CharField(max_length=60)
    packaging = serializers.CharField(max_length=200)
    checked = serializers.BooleanField(
        help_text="true: the goods were checked against the notice (name, spec, quantity)."
    )
    lines = QuantitiesField(
        required=False, help_text="Quantity loaded per line position; default: the notice's."
    )
    packages = serializers.IntegerField(min_value=0, required=False, default=0)
    driver = serializers.CharField(required=False, allow_blank=True, default="")
    tracking_number = serializers.CharField(required=False, allow_blank=True, default="")
    documents = serializers.CharField(required=False, allow_blank=True, default="")
    check_note = serializers.CharField(required=False, allow_blank=True, default="")
    shipped_at = serializers.DateTimeField(required=False)


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField()


class DiscrepancyInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=DiscrepancyKind.choices)
    description = serializers.CharField()
    line = serializers.IntegerField(required=False, allow_null=True)
    quantity = serializers.DecimalField(
        required=False, allow_null=True, min_value=Decimal("0"), max_digits=14, decimal_places=3
    )


class SignOffSerializer(serializers.Serializer[Any]):
    signed_by_name = serializers.CharField(max_length=120)
    signed_at = serializers.DateTimeField()
    file = serializers.FileField(help_text="The signed delivery note (PDF or image).")
    received_on = serializers.DateField(required=False)
    remarks = serializers.CharField(required=False, allow_blank=True, default="")
    discrepancies = serializers.JSONField(
        required=False,
        help_text='A list of {"kind", "description", "line", "quantity"} (multipart: as JSON).',
    )

    def validate_discrepancies(self, value: Any) -> list[dict[str, Any]]:
        if value in (None, ""):
            return []
        rows = value if isinstance(value, list) else None
        if rows is None or not all(isinstance(row, dict) for row in rows):
            raise serializers.ValidationError("Send a list of discrepancies.")
        form = DiscrepancyInputSerializer(data=rows, many=True)
        form.is_valid(raise_exception=True)
        return [dict(row) for row in form.validated_data]


class DiscrepancyResolveSerializer(serializers.Serializer[Any]):
    resolution = serializers.CharField()


class SettlementNoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- views ---------------------------------------------------------------------------------


def _notices() -> QuerySet[ShippingNotice]:
    return ShippingNotice.objects.select_related("order", "issued_by").prefetch_related(
        "lines__order_line__product"
    )


def _shipments() -> QuerySet[Shipment]:
    return Shipment.objects.select_related(
        "order", "notice", "dispatched_by", "delivery_note"
    ).prefetch_related(
        "lines__order_line__product",
        "delivery_note__discrepancies__order_line",
        "delivery_note__discrepancies__reported_by",
        "delivery_note__discrepancies__resolved_by",
    )


def _settlements() -> QuerySet[SettlementRequest]:
    return SettlementRequest.objects.select_related(
        "order", "requested_by", "received_by"
    ).prefetch_related("delivery_notes")


def summary(request: Request, order: Order, code: int = status.HTTP_200_OK) -> Response:
    user = acting_user(request)
    blocker = fully_shipped(order, user)
    data = {
        "order": order.number,
        "status": order.status,
        "fully_shipped": blocker is None,
        "not_shipped": blocker,
        "lines": line_progress(order),
        "notices": _notices().filter(order=order),
        "shipments": _shipments().filter(order=order),
        "settlement_requests": _settlements().filter(order=order),
    }
    return Response(ShippingSummarySerializer(data).data, status=code)


class OrderShippingView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=TAGS,
        summary="The order's shipping and delivery: lines shipped, notices, shipments, "
        "delivery notes, settlement requests",
        responses={200: ShippingSummarySerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, number: str) -> Response:
        return summary(request, visible_order(request, number))


class OrderNoticesView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=TAGS,
        summary="List the order's shipping notices (发货通知单)",
        responses={200: ShippingNoticeSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        return Response(ShippingNoticeSerializer(_notices().filter(order=order), many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Issue a shipping notice to logistics (sales)",
        request=IssueNoticeSerializer,
        responses={201: ShippingNoticeSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        form = IssueNoticeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        notice = actions.issue_notice(
            order=order,
            user=acting_user(request),
            ship_on=data["ship_on"],
            quantities=data["lines"],
            delivery_place=data["delivery_place"],
            consignee=data["consignee"],
            notes=data["notes"],
        )
        return Response(
            ShippingNoticeSerializer(_notices().get(pk=notice.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class OrderSettlementsView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=TAGS,
        summary="List the order's settlement requests to finance",
        responses={200: SettlementRequestSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        rows = _settlements().filter(order=order)
        return Response(SettlementRequestSerializer(rows, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Send the signed delivery notes not yet settled to finance (sales)",
        request=SettlementNoteSerializer,
        responses={201: SettlementRequestSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        form = SettlementNoteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        settlement = actions.request_settlement(
            order=order, user=acting_user(request), note=form.validated_data["note"]
        )
        return Response(
            SettlementRequestSerializer(_settlements().get(pk=settlement.pk)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List the shipping notices you can see"),
    retrieve=extend_schema(
        tags=TAGS,
        summary="Read a shipping notice",
        responses={200: ShippingNoticeSerializer, 404: ERRORS[404]},
    ),
)
class ShippingNoticeViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ShippingNotice]
):
    """Notices are issued on an order: POST orders/{number}/shipping-notices/."""

    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    permission_classes = STAFF
    serializer_class = ShippingNoticeSerializer
    filterset_fields = ["state"]
    ordering_fields = ["ship_on", "number"]
    ordering = ["ship_on", "number"]

    def get_queryset(self) -> QuerySet[ShippingNotice]:
        return _notices().for_user(acting_user(self.request))  # type: ignore[attr-defined, no-any-return]

    def get_object(self) -> ShippingNotice:
        return get_visible_or_404(  # type: ignore[no-any-return]
            _notices(), acting_user(self.request), number=self.kwargs["number"]
        )

    @extend_schema(
        tags=TAGS,
        summary="Check the goods against the notice and dispatch them (logistics)",
        request=DispatchSerializer,
        responses={201: ShipmentSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_goods(self, request: Request, number: str) -> Response:
        notice = self.get_object()
        form = DispatchSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        quantities = data.pop("lines", None)
        shipment = actions.dispatch_shipment(
            notice=notice, user=acting_user(request), quantities=quantities, **data
        )
        return Response(
            ShipmentSerializer(_shipments().get(pk=shipment.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        tags=TAGS,
        summary="Cancel a notice nothing has shipped against (sales)",
        request=ReasonSerializer,
        responses={200: ShippingNoticeSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, number: str) -> Response:
        notice = self.get_object()
        form = ReasonSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        actions.cancel_notice(
            notice=notice, user=acting_user(request), reason=form.validated_data["reason"]
        )
        return Response(ShippingNoticeSerializer(self.get_object()).data)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List the shipments you can see"),
    retrieve=extend_schema(
        tags=TAGS,
        summary="Read a shipment with its delivery note (送货单) and discrepancies",
        responses={200: ShipmentSerializer, 404: ERRORS[404]},
    ),
)
class ShipmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Shipment]
):
    """Shipments are made by dispatching a notice."""

    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    permission_classes = STAFF
    serializer_class = ShipmentSerializer
    filterset_fields = ["delivery_note__state"]
    ordering_fields = ["shipped_at", "number"]
    ordering = ["-shipped_at"]

    def get_queryset(self) -> QuerySet[Shipment]:
        return _shipments().for_user(acting_user(self.request))  # type: ignore[attr-defined, no-any-return]

    def get_object(self) -> Shipment:
        return get_visible_or_404(  # type: ignore[no-any-return]
            _shipments(), acting_user(self.request), number=self.kwargs["number"]
        )

    @extend_schema(
        tags=TAGS,
        summary="Record the customer's sign-off: the signed delivery note, who signed and "
        "when, discrepancies (sales)",
        request={"multipart/form-data": SignOffSerializer},
        responses={201: ShipmentSerializer, **ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="sign-off",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def sign_off(self, request: Request, number: str) -> Response:
        shipment = self.get_object()
        form = SignOffSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        actions.record_sign_off(
            delivery_note=shipment.delivery_note,
            user=acting_user(request),
            signed_by_name=data["signed_by_name"],
            signed_at=data["signed_at"],
            received_on=data.get("received_on"),
            file=data["file"],
            remarks=data["remarks"],
            discrepancies=data.get("discrepancies") or [],
        )
        return Response(ShipmentSerializer(self.get_object()).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary="Record a discrepancy the customer reported after signing (sales)",
        request=DiscrepancyInputSerializer,
        responses={201: DiscrepancySerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def discrepancies(self, request: Request, number: str) -> Response:
        shipment = self.get_object()
        form = DiscrepancyInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        discrepancy = actions.report_discrepancy(
            delivery_note=shipment.delivery_note, user=acting_user(request), **form.validated_data
        )
        return Response(DiscrepancySerializer(discrepancy).data, status=status.HTTP_201_CREATED)


class ResolveDiscrepancyView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=TAGS,
        summary="Record how a delivery discrepancy was resolved with the customer (sales)",
        request=DiscrepancyResolveSerializer,
        responses={200: DiscrepancySerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        discrepancy = get_visible_or_404(
            Discrepancy.objects.select_related("delivery_note", "order"),
            acting_user(request),
            pk=pk,
        )
        form = DiscrepancyResolveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        resolved = actions.resolve_discrepancy(
            discrepancy=discrepancy,
            user=acting_user(request),
            resolution=form.validated_data["resolution"],
        )
        return Response(DiscrepancySerializer(resolved).data)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List the settlement requests you can see"),
    retrieve=extend_schema(
        tags=TAGS,
        summary="Read a settlement request",
        responses={200: SettlementRequestSerializer, 404: ERRORS[404]},
    ),
)
class SettlementRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[SettlementRequest]
):
    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    permission_classes = STAFF
    serializer_class = SettlementRequestSerializer
    filterset_fields = ["state"]
    ordering_fields = ["requested_at", "number"]
    ordering = ["requested_at"]

    def get_queryset(self) -> QuerySet[SettlementRequest]:
        return _settlements().for_user(acting_user(self.request))  # type: ignore[attr-defined, no-any-return]

    def get_object(self) -> SettlementRequest:
        return get_visible_or_404(  # type: ignore[no-any-return]
            _settlements(), acting_user(self.request), number=self.kwargs["number"]
        )

    @extend_schema(
        tags=TAGS,
        summary="Receive a settlement request (finance)",
        request=SettlementNoteSerializer,
        responses={200: SettlementRequestSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def receive(self, request: Request, number: str) -> Response:
        settlement = self.get_object()
        form = SettlementNoteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        actions.receive_settlement(
            settlement=settlement, user=acting_user(request), note=form.validated_data["note"]
        )
        return Response(SettlementRequestSerializer(self.get_object()).data)


router = SimpleRouter()
router.register("shipping-notices", ShippingNoticeViewSet, basename="shippingnotice")
router.register("shipments", ShipmentViewSet, basename="shipment")
router.register("settlement-requests", SettlementRequestViewSet, basename="settlementrequest")

urlpatterns = [
    path("orders/<str:number>/shipping/", OrderShippingView.as_view(), name="order-shipping"),
    path(
        "orders/<str:number>/shipping-notices/",
        OrderNoticesView.as_view(),
        name="order-shipping-notices",
    ),
    path(
        "orders/<str:number>/settlement-requests/",
        OrderSettlementsView.as_view(),
        name="order-settlement-requests",
    ),
    path(
        "discrepancies/<int:pk>/resolve/",
        ResolveDiscrepancyView.as_view(),
        name="discrepancy-resolve",
    ),
    path("", include(router.urls)),
]
