"""Shipping (E6) and delivery (E7): what sales asks logistics to ship (发货通知单), what left the
mill (shipment, with its certificate of conformity 合格证), the delivery note (送货单) the
customer signs, discrepancies found at delivery, and the settlement request to finance.

One shipment per shipping notice: the notice is the instruction, the shipment is what was
loaded against it. Shipping less than a notice asks for is allowed (with a note); the rest
needs a new notice. An order's lines are shipped in as many notices as needed (partial
shipments); the order moves to "shipped" only when every line is shipped (`guards`).

Every record follows its customer order: whoever sees the order sees them (P3).
"""

from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, Self

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from gendan.accounts.models import User

ZERO = Decimal("0")
POSITIVE = [MinValueValidator(Decimal("0.001"))]


class OrderScopedQuerySet[M: models.Model](models.QuerySet[M]):
    """Visible to whoever sees the customer order (P3)."""

    def for_user(self, user: "User") -> Self:
        from gendan.orders.models import Order

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all:
            return self
        return self.filter(order__in=Order.objects.for_user(user).values("pk"))


# --- the shipping notice (发货通知单) --------------------------------------------------------


class NoticeState(models.TextChoices):
    OPEN = "open", _("Waiting to ship")
    SHIPPED = "shipped", _("Shipped")
    CANCELLED = "cancelled", _("Cancelled")


NOTICE_COLOURS: dict[str, str] = {
    NoticeState.OPEN: "amber",
    NoticeState.SHIPPED: "green",
    NoticeState.CANCELLED: "dark",
}


class ShippingNotice(models.Model):
    """发货通知单: sales tells logistics what to ship, when and where (E6)."""

    number = models.CharField(_("notice number"), max_length=40, unique=True)
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="shipping_notices",
        verbose_name=_("customer order"),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=NoticeState.choices, default=NoticeState.OPEN
    )
    ship_on = models.DateField(_("ship on"))
    delivery_place = models.CharField(_("delivery place"), max_length=300)
    consignee = models.CharField(
        _("consignee"), max_length=200, blank=True, help_text=_("Who receives the goods, phone.")
    )
    notes = models.TextField(_("notes"), blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    #: Logistics' task to ship it.
    task = models.ForeignKey(
        "tasks.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    objects: ClassVar["OrderScopedQuerySet[ShippingNotice]"] = OrderScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["state", "ship_on"], name="notice_state_ship_on")]
        verbose_name = _("shipping notice")
        verbose_name_plural = _("shipping notices")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("shipping:notice", args=[self.number])

    @property
    def state_colour(self) -> str:
        return NOTICE_COLOURS[self.state]


class NoticeLine(models.Model):
    notice = models.ForeignKey(ShippingNotice, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        "orders.OrderLine", on_delete=models.PROTECT, related_name="+", verbose_name=_("line")
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=3, validators=POSITIVE
    )

    class Meta:
        ordering = ["notice", "order_line__position"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "order_line"], name="notice_line_once")
        ]
        verbose_name = _("notice line")
        verbose_name_plural = _("notice lines")

    def __str__(self) -> str:
        return f"{self.notice.number}/{self.order_line.position}"


# --- the shipment ----------------------------------------------------------------------------


class Shipment(models.Model):
    """Goods that left the mill against one shipping notice (E6)."""

    number = models.CharField(_("shipment number"), max_length=40, unique=True)
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="shipments",
        verbose_name=_("customer order"),
    )
    notice = models.OneToOneField(ShippingNotice, on_delete=models.PROTECT, related_name="shipment")
    carrier = models.CharField(_("carrier"), max_length=120)
    vehicle = models.CharField(_("vehicle"), max_length=60, help_text=_("Plate number."))
    driver = models.CharField(_("driver"), max_length=120, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=80, blank=True)
    packaging = models.CharField(_("packaging"), max_length=200)
    packages = models.PositiveIntegerField(_("packages"), default=0)
    #: Documents that travel with the goods besides the certificate and the delivery note.
    documents = models.CharField(
        _("accompanying documents"), max_length=300, blank=True, help_text=_("E.g. manual.")
    )
    shipped_at = models.DateTimeField(_("shipped"), default=timezone.now)
    #: What differs from the notice and why (required when a quantity differs).
    check_note = models.TextField(_("check against the notice"), blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    certificate = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("certificate of conformity"),
    )

    objects: ClassVar["OrderScopedQuerySet[Shipment]"] = OrderScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-shipped_at", "-id"]
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("shipping:shipment", args=[self.number])


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        "orders.OrderLine",
        on_delete=models.PROTECT,
        related_name="shipment_lines",
        verbose_name=_("line"),
    )
    #: What the notice asked for on this line, kept for the check.
    noticed_quantity = models.DecimalField(
        _("quantity on the notice"), max_digits=14, decimal_places=3
    )
    quantity = models.DecimalField(_("quantity shipped"), max_digits=14, decimal_places=3)

    class Meta:
        ordering = ["shipment", "order_line__position"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "order_line"], name="shipment_line_once")
        ]
        verbose_name = _("shipment line")
        verbose_name_plural = _("shipment lines")

    def __str__(self) -> str:
        return f"{self.shipment.number}/{self.order_line.position}"

    @property
    def matches_notice(self) -> bool:
        return self.quantity == self.noticed_quantity


# --- delivery (送货单, sign-off, discrepancies) -------------------------------------------------


class DeliveryState(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting sign-off")
    SIGNED = "signed", _("Signed")
    SIGNED_WITH_DISCREPANCIES = "discrepancies", _("Signed with discrepancies")


DELIVERY_COLOURS: dict[str, str] = {
    DeliveryState.AWAITING: "amber",
    DeliveryState.SIGNED: "green",
    DeliveryState.SIGNED_WITH_DISCREPANCIES: "red",
}
SIGNED_STATES = frozenset({DeliveryState.SIGNED, DeliveryState.SIGNED_WITH_DISCREPANCIES})


class DeliveryNote(models.Model):
    """送货单: travels with the shipment; the customer signs it on receipt (E7)."""

    number = models.CharField(_("delivery note number"), max_length=40, unique=True)
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="delivery_notes",
        verbose_name=_("customer order"),
    )
    shipment = models.OneToOneField(
        Shipment, on_delete=models.PROTECT, related_name="delivery_note"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=DeliveryState.choices, default=DeliveryState.AWAITING
    )
    #: The printed note as it left with the goods.
    document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)
    signed_by_name = models.CharField(_("signed by (customer)"), max_length=120, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed delivery note"),
    )
    remarks = models.TextField(_("customer's remarks"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)

    objects: ClassVar["OrderScopedQuerySet[DeliveryNote]"] = OrderScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["state", "order"], name="delivery_state_order")]
        verbose_name = _("delivery note")
        verbose_name_plural = _("delivery notes")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("shipping:shipment", args=[self.shipment.number])

    @property
    def state_colour(self) -> str:
        return DELIVERY_COLOURS[self.state]

    @property
    def is_signed(self) -> bool:
        return self.state in SIGNED_STATES


class DiscrepancyKind(models.TextChoices):
    SHORT = "short", _("Short delivery")
    DAMAGED = "damaged", _("Damaged goods")
    WRONG_GOODS = "wrong_goods", _("Wrong goods or specification")
    QUALITY = "quality", _("Quality complaint")
    PACKAGING = "packaging", _("Packaging")
    DOCUMENTS = "documents", _("Documents missing or wrong")
    LATE = "late", _("Late delivery")
    OTHER = "other", _("Other")


class DiscrepancyQuerySet(OrderScopedQuerySet["Discrepancy"]):
    def unresolved(self) -> Self:
        return self.filter(resolved_at__isnull=True)


class Discrepancy(models.Model):
    """Something the customer found wrong at delivery; sales handles it with the customer."""

    delivery_note = models.ForeignKey(
        DeliveryNote, on_delete=models.PROTECT, related_name="discrepancies"
    )
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="+")
    order_line = models.ForeignKey(
        "orders.OrderLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("line"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DiscrepancyKind.choices)
    quantity = models.DecimalField(
        _("quantity affected"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    description = models.TextField(_("description"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    #: Sales' task to handle it with the customer.
    task = models.ForeignKey(
        "tasks.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    objects: ClassVar[DiscrepancyQuerySet] = DiscrepancyQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["reported_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0),
                name="discrepancy_quantity_positive",
            )
        ]
        verbose_name = _("discrepancy")
        verbose_name_plural = _("discrepancies")

    def __str__(self) -> str:
        return f"{self.delivery_note.number}: {self.get_kind_display()}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


# --- settlement ------------------------------------------------------------------------------


class SettlementState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted to finance")
    RECEIVED = "received", _("Received by finance")


SETTLEMENT_COLOURS: dict[str, str] = {
    SettlementState.SUBMITTED: "amber",
    SettlementState.RECEIVED: "green",
}


class SettlementRequest(models.Model):
    """Sales hands the signed delivery notes to finance for invoicing and collection (E7)."""

    number = models.CharField(_("request number"), max_length=40, unique=True)
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="settlement_requests",
        verbose_name=_("customer order"),
    )
    delivery_notes = models.ManyToManyField(
        DeliveryNote, related_name="settlement_requests", verbose_name=_("delivery notes")
    )
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=SettlementState.choices,
        default=SettlementState.SUBMITTED,
    )
    #: Shipped quantity x unit price of the delivery notes, in CNY.
    amount = models.DecimalField(_("amount delivered (CNY)"), max_digits=16, decimal_places=2)
    #: Quantity under the open discrepancies x unit price, in CNY.
    disputed_amount = models.DecimalField(
        _("amount in dispute (CNY)"), max_digits=16, decimal_places=2, default=ZERO
    )
    note = models.TextField(_("note"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    task = models.ForeignKey(
        "tasks.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    finance_note = models.TextField(_("finance's note"), blank=True)

    objects: ClassVar["OrderScopedQuerySet[SettlementRequest]"] = OrderScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("settlement request")
        verbose_name_plural = _("settlement requests")

    def __str__(self) -> str:
        return self.number

    @property
    def state_colour(self) -> str:
        return SETTLEMENT_COLOURS[self.state]
