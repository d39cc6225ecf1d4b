"""The purchasing steps of an order's milestone chain (E8): materials ordered and received."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.contracts.models import AllocationKind
from gendan.milestones.chain import Step
from gendan.milestones.plans import allocated_due
from gendan.purchasing.models import PurchaseOrderLine, PurchaseOrderStatus

if TYPE_CHECKING:
    from gendan.orders.models import Order


def _lines() -> QuerySet[PurchaseOrderLine]:
    """Purchase order lines not cancelled."""
    return PurchaseOrderLine.objects.exclude(purchase_order__status=PurchaseOrderStatus.CANCELLED)


def has_steps() -> Exists:
    """The chain's probe: the order buys something."""
    return Exists(_lines().filter(purchase_order__order=OuterRef("pk")))


def steps(order: Order, today: dt.date) -> list[Step]:
    """Nothing for an order that buys nothing; else when it was ordered and when it arrived.

    Materials are due on the allocation sheet's materials date (else the suppliers' promised
    dates); they had to be ordered one supplier lead time before that.
    """
    lines = _lines().filter(purchase_order__order=order)
    found = lines.aggregate(
        count=Count("pk"),
        open=Count("pk", filter=Q(completed_on__isnull=True)),
        ordered=Max("purchase_order__order_date"),
        promised=Max("promised_date"),
        expected=Max("expected_date", filter=Q(completed_on__isnull=True)),
        received=Max("completed_on"),
        lead=Max(F("promised_date") - F("purchase_order__order_date")),
    )
    if not found["count"]:
        return []
    due = allocated_due(order, AllocationKind.MATERIALS) or found["promised"]
    lead = found["lead"] if isinstance(found["lead"], dt.timedelta) else None
    order_by = due - lead if due and lead is not None else None
    url = reverse("purchasing:plan", args=[order.number])
    return [
        Step(
            key="purchase",
            label=_("Materials ordered"),
            planned=order_by,
            actual=found["ordered"],
            done=True,
            detail=_("%(count)s purchase order lines") % {"count": found["count"]},
            url=url,
        ),
        Step(
            key="receipt",
            label=_("Materials received"),
            planned=due,
            actual=found["received"] if not found["open"] else None,
            done=not found["open"],
            forecast=found["expected"],
            detail=_("%(open)s of %(count)s lines still open")
            % {"open": found["open"], "count": found["count"]},
            url=url,
        ),
    ]
