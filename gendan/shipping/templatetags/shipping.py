"""`{% shipping_panel order as panel %}`: what the order page shows of shipping and delivery
(for "shipping/_order_panel.html")."""

from dataclasses import dataclass

from django import template

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


@register.simple_tag
def shipping_panel(order: Order) -> ShippingPanel:
    return ShippingPanel(
        lines=line_progress(order),
        open_notices=ShippingNotice.objects.filter(order=order, state=NoticeState.OPEN).count(),
        awaiting_signature=DeliveryNote.objects.filter(
            order=order, state=DeliveryState.AWAITING
        ).count(),
        open_discrepancies=Discrepancy.objects.filter(order=order).unresolved().count(),
    )
