"""Questions asked of shipping data: how much of each order line is noticed and shipped."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from gendan.orders.models import Order, OrderLine
from gendan.shipping.models import NoticeLine, NoticeState, ShipmentLine

ZERO = Decimal("0")
HUNDRED = Decimal("100")
THOUSANDTH = Decimal("0.001")


def plain(value: Decimal) -> str:
    """A quantity as people write it: 30, 12.5, 0.125 (no exponent, no trailing zeros)."""
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class LineProgress:
    """One order line: ordered, on open notices, shipped, and what the tolerance allows."""

    line: OrderLine
    #: On shipping notices still waiting to ship.
    noticed: Decimal
    shipped: Decimal

    @property
    def ordered(self) -> Decimal:
        return self.line.quantity

    @property
    def least_complete(self) -> Decimal:
        """Shipped this much, the line is complete (quantity less the tolerance)."""
        return (self.ordered * (1 - self.line.tolerance_pct / HUNDRED)).quantize(THOUSANDTH)

    @property
    def most_allowed(self) -> Decimal:
        """Never ship more than this on the line (quantity plus the tolerance)."""
        return (self.ordered * (1 + self.line.tolerance_pct / HUNDRED)).quantize(THOUSANDTH)

    @property
    def remaining(self) -> Decimal:
        return max(self.ordered - self.shipped, ZERO)

    @property
    def to_notice(self) -> Decimal:
        """What no notice covers yet: ordered less shipped less open notices."""
        return max(self.ordered - self.shipped - self.noticed, ZERO)

    @property
    def fully_shipped(self) -> bool:
        return self.shipped >= self.least_complete


def line_progress(order: Order) -> list[LineProgress]:
    """Every line of `order` with its noticed and shipped quantities (three queries)."""
    noticed = dict(
        NoticeLine.objects.filter(notice__order=order, notice__state=NoticeState.OPEN)
        .values("order_line")
        .annotate(total=Sum("quantity"))
        .values_list("order_line", "total")
    )
    shipped = dict(
        ShipmentLine.objects.filter(shipment__order=order)
        .values("order_line")
        .annotate(total=Sum("quantity"))
        .values_list("order_line", "total")
    )
    return [
        LineProgress(
            line=line, noticed=noticed.get(line.pk) or ZERO, shipped=shipped.get(line.pk) or ZERO
        )
        for line in order.lines.select_related("product").order_by("position")
    ]
