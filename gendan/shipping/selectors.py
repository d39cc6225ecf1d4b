"""Questions asked of shipping data: how much of each order line is noticed and shipped."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

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


def _line_total(rows: QuerySet[Any]) -> Coalesce:
    """The sum of `rows`' quantities for the outer order line, 0 when there is none."""
    total = rows.filter(order_line=OuterRef("pk")).order_by().values("order_line")
    return Coalesce(
        Subquery(total.annotate(total=Sum("quantity")).values("total")[:1]),
        ZERO,
        output_field=DecimalField(max_digits=14, decimal_places=3),
    )


def line_progress(order: Order) -> list[LineProgress]:
    """Every line of `order` with its noticed and shipped quantities (one query)."""
    lines = (
        order.lines.select_related("product")
        .annotate(
            noticed=_line_total(NoticeLine.objects.filter(notice__state=NoticeState.OPEN)),
            shipped=_line_total(ShipmentLine.objects.all()),
        )
        .order_by("position")
    )
    return [LineProgress(line=line, noticed=line.noticed, shipped=line.shipped) for line in lines]
