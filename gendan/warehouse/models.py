"""Warehouse (E5): finished goods taken in from a passed final inspection, and issued for
shipment.

`LineStock` is one row per customer order line: what the warehouse took in and what it issued.
It is the row that receipts and issues lock, so two shipments cannot take the same goods. Only
conforming goods ever reach it: a `FinishedGoodsReceipt` comes from a final inspection's
released quantity (passed, the unquarantined part of a failed lot, or a concession).
"""

from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from gendan.accounts.models import User

ZERO = Decimal("0")
QUANTITY = {"max_digits": 14, "decimal_places": 3}


class WarehouseQuerySet[M: models.Model](models.QuerySet[M]):
    """Whoever sees the customer order; the warehouse (logistics) and quality departments see
    every warehouse record (not the orders)."""

    def for_user(self, user: "User") -> Self:
        from gendan.accounts.models import Role
        from gendan.orders.models import Order

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all or (
            user.role in (Role.REVIEWER, Role.HEAD)
            and bool(user.department_codes() & {"logistics", "quality"})
        ):
            return self
        return self.filter(order__in=Order.objects.for_user(user))


class LineStock(models.Model):
    """Conforming finished goods of one order line: taken in and issued."""

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="+")
    order_line = models.OneToOneField(
        "orders.OrderLine", on_delete=models.PROTECT, related_name="warehouse_stock"
    )
    received_quantity = models.DecimalField(_("received"), default=ZERO, **QUANTITY)
    issued_quantity = models.DecimalField(_("issued"), default=ZERO, **QUANTITY)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar["WarehouseQuerySet[LineStock]"] = WarehouseQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(issued_quantity__lte=F("received_quantity")),
                name="stock_issued_not_above_received",
            ),
            models.CheckConstraint(condition=Q(issued_quantity__gte=0), name="stock_issued_gte_0"),
        ]
        verbose_name = _("finished goods stock")
        verbose_name_plural = _("finished goods stock")

    def __str__(self) -> str:
        return f"{self.order_line_id}: {self.on_hand}"

    @property
    def on_hand(self) -> Decimal:
        return self.received_quantity - self.issued_quantity


class FinishedGoodsReceipt(models.Model):
    """入库单: finished goods taken into the warehouse from a final inspection, checked against
    the work order (product, specification, quantity)."""

    number = models.CharField(_("receipt number"), max_length=40, unique=True)
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="finished_goods_receipts",
        verbose_name=_("customer order"),
    )
    order_line = models.ForeignKey(
        "orders.OrderLine", on_delete=models.PROTECT, related_name="finished_goods_receipts"
    )
    work_order = models.ForeignKey(
        "production.WorkOrder", on_delete=models.PROTECT, related_name="finished_goods_receipts"
    )
    inspection = models.ForeignKey(
        "quality.Inspection", on_delete=models.PROTECT, related_name="warehouse_receipts"
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    specification = models.CharField(_("specification"), max_length=300, blank=True)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit = models.CharField(_("unit"), max_length=8)
    location = models.CharField(_("location"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    objects: ClassVar["WarehouseQuerySet[FinishedGoodsReceipt]"] = WarehouseQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="fg_receipt_quantity_gt_0")
        ]
        verbose_name = _("finished goods receipt")
        verbose_name_plural = _("finished goods receipts")

    def __str__(self) -> str:
        return f"{self.number} {self.quantity} {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("warehouse:receipt", args=[self.number])


class StockIssue(models.Model):
    """Goods taken out of the warehouse for a shipment (`reference`: the shipment's number)."""

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="+")
    order_line = models.ForeignKey(
        "orders.OrderLine", on_delete=models.PROTECT, related_name="stock_issues"
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    reference = models.CharField(_("reference"), max_length=80)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)

    objects: ClassVar["WarehouseQuerySet[StockIssue]"] = WarehouseQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("stock issue")
        verbose_name_plural = _("stock issues")

    def __str__(self) -> str:
        return f"{self.order_line_id} -{self.quantity} ({self.reference})"
