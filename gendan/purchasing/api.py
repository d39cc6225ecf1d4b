"""REST endpoints of purchasing (E2), under /api/v1/.

Master data (suppliers, materials, supplier prices, bills of materials) is plain CRUD through
serializers with a ledger entry per change; purchase orders, receipts and incidents change
only through the actions the pages call, so rules and field-level errors are the same
everywhere. Reads go through the one access door (`for_user`, 404 for the invisible).
"""

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.urls import include, path
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from gendan.api.filters import StableOrderingFilter
from gendan.api.permissions import STAFF, acting_user
from gendan.api.serializers.common import UserRefSerializer
from gendan.api.views.masterdata import MasterDataViewSet
from gendan.api.views.orders import ERRORS, visible_order
from gendan.core.access import get_visible_or_404
from gendan.ledger.models import Kind
from gendan.ledger.record import record
from gendan.orders.models import Order
from gendan.purchasing import actions, permissions
from gendan.purchasing.models import (
    BOMLine,
    IncidentKind,
    Material,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    Receipt,
    Supplier,
    SupplierIncident,
    SupplierPrice,
)
from gendan.purchasing.planning import PlanLine, purchase_plan, reserved_quantities
from gendan.purchasing.selectors import late_lines, supplier_on_time_rate

TAGS = ["purchasing"]


# --- permissions ---------------------------------------------------------------------------


class PurchasingEditors(BasePermission):
    message = _("Only procurement and administrators may change suppliers, materials and prices.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS or permissions.can_edit_purchasing_master_data(
            request.user  # type: ignore[arg-type]
        )


class BOMEditors(BasePermission):
    message = _(
        "Only the technical department, the procurement head and administrators may "
        "change bills of materials."
    )

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS or permissions.can_edit_bom(request.user)  # type: ignore[arg-type]


class DeletableMasterDataViewSet(mixins.DestroyModelMixin, MasterDataViewSet):
    """Master data rows nothing else refers to (prices, BOM lines) may be deleted; the ledger
    keeps what was removed."""

    def perform_destroy(self, instance: Any) -> None:
        with transaction.atomic():
            record(
                subject=instance,
                kind=Kind.CHANGED,
                actor=acting_user(self.request),
                summary=_("%(what)s “%(name)s” deleted")
                % {"what": instance._meta.verbose_name, "name": instance},
            )
            instance.delete()


# --- master data ---------------------------------------------------------------------------


class SupplierSerializer(serializers.ModelSerializer[Supplier]):
    class Meta:
        model = Supplier
        fields = [
            "id",
            "code",
            "name",
            "contact_person",
            "phone",
            "email",
            "address",
            "lead_time_days",
            "rating",
            "is_active",
            "notes",
        ]
        read_only_fields = ["id"]


class OnTimeSerializer(serializers.Serializer[Any]):
    on_time = serializers.IntegerField()
    due = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)


class SupplierDetailSerializer(SupplierSerializer):
    on_time_rate = serializers.SerializerMethodField(
        help_text="Share of due purchase order lines received in full by the promised date."
    )

    class Meta(SupplierSerializer.Meta):
        fields = [*SupplierSerializer.Meta.fields, "on_time_rate"]

    def get_on_time_rate(self, supplier: Supplier) -> dict[str, Any]:
        rate = supplier_on_time_rate(supplier)
        return {"on_time": rate.on_time, "due": rate.due, "rate": rate.rate}


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List suppliers"),
    retrieve=extend_schema(tags=TAGS, summary="Read a supplier with its on-time rate"),
    create=extend_schema(tags=TAGS, summary="Add a supplier"),
    update=extend_schema(tags=TAGS, summary="Replace a supplier"),
    partial_update=extend_schema(tags=TAGS, summary="Change a supplier"),
)
class SupplierViewSet(MasterDataViewSet):
    queryset = Supplier.objects.all()
    permission_classes = [*STAFF, PurchasingEditors]
    filterset_fields = ["is_active"]
    search_fields = ["code", "name", "contact_person"]
    ordering_fields = ["code", "name", "rating", "lead_time_days"]
    ordering = ["code"]

    def get_serializer_class(self) -> Any:
        return SupplierDetailSerializer if self.action == "retrieve" else SupplierSerializer


class MaterialSerializer(serializers.ModelSerializer[Material]):
    stock_on_hand = serializers.DecimalField(
        max_digits=14,
        decimal_places=3,
        min_value=0,
        required=False,
        help_text="Opening stock when the material is created; afterwards receipts, issues "
        "and stock corrections change it.",
    )

    class Meta:
        model = Material
        fields = [
            "id",
            "code",
            "name",
            "specification",
            "unit",
            "stock_on_hand",
            "safety_stock",
            "default_supplier",
            "is_active",
        ]
        read_only_fields = ["id"]

    def update(self, instance: Material, validated_data: dict[str, Any]) -> Material:
        validated_data.pop("stock_on_hand", None)
        return super().update(instance, validated_data)


class MaterialDetailSerializer(MaterialSerializer):
    reserved = serializers.SerializerMethodField(help_text="Reserved for open orders.")
    free = serializers.SerializerMethodField(help_text="Stock on hand not reserved.")

    class Meta(MaterialSerializer.Meta):
        fields = [*MaterialSerializer.Meta.fields, "reserved", "free"]

    def get_reserved(self, material: Material) -> str:
        return str(reserved_quantities([material.pk]).get(material.pk, 0))

    def get_free(self, material: Material) -> str:
        reserved = reserved_quantities([material.pk]).get(material.pk, 0)
        return str(max(material.stock_on_hand - reserved, 0))


class AdjustStockSerializer(serializers.Serializer[Any]):
    counted = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)
    reason = serializers.CharField()


class IssueSerializer(serializers.Serializer[Any]):
    order = serializers.CharField(help_text="Number of the customer order.")
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    note = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List materials with stock on hand"),
    retrieve=extend_schema(tags=TAGS, summary="Read a material with reserved and free stock"),
    create=extend_schema(tags=TAGS, summary="Add a material (with its opening stock)"),
    update=extend_schema(tags=TAGS, summary="Replace a material (stock is not changed here)"),
    partial_update=extend_schema(tags=TAGS, summary="Change a material"),
)
class MaterialViewSet(MasterDataViewSet):
    queryset = Material.objects.all()
    permission_classes = [*STAFF, PurchasingEditors]
    filterset_fields = ["is_active", "unit", "default_supplier"]
    search_fields = ["code", "name", "specification"]
    ordering_fields = ["code", "name", "stock_on_hand"]
    ordering = ["code"]

    def get_serializer_class(self) -> Any:
        return MaterialDetailSerializer if self.action == "retrieve" else MaterialSerializer

    @extend_schema(
        tags=TAGS,
        summary="Correct the stock on hand to a counted quantity",
        request=AdjustStockSerializer,
        responses={200: MaterialDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="adjust-stock")
    def adjust_stock(self, request: Request, pk: str) -> Response:
        form = AdjustStockSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        material = actions.adjust_stock(
            material=self.get_object(), user=acting_user(request), **form.validated_data
        )
        return Response(MaterialDetailSerializer(material).data)

    @extend_schema(
        tags=TAGS,
        summary="Issue material to production for an order",
        request=IssueSerializer,
        responses={200: MaterialDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: str) -> Response:
        form = IssueSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        order = visible_order(request, form.validated_data["order"])
        material = actions.issue_material(
            order=order,
            material=self.get_object(),
            user=acting_user(request),
            quantity=form.validated_data["quantity"],
            note=form.validated_data["note"],
        )
        return Response(MaterialDetailSerializer(material).data)


class SupplierPriceSerializer(serializers.ModelSerializer[SupplierPrice]):
    effective_lead_time_days = serializers.IntegerField(read_only=True)

    class Meta:
        model = SupplierPrice
        fields = [
            "id",
            "supplier",
            "material",
            "unit_price",
            "lead_time_days",
            "effective_lead_time_days",
            "min_order_quantity",
        ]
        read_only_fields = ["id"]


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List supplier prices"),
    retrieve=extend_schema(tags=TAGS, summary="Read a supplier price"),
    create=extend_schema(tags=TAGS, summary="Add a supplier price"),
    update=extend_schema(tags=TAGS, summary="Replace a supplier price"),
    partial_update=extend_schema(tags=TAGS, summary="Change a supplier price"),
    destroy=extend_schema(tags=TAGS, summary="Remove a supplier price"),
)
class SupplierPriceViewSet(DeletableMasterDataViewSet):
    queryset = SupplierPrice.objects.select_related("supplier")
    serializer_class = SupplierPriceSerializer
    permission_classes = [*STAFF, PurchasingEditors]
    filterset_fields = ["supplier", "material"]
    ordering_fields = ["unit_price"]
    ordering = ["material", "unit_price"]


class BOMLineSerializer(serializers.ModelSerializer[BOMLine]):
    class Meta:
        model = BOMLine
        fields = ["id", "product", "material", "quantity_per_unit", "scrap_factor", "note"]
        read_only_fields = ["id"]


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List bill-of-materials lines (filter by product)"),
    retrieve=extend_schema(tags=TAGS, summary="Read a bill-of-materials line"),
    create=extend_schema(tags=TAGS, summary="Add a material to a product's bill of materials"),
    update=extend_schema(tags=TAGS, summary="Replace a bill-of-materials line"),
    partial_update=extend_schema(tags=TAGS, summary="Change a bill-of-materials line"),
    destroy=extend_schema(tags=TAGS, summary="Remove a material from a bill of materials"),
)
class BOMLineViewSet(DeletableMasterDataViewSet):
    queryset = BOMLine.objects.all()
    serializer_class = BOMLineSerializer
    permission_classes = [*STAFF, BOMEditors]
    filterset_fields = ["product", "material"]
    ordering = ["product", "material"]


# --- purchase orders -----------------------------------------------------------------------


class ReceiptSerializer(serializers.ModelSerializer[Receipt]):
    received_by = UserRefSerializer(read_only=True)

    class Meta:
        model = Receipt
        fields = [
            "id",
            "quantity",
            "received_on",
            "received_by",
            "delivery_note",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class PurchaseOrderLineSerializer(serializers.ModelSerializer[PurchaseOrderLine]):
    material_code = serializers.CharField(source="material.code", read_only=True)
    material_name = serializers.CharField(source="material.name", read_only=True)
    unit = serializers.CharField(source="material.unit", read_only=True)
    open_quantity = serializers.DecimalField(max_digits=14, decimal_places=3, read_only=True)
    receipts = ReceiptSerializer(many=True, read_only=True)

    class Meta:
        model = PurchaseOrderLine
        fields = [
            "id",
            "material",
            "material_code",
            "material_name",
            "unit",
            "quantity",
            "unit_price",
            "promised_date",
            "expected_date",
            "received_quantity",
            "cancelled_quantity",
            "open_quantity",
            "completed_on",
            "receipts",
        ]
        read_only_fields = fields


class PurchaseOrderSerializer(serializers.ModelSerializer[PurchaseOrder]):
    order = serializers.SlugRelatedField(slug_field="number", read_only=True)  # type: ignore[var-annotated]
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    buyer = UserRefSerializer(read_only=True)
    lines = PurchaseOrderLineSerializer(many=True, read_only=True)

    class Meta:
        model = PurchaseOrder
        fields = [
            "number",
            "order",
            "supplier",
            "supplier_name",
            "status",
            "status_label",
            "order_date",
            "expected_date",
            "buyer",
            "notes",
            "created_at",
            "lines",
        ]
        read_only_fields = fields


class PurchaseReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField()


class ReceiveSerializer(serializers.Serializer[Any]):
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    received_on = serializers.DateField(required=False)
    delivery_note = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ExpectedDateSerializer(serializers.Serializer[Any]):
    expected_date = serializers.DateField()
    reason = serializers.CharField()


class PurchaseOrderFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=PurchaseOrderStatus.choices)
    order = filters.CharFilter(field_name="order__number", help_text="Customer order number.")
    late = filters.BooleanFilter(
        method="filter_late", help_text="true: with an open line past its expected date."
    )

    class Meta:
        model = PurchaseOrder
        fields = ["status", "supplier", "order"]

    def filter_late(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        late = late_lines().values("purchase_order")
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)


def _purchase_orders() -> QuerySet[PurchaseOrder]:
    return PurchaseOrder.objects.select_related("order", "supplier", "buyer").prefetch_related(
        Prefetch(
            "lines",
            PurchaseOrderLine.objects.select_related("material").prefetch_related(
                Prefetch("receipts", Receipt.objects.select_related("received_by"))
            ),
        )
    )


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List the purchase orders you can see"),
    retrieve=extend_schema(tags=TAGS, summary="Read a purchase order with lines and receipts"),
)
class PurchaseOrderViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[PurchaseOrder]
):
    """Purchase orders are created from the purchase plan (`orders/{number}/purchase-plan/`)."""

    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    serializer_class = PurchaseOrderSerializer
    permission_classes = STAFF
    filter_backends = [filters.DjangoFilterBackend, StableOrderingFilter]
    filterset_class = PurchaseOrderFilter
    ordering_fields = ["order_date", "expected_date", "number"]
    ordering = ["-order_date"]

    def get_queryset(self) -> QuerySet[PurchaseOrder]:
        return _purchase_orders().for_user(acting_user(self.request))  # type: ignore[attr-defined, no-any-return]

    def get_object(self) -> PurchaseOrder:
        return get_visible_or_404(
            _purchase_orders(), acting_user(self.request), number=self.kwargs["number"]
        )

    def _line(self, po: PurchaseOrder, line_id: str) -> PurchaseOrderLine:
        for line in po.lines.all():
            if str(line.pk) == str(line_id):
                return line
        raise NotFound()

    def _answer(self, po: PurchaseOrder, code: int = status.HTTP_200_OK) -> Response:
        fresh = _purchase_orders().get(pk=po.pk)
        return Response(PurchaseOrderSerializer(fresh).data, status=code)

    @extend_schema(
        tags=TAGS,
        summary="Record goods received on a line (partial receipts too)",
        request=ReceiveSerializer,
        responses={201: PurchaseOrderSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"lines/(?P<line_id>\d+)/receive")
    def receive(self, request: Request, number: str, line_id: str) -> Response:
        po = self.get_object()
        form = ReceiveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        actions.receive(
            line=self._line(po, line_id), user=acting_user(request), **form.validated_data
        )
        return self._answer(po, status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary="Move a line's expected date (supplier's new date)",
        request=ExpectedDateSerializer,
        responses={200: PurchaseOrderSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"lines/(?P<line_id>\d+)/expected-date")
    def expected_date(self, request: Request, number: str, line_id: str) -> Response:
        po = self.get_object()
        form = ExpectedDateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        actions.change_expected_date(
            line=self._line(po, line_id), user=acting_user(request), **form.validated_data
        )
        return self._answer(po)

    @extend_schema(
        tags=TAGS,
        summary="Cancel what is still open on a purchase order",
        request=PurchaseReasonSerializer,
        responses={200: PurchaseOrderSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, number: str) -> Response:
        po = self.get_object()
        form = PurchaseReasonSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        actions.cancel_purchase_order(
            purchase_order=po, user=acting_user(request), reason=form.validated_data["reason"]
        )
        return self._answer(po)


class LateLineSerializer(PurchaseOrderLineSerializer):
    purchase_order = serializers.CharField(source="purchase_order.number", read_only=True)
    supplier_name = serializers.CharField(source="purchase_order.supplier.name", read_only=True)
    order = serializers.CharField(source="purchase_order.order.number", read_only=True)

    class Meta(PurchaseOrderLineSerializer.Meta):
        fields = [
            "id",
            "purchase_order",
            "supplier_name",
            "order",
            "material_code",
            "material_name",
            "unit",
            "open_quantity",
            "promised_date",
            "expected_date",
        ]
        read_only_fields = fields


class LateLinesView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=TAGS,
        summary="Open purchase order lines past their expected date",
        responses={200: LateLineSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        visible = PurchaseOrder.objects.for_user(acting_user(request))
        lines = late_lines().filter(purchase_order__in=visible)
        return Response(LateLineSerializer(lines, many=True).data)


# --- the purchase plan ---------------------------------------------------------------------


class CandidateSerializer(serializers.Serializer[Any]):
    supplier = serializers.IntegerField()
    supplier_code = serializers.CharField()
    supplier_name = serializers.CharField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    lead_time_days = serializers.IntegerField()
    arrival = serializers.DateField()
    in_time = serializers.BooleanField()
    score = serializers.DecimalField(max_digits=6, decimal_places=4)


class PlanLineSerializer(serializers.Serializer[Any]):
    material = serializers.IntegerField(source="material.pk")
    material_code = serializers.CharField(source="material.code")
    unit = serializers.CharField(source="material.unit")
    gross = serializers.DecimalField(max_digits=14, decimal_places=3)
    reserved = serializers.DecimalField(max_digits=14, decimal_places=3)
    on_order = serializers.DecimalField(max_digits=14, decimal_places=3)
    free_stock = serializers.DecimalField(max_digits=14, decimal_places=3)
    from_stock = serializers.DecimalField(max_digits=14, decimal_places=3)
    to_buy = serializers.DecimalField(max_digits=14, decimal_places=3)
    order_quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    candidates = serializers.SerializerMethodField()

    @extend_schema_field(CandidateSerializer(many=True))
    def get_candidates(self, line: PlanLine) -> list[dict[str, object]]:
        return [c.as_dict() for c in line.candidates]


class PurchasePlanSerializer(serializers.Serializer[Any]):
    order = serializers.CharField(source="order.number")
    need_by = serializers.DateField()
    lines = PlanLineSerializer(many=True)
    products_without_bom = serializers.SerializerMethodField()
    total_amount = serializers.DecimalField(max_digits=16, decimal_places=2)

    def get_products_without_bom(self, plan: Any) -> list[str]:
        return [p.code for p in plan.products_without_bom]


class CommitPlanSerializer(serializers.Serializer[Any]):
    suppliers = serializers.DictField(
        child=serializers.IntegerField(),
        required=False,
        default=dict,
        help_text="Material id → supplier id, where the buyer chooses another supplier than "
        "the proposed one.",
    )

    def validate_suppliers(self, value: dict[str, int]) -> dict[int, Supplier]:
        chosen = {}
        for material_id, supplier_id in value.items():
            supplier = Supplier.objects.filter(pk=supplier_id, is_active=True).first()
            if not str(material_id).isdigit() or supplier is None:
                raise serializers.ValidationError(
                    _("Unknown material or supplier: %(material)s → %(supplier)s")
                    % {"material": material_id, "supplier": supplier_id}
                )
            chosen[int(material_id)] = supplier
        return chosen


class PurchasePlanView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=TAGS,
        summary="The order's purchase plan (BOM - stock - on order)",
        responses={200: PurchasePlanSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, number: str) -> Response:
        order: Order = visible_order(request, number)
        return Response(PurchasePlanSerializer(purchase_plan(order)).data)

    @extend_schema(
        tags=TAGS,
        summary="Commit the plan: reserve stock, place purchase orders",
        request=CommitPlanSerializer,
        responses={201: PurchaseOrderSerializer(many=True), **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        order: Order = visible_order(request, number)
        form = CommitPlanSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        placed = actions.create_purchase_orders(
            order=order,
            user=acting_user(request),
            supplier_overrides=form.validated_data["suppliers"],
        )
        fresh = _purchase_orders().filter(pk__in=[po.pk for po in placed])
        return Response(
            PurchaseOrderSerializer(fresh, many=True).data, status=status.HTTP_201_CREATED
        )


# --- supplier incidents --------------------------------------------------------------------


class IncidentSerializer(serializers.ModelSerializer[SupplierIncident]):
    purchase_order = serializers.SlugRelatedField(slug_field="number", read_only=True)  # type: ignore[var-annotated]
    order = serializers.SlugRelatedField(slug_field="number", read_only=True)  # type: ignore[var-annotated]
    reported_by = UserRefSerializer(read_only=True)
    resolved_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = SupplierIncident
        fields = [
            "id",
            "supplier",
            "purchase_order",
            "order",
            "kind",
            "description",
            "handling",
            "status",
            "reported_by",
            "reported_at",
            "escalation_task",
            "escalated_at",
            "resolved_by",
            "resolved_at",
        ]
        read_only_fields = fields


class ReportIncidentSerializer(serializers.Serializer[Any]):
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())
    purchase_order = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Purchase order number, if any."
    )
    kind = serializers.ChoiceField(choices=IncidentKind.choices)
    description = serializers.CharField()


class HandleIncidentSerializer(serializers.Serializer[Any]):
    handling = serializers.CharField()
    resolve = serializers.BooleanField(required=False, default=False)


class EscalateSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List supplier incidents you can see"),
    retrieve=extend_schema(tags=TAGS, summary="Read a supplier incident"),
)
class SupplierIncidentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[SupplierIncident]
):
    serializer_class = IncidentSerializer
    permission_classes = STAFF
    filter_backends = [filters.DjangoFilterBackend, StableOrderingFilter]
    filterset_fields = ["supplier", "kind", "status"]
    ordering = ["-reported_at"]

    def _incidents(self) -> QuerySet[SupplierIncident]:
        return SupplierIncident.objects.select_related(
            "purchase_order", "order", "reported_by", "resolved_by"
        )

    def get_queryset(self) -> QuerySet[SupplierIncident]:
        return self._incidents().for_user(acting_user(self.request))  # type: ignore[attr-defined, no-any-return]

    def get_object(self) -> SupplierIncident:
        pk = str(self.kwargs["pk"])
        if not pk.isdigit():
            raise NotFound()
        return get_visible_or_404(self._incidents(), acting_user(self.request), pk=int(pk))

    @extend_schema(
        tags=TAGS,
        summary="Report a supplier delay or quality problem",
        request=ReportIncidentSerializer,
        responses={201: IncidentSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        form = ReportIncidentSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        po = None
        if data["purchase_order"]:
            po = get_visible_or_404(
                PurchaseOrder.objects, acting_user(request), number=data["purchase_order"]
            )
        incident = actions.report_supplier_incident(
            supplier=data["supplier"],
            user=acting_user(request),
            kind=data["kind"],
            description=data["description"],
            purchase_order=po,
        )
        return Response(IncidentSerializer(incident).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary="Record the handling (and resolve)",
        request=HandleIncidentSerializer,
        responses={200: IncidentSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def handle(self, request: Request, pk: str) -> Response:
        form = HandleIncidentSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        incident = actions.handle_incident(
            incident=self.get_object(), user=acting_user(request), **form.validated_data
        )
        return Response(IncidentSerializer(incident).data)

    @extend_schema(
        tags=TAGS,
        summary="Escalate to the procurement head (opens a task)",
        request=EscalateSerializer,
        responses={200: IncidentSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: str) -> Response:
        form = EscalateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        incident = actions.escalate_incident(
            incident=self.get_object(), user=acting_user(request), **form.validated_data
        )
        return Response(IncidentSerializer(incident).data)


router = SimpleRouter()
router.register("suppliers", SupplierViewSet, basename="supplier")
router.register("materials", MaterialViewSet, basename="material")
router.register("supplier-prices", SupplierPriceViewSet, basename="supplierprice")
router.register("bom-lines", BOMLineViewSet, basename="bomline")
router.register("purchase-orders", PurchaseOrderViewSet, basename="purchaseorder")
router.register("supplier-incidents", SupplierIncidentViewSet, basename="supplierincident")

urlpatterns = [
    path(
        "orders/<str:number>/purchase-plan/", PurchasePlanView.as_view(), name="order-purchase-plan"
    ),
    path("late-purchase-lines/", LateLinesView.as_view(), name="late-purchase-lines"),
    path("", include(router.urls)),
]
