"""Purchasing (E2): suppliers, materials and their stock, bills of materials, purchase orders,
receipts and supplier incidents.

Quantities are in the material's unit; prices in CNY per material unit; lead times in working
days on the company calendar (`gendan.workdays`). The capable-to-promise engine reads
`Material.stock_on_hand`, `MaterialReservation`, open `PurchaseOrderLine`s (`expected_date`,
`open_quantity`) and supplier lead times; keep them clean.
"""

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import Role
from gendan.catalog.models import Product

if TYPE_CHECKING:
    from gendan.accounts.models import User

ZERO = Decimal("0")
POSITIVE = [MinValueValidator(Decimal("0.001"))]
NOT_NEGATIVE = [MinValueValidator(ZERO)]


class MaterialUnit(models.TextChoices):
    TON = "t", _("ton")
    KILOGRAM = "kg", _("kilogram")
    CUBIC_METRE = "m3", _("cubic metre")
    LITRE = "l", _("litre")
    PIECE = "pc", _("piece")
    ROLL = "roll", _("roll")


# --- master data ---------------------------------------------------------------------------


class Supplier(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    contact_person = models.CharField(_("contact person"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    #: Working days from placing an order to the goods arriving, unless a price row says else.
    lead_time_days = models.PositiveSmallIntegerField(
        _("lead time (working days)"), default=10, validators=[MaxValueValidator(365)]
    )
    #: 1 (poor) to 5 (excellent), kept by procurement; one of the three proposal criteria.
    rating = models.DecimalField(
        _("rating (1-5)"),
        max_digits=2,
        decimal_places=1,
        default=Decimal("3.0"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("5"))],
    )
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("purchasing:supplier", args=[self.pk])


class Material(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    specification = models.CharField(_("specification"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=8, choices=MaterialUnit.choices)
    #: Physical stock in the warehouse. Changed only by purchasing actions (receipts, issues).
    stock_on_hand = models.DecimalField(
        _("stock on hand"), max_digits=14, decimal_places=3, default=ZERO, validators=NOT_NEGATIVE
    )
    safety_stock = models.DecimalField(
        _("safety stock"), max_digits=14, decimal_places=3, default=ZERO, validators=NOT_NEGATIVE
    )
    default_supplier = models.ForeignKey(
        Supplier,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="default_for",
        verbose_name=_("default supplier"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stock_on_hand__gte=0), name="material_stock_not_negative"
            )
        ]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("purchasing:material", args=[self.pk])

    @property
    def below_safety_stock(self) -> bool:
        return self.stock_on_hand < self.safety_stock


class SupplierPrice(models.Model):
    """What a supplier charges for a material, and its lead time for it if not the usual one."""

    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="prices", verbose_name=_("supplier")
    )
    material = models.ForeignKey(
        Material,
        on_delete=models.CASCADE,
        related_name="supplier_prices",
        verbose_name=_("material"),
    )
    unit_price = models.DecimalField(
        _("unit price (CNY)"), max_digits=12, decimal_places=2, validators=NOT_NEGATIVE
    )
    lead_time_days = models.PositiveSmallIntegerField(
        _("lead time (working days)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(365)],
        help_text=_("Leave empty to use the supplier's usual lead time."),
    )
    min_order_quantity = models.DecimalField(
        _("minimum order quantity"),
        max_digits=14,
        decimal_places=3,
        default=ZERO,
        validators=NOT_NEGATIVE,
    )

    class Meta:
        ordering = ["material", "unit_price"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "material"], name="supplier_price_once")
        ]
        verbose_name = _("supplier price")
        verbose_name_plural = _("supplier prices")

    def __str__(self) -> str:
        return f"{self.supplier.code} {self.material.code} ¥{self.unit_price}"

    @property
    def effective_lead_time_days(self) -> int:
        if self.lead_time_days is not None:
            return self.lead_time_days
        return self.supplier.lead_time_days


class BOMLine(models.Model):
    """One material of a product's bill of materials, per unit of the product (e.g. per ton)."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="bom_lines", verbose_name=_("product")
    )
    material = models.ForeignKey(
        Material, on_delete=models.PROTECT, related_name="bom_usages", verbose_name=_("material")
    )
    quantity_per_unit = models.DecimalField(
        _("quantity per product unit"), max_digits=12, decimal_places=4, validators=POSITIVE
    )
    #: Expected loss as a fraction: 0.05 means 5 % more material than the net quantity.
    scrap_factor = models.DecimalField(
        _("scrap factor"),
        max_digits=5,
        decimal_places=4,
        default=ZERO,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("1"))],
        help_text=_("Expected loss as a fraction, e.g. 0.05 for 5 %."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["product", "material"]
        constraints = [
            models.UniqueConstraint(fields=["product", "material"], name="bom_material_once")
        ]
        verbose_name = _("bill of materials line")
        verbose_name_plural = _("bill of materials lines")

    def __str__(self) -> str:
        return f"{self.product.code}: {self.material.code} x {self.quantity_per_unit}"

    def requirement(self, product_quantity: Decimal) -> Decimal:
        """Gross material need for `product_quantity` units of the product, scrap included."""
        return product_quantity * self.quantity_per_unit * (1 + self.scrap_factor)


# --- stock secured for orders --------------------------------------------------------------


class MaterialReservation(models.Model):
    """Stock set aside for one customer order: taken from free stock when the order's purchase
    plan is committed, and increased by receipts of the order's own purchase orders. Counts
    while the order is open (not closed, rejected or cancelled); issues to production reduce it.
    """

    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="reservations")
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, related_name="material_reservations"
    )
    quantity = models.DecimalField(
        _("reserved quantity"), max_digits=14, decimal_places=3, default=ZERO
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["material", "order"], name="reservation_once"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="reservation_not_negative"),
        ]
        verbose_name = _("material reservation")
        verbose_name_plural = _("material reservations")

    def __str__(self) -> str:
        return f"{self.material.code} for {self.order_id}: {self.quantity}"


# --- purchase orders -----------------------------------------------------------------------


#: Departments whose reviewers and head see every purchase order, receipt and supplier
#: incident: procurement buys, the warehouse (logistics) takes in the goods of any purchase
#: order, quality inspects them. They see the purchasing records, not the customer orders.
INCOMING_GOODS_DEPARTMENTS = frozenset({"procurement", "logistics", "quality"})


def works_on_incoming_goods(user: "User") -> bool:
    return user.role in (Role.REVIEWER, Role.HEAD) and bool(
        user.department_codes() & INCOMING_GOODS_DEPARTMENTS
    )


class OrderScopedQuerySet[M: models.Model](models.QuerySet[M]):
    """Purchasing records of a customer order: visible to whoever sees that order (P3) and to
    the incoming-goods departments (`INCOMING_GOODS_DEPARTMENTS`)."""

    order_path = "order"

    def for_user(self, user: "User") -> Self:
        from gendan.orders.models import Order

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all or works_on_incoming_goods(user):
            return self
        return self.filter(**{f"{self.order_path}__in": Order.objects.for_user(user)})


class PurchaseOrderStatus(models.TextChoices):
    OPEN = "open", _("Placed")
    PARTIAL = "partial", _("Partly received")
    RECEIVED = "received", _("Received")
    CANCELLED = "cancelled", _("Cancelled")


PURCHASE_ORDER_COLOURS: dict[str, str] = {
    PurchaseOrderStatus.OPEN: "blue",
    PurchaseOrderStatus.PARTIAL: "amber",
    PurchaseOrderStatus.RECEIVED: "green",
    PurchaseOrderStatus.CANCELLED: "dark",
}
OPEN_PURCHASE_STATUSES = frozenset({PurchaseOrderStatus.OPEN, PurchaseOrderStatus.PARTIAL})


class PurchaseOrderQuerySet(OrderScopedQuerySet["PurchaseOrder"]):
    def open(self) -> "PurchaseOrderQuerySet":
        return self.filter(status__in=OPEN_PURCHASE_STATUSES)


class PurchaseOrder(models.Model):
    number = models.CharField(_("purchase order number"), max_length=40, unique=True)
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="purchase_orders",
        verbose_name=_("customer order"),
    )
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="purchase_orders")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PurchaseOrderStatus.choices,
        default=PurchaseOrderStatus.OPEN,
    )
    order_date = models.DateField(_("order date"))
    #: The latest expected date of the lines (kept by the actions).
    expected_date = models.DateField(_("expected date"))
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("buyer"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects: ClassVar[PurchaseOrderQuerySet] = PurchaseOrderQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-order_date", "-id"]
        indexes = [
            models.Index(fields=["order", "status"], name="po_order_status"),
            models.Index(fields=["supplier", "status"], name="po_supplier_status"),
        ]
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("purchasing:purchase_order", args=[self.number])

    @property
    def status_colour(self) -> str:
        return PURCHASE_ORDER_COLOURS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PURCHASE_STATUSES


class PurchaseOrderLineQuerySet(OrderScopedQuerySet["PurchaseOrderLine"]):
    order_path = "purchase_order__order"

    def open(self) -> "PurchaseOrderLineQuerySet":
        """Lines still waiting for goods: some quantity neither received nor cancelled."""
        return self.filter(
            purchase_order__status__in=OPEN_PURCHASE_STATUSES,
            quantity__gt=F("received_quantity") + F("cancelled_quantity"),
        )

    def late(self, today: dt.date | None = None) -> "PurchaseOrderLineQuerySet":
        """Open lines whose expected date has passed (E2, E9)."""
        return self.open().filter(expected_date__lt=today or timezone.localdate())


class PurchaseOrderLine(models.Model):
    purchase_order = models.ForeignKey(
        PurchaseOrder, on_delete=models.CASCADE, related_name="lines"
    )
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="po_lines")
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=3, validators=POSITIVE
    )
    unit_price = models.DecimalField(
        _("unit price (CNY)"), max_digits=12, decimal_places=2, validators=NOT_NEGATIVE
    )
    #: The date the supplier first promised; the on-time rate is measured against it.
    promised_date = models.DateField(_("promised date"))
    #: The date the goods are now expected (moved when a supplier announces a delay).
    expected_date = models.DateField(_("expected date"))
    received_quantity = models.DecimalField(
        _("received"), max_digits=14, decimal_places=3, default=ZERO
    )
    cancelled_quantity = models.DecimalField(
        _("cancelled"), max_digits=14, decimal_places=3, default=ZERO
    )
    #: The day the last missing quantity arrived (None while anything is open).
    completed_on = models.DateField(_("received in full on"), null=True, blank=True)
    #: The expected date the line was last reported late for, so it is reported once per date.
    late_reported_for = models.DateField(null=True, blank=True, editable=False)

    objects: ClassVar[PurchaseOrderLineQuerySet] = PurchaseOrderLineQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["purchase_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_quantity__gte=0) & Q(cancelled_quantity__gte=0),
                name="po_line_quantities_not_negative",
            )
        ]
        indexes = [models.Index(fields=["expected_date"], name="po_line_expected")]
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")

    def __str__(self) -> str:
        return f"{self.purchase_order.number} {self.material.code}"

    @property
    def open_quantity(self) -> Decimal:
        return max(self.quantity - self.received_quantity - self.cancelled_quantity, ZERO)

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))

    def is_late(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.purchase_order.status in OPEN_PURCHASE_STATUSES
            and self.open_quantity > 0
            and self.expected_date < today
        )


class ReceiptQuerySet(OrderScopedQuerySet["Receipt"]):
    order_path = "line__purchase_order__order"


class Receipt(models.Model):
    """Goods arrived against a purchase order line; several receipts make a partial delivery.

    Incoming inspections (E4) hang off a receipt.
    """

    line = models.ForeignKey(PurchaseOrderLine, on_delete=models.PROTECT, related_name="receipts")
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=3, validators=POSITIVE
    )
    received_on = models.DateField(_("received on"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    delivery_note = models.CharField(_("supplier's delivery note"), max_length=80, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[ReceiptQuerySet] = ReceiptQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return f"{self.line} +{self.quantity} ({self.received_on})"


# --- supplier incidents --------------------------------------------------------------------


class IncidentKind(models.TextChoices):
    DELAY = "delay", _("Late delivery")
    QUALITY = "quality", _("Quality problem")
    QUANTITY = "quantity", _("Short or wrong delivery")
    OTHER = "other", _("Other")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ESCALATED = "escalated", _("Escalated")
    RESOLVED = "resolved", _("Resolved")


INCIDENT_COLOURS: dict[str, str] = {
    IncidentStatus.OPEN: "amber",
    IncidentStatus.ESCALATED: "red",
    IncidentStatus.RESOLVED: "green",
}


class SupplierIncidentQuerySet(OrderScopedQuerySet["SupplierIncident"]):
    """Incidents on an order follow the order's visibility; the incoming-goods departments see
    them all, including those on no order."""

    def unresolved(self) -> "SupplierIncidentQuerySet":
        return self.exclude(status=IncidentStatus.RESOLVED)


class SupplierIncident(models.Model):
    """A supplier delay or quality problem, with its handling and escalation (E2)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="incidents")
    purchase_order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.PROTECT,
        related_name="incidents",
        null=True,
        blank=True,
        verbose_name=_("purchase order"),
    )
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="supplier_incidents",
        null=True,
        blank=True,
        verbose_name=_("customer order"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=IncidentKind.choices)
    description = models.TextField(_("what happened"))
    handling = models.TextField(_("handling"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    escalation_task = models.ForeignKey(
        "tasks.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    objects: ClassVar[SupplierIncidentQuerySet] = SupplierIncidentQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["supplier", "-reported_at"], name="incident_supplier")]
        verbose_name = _("supplier incident")
        verbose_name_plural = _("supplier incidents")

    def __str__(self) -> str:
        return f"{self.supplier.code} {self.get_kind_display()} ({self.reported_at:%Y-%m-%d})"

    @property
    def status_colour(self) -> str:
        return INCIDENT_COLOURS[self.status]
