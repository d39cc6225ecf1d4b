"""The shipping steps of an order's milestone chain (E8): shipped, delivered and signed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.milestones.chain import Step
from gendan.milestones.plans import delivery_date
from gendan.shipping.models import (
    SIGNED_STATES,
    DeliveryNote,
    NoticeState,
    Shipment,
    ShippingNotice,
)
from gendan.shipping.selectors import line_progress

if TYPE_CHECKING:
    from gendan.orders.models import Order


def has_steps() -> Exists:
    """The chain's probe: the order has a shipping notice not cancelled."""
    return Exists(
        ShippingNotice.objects.filter(order=OuterRef("pk")).exclude(state=NoticeState.CANCELLED)
    )


def steps(order: Order, today: dt.date) -> list[Step]:
    """Shipping is due on the notices' ship-on date (else the delivery date) and done when every
    line is shipped (partial shipments count up); delivery is due on the promised date and done
    when the customer has signed every delivery note."""
    notices = ShippingNotice.objects.filter(order=order).exclude(state=NoticeState.CANCELLED)
    if not notices.exists():
        return []
    url = reverse("shipping:order", args=[order.number])
    progress = line_progress(order)
    shipped_lines = sum(1 for p in progress if p.fully_shipped)
    shipped = shipped_lines == len(progress)
    last_shipped = Shipment.objects.filter(order=order).aggregate(last=Max("shipped_at"))["last"]
    notes = DeliveryNote.objects.filter(order=order).aggregate(
        count=Count("pk"),
        signed=Count("pk", filter=Q(state__in=SIGNED_STATES)),
        last=Max("received_on"),
    )
    delivered = shipped and notes["count"] > 0 and notes["signed"] == notes["count"]
    return [
        Step(
            key="shipment",
            label=_("Shipped"),
            planned=notices.aggregate(ship_on=Max("ship_on"))["ship_on"],
            actual=timezone.localdate(last_shipped) if shipped and last_shipped else None,
            done=shipped,
            detail=_("%(shipped)s of %(lines)s lines shipped")
            % {"shipped": shipped_lines, "lines": len(progress)},
            url=url,
        ),
        Step(
            key="delivery",
            label=_("Delivered and signed"),
            planned=delivery_date(order),
            actual=notes["last"] if delivered else None,
            done=delivered,
            detail=_("%(signed)s of %(count)s delivery notes signed")
            % {"signed": notes["signed"], "count": notes["count"]},
            url=url,
        ),
    ]
