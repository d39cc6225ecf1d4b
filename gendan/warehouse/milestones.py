"""The warehouse step of an order's milestone chain (E8): finished goods taken in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.contracts.models import AllocationKind
from gendan.milestones.chain import Step
from gendan.milestones.plans import allocated_due, delivery_date
from gendan.warehouse.models import FinishedGoodsReceipt, LineStock

if TYPE_CHECKING:
    from gendan.orders.models import Order

HUNDRED = Decimal(100)


def has_steps() -> Exists:
    """The chain's probe: finished goods of the order were taken in."""
    return Exists(LineStock.objects.filter(order=OuterRef("pk")))


def steps(order: Order, today: dt.date) -> list[Step]:
    """Done when every line's conforming goods taken in reach its quantity less its tolerance;
    due with the final inspection (the allocation sheet's quality date, else the delivery)."""
    received = dict(
        LineStock.objects.filter(order=order).values_list("order_line", "received_quantity")
    )
    if not received:
        return []
    lines = list(order.lines.all())
    complete = sum(
        1
        for line in lines
        if received.get(line.pk, Decimal(0)) >= line.quantity * (1 - line.tolerance_pct / HUNDRED)
    )
    done = complete == len(lines)
    last = FinishedGoodsReceipt.objects.filter(order=order).aggregate(last=Max("received_at"))
    return [
        Step(
            key="warehouse",
            label=_("Finished goods in the warehouse"),
            planned=allocated_due(order, AllocationKind.QUALITY) or delivery_date(order),
            actual=timezone.localdate(last["last"]) if done and last["last"] else None,
            done=done,
            detail=_("%(complete)s of %(lines)s lines complete")
            % {"complete": complete, "lines": len(lines)},
            url=reverse("warehouse:home"),
        )
    ]
