"""`{% shipping_panel order as panel %}`: what the order page shows of shipping and delivery
(for "shipping/_order_panel.html")."""

import functools
from dataclasses import dataclass
from typing import Any

from django import template
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from gendan.orders.models import Order
from gendan.shipping.models import (
    DeliveryNote,
    DeliveryState,
    Discrepancy,
    NoticeState,
    ShippingNotice,
)
from gendan.shipping.selectors import LineProgress, line_progress

register = template.Library()


@dataclass(frozen=True)
class ShippingPanel:
    lines: list[LineProgress]
    open_notices: int
    awaiting_signature: int
    open_discrepancies: int

    @property
    def started(self) -> bool:
        return bool(self.open_notices or any(p.shipped for p in self.lines))

    @property
    def fully_shipped(self) -> bool:
        return bool(self.lines) and all(p.fully_shipped for p in self.lines)


def _count(rows: QuerySet[Any]) -> Coalesce:
    """How many of `rows` belong to the outer order."""
    of_order = rows.filter(order=OuterRef("pk")).order_by().values("order")
    return Coalesce(
        Subquery(of_order.annotate(n=Count("pk")).values("n")[:1]), 0, output_field=IntegerField()
    )


@functools.cache
def _counts_query() -> "QuerySet[Order, tuple[int, int, int]]":
    """Orders with their open notices, unsigned delivery notes and open discrepancies. Built
    once: the counts do not depend on the order, and building them costs more than the query."""
    return Order.objects.values_list(
        _count(ShippingNotice.objects.filter(state=NoticeState.OPEN)),
        _count(DeliveryNote.objects.filter(state=DeliveryState.AWAITING)),
        _count(Discrepancy.objects.unresolved()),
    )


@register.simple_tag
def shipping_panel(order: Order) -> ShippingPanel:
    """The lines' progress (one query, none when the page has read it already) and the three
    counts (one more)."""
    open_notices, awaiting_signature, open_discrepancies = _counts_query().filter(pk=order.pk).get()
    return ShippingPanel(
        lines=line_progress(order),
        open_notices=open_notices,
        awaiting_signature=awaiting_signature,
        open_discrepancies=open_discrepancies,
    )
