"""Questions asked of shipping data: how much of each order line is noticed and shipped."""

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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


#: Progress already read inside `sharing_line_progress`: {order pk: lines}.
_shared: ContextVar[dict[int, list[LineProgress]] | None] = ContextVar(
    "shared_line_progress", default=None
)


@contextmanager
def sharing_line_progress() -> Iterator[None]:
    """Within the block, `line_progress` reads each order once and hands the same answer to
    every later call: for a page that shows it and asks the guards and the milestone chain
    about it while nothing is written. Outside (actions, posted forms) every call reads afresh."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def line_progress(order: Order) -> list[LineProgress]:
    """Every line of `order` with its noticed and shipped quantities (one query, or none when
    `sharing_line_progress` already holds them)."""
    shared = _shared.get()
    if shared is not None and order.pk in shared:
        return list(shared[order.pk])
    progress = _read_line_progress(order)
    if shared is not None:
        shared[order.pk] = list(progress)
    return progress


@functools.cache
def _progress_query() -> QuerySet[Any]:
    """Order lines with their noticed and shipped totals. Built once: the totals do not depend
    on the order, and building them costs about as much as the query."""
    return (
        OrderLine.objects.select_related("product")
        .annotate(
            noticed=_line_total(NoticeLine.objects.filter(notice__state=NoticeState.OPEN)),
            shipped=_line_total(ShipmentLine.objects.all()),
        )
        .order_by("position")
    )


def _read_line_progress(order: Order) -> list[LineProgress]:
    progress = []
    for line in _progress_query().filter(order=order):
        line.order = order  # as `order.lines` would: the line's order is this one
        progress.append(LineProgress(line=line, noticed=line.noticed, shipped=line.shipped))
    return progress
