"""Questions asked of purchasing data: late lines, supplier on-time rate, stock positions."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q
from django.utils import timezone

from gendan.purchasing.models import (
    PurchaseOrderLine,
    PurchaseOrderLineQuerySet,
    PurchaseOrderStatus,
    Supplier,
)


def late_lines(today: dt.date | None = None) -> PurchaseOrderLineQuerySet:
    """Open purchase order lines whose expected date has passed, oldest first."""
    return (
        PurchaseOrderLine.objects.late(today)
        .select_related("purchase_order__supplier", "purchase_order__order", "material")
        .order_by("expected_date", "id")
    )


@dataclass(frozen=True)
class OnTimeRate:
    """Share of a supplier's due purchase order lines that arrived in full by the promised
    date. `rate` is None when no line has fallen due yet."""

    on_time: int
    due: int

    @property
    def rate(self) -> Decimal | None:
        if not self.due:
            return None
        return (Decimal(self.on_time) / Decimal(self.due)).quantize(Decimal("0.0001"))

    @property
    def percent(self) -> Decimal | None:
        rate = self.rate
        return None if rate is None else (rate * 100).quantize(Decimal("0.1"))


def supplier_on_time_rate(
    supplier: Supplier,
    *,
    today: dt.date | None = None,
    since: dt.date | None = None,
) -> OnTimeRate:
    """On-time rate of `supplier` (M1): among its lines that are due — promised before today,
    or received in full already — the share received in full on or before the date first
    promised. Moving the expected date later does not excuse a delay. Lines cancelled before
    anything arrived are left out; `since` limits to lines promised on or after that date.
    """
    today = today or timezone.localdate()
    lines = PurchaseOrderLine.objects.filter(purchase_order__supplier=supplier).exclude(
        purchase_order__status=PurchaseOrderStatus.CANCELLED
    )
    if since is not None:
        lines = lines.filter(promised_date__gte=since)
    due = lines.filter(Q(promised_date__lt=today) | Q(completed_on__isnull=False))
    counted = due.count()
    on_time = due.filter(
        completed_on__isnull=False,
        completed_on__lte=F("promised_date"),
        cancelled_quantity=0,
    ).count()
    return OnTimeRate(on_time=on_time, due=counted)
