"""Planned dates that several steps read: the allocation sheet's due date per department kind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.db.models import Max, OuterRef, QuerySet, Subquery

from gendan.contracts.models import AllocationKind, AllocationLine, AllocationState

if TYPE_CHECKING:
    from gendan.orders.models import Order

#: The kinds whose due dates the milestone chain reads up front (`due_columns`).
DUE_KINDS = (AllocationKind.MATERIALS, AllocationKind.PRODUCTION, AllocationKind.QUALITY)
#: Due dates already read while a chain is built: {order pk: {kind: date or None}}.
_known_dues: ContextVar[dict[int, dict[str, dt.date | None]] | None] = ContextVar(
    "known_dues", default=None
)


def _released(kind: str) -> QuerySet[AllocationLine]:
    return AllocationLine.objects.filter(allocation__state=AllocationState.RELEASED, kind=kind)


def allocated_due(order: Order, kind: str) -> dt.date | None:
    """The latest due date the released allocation sheet gives to lines of this kind, if any."""
    known = _known_dues.get()
    if known is not None and order.pk in known and kind in known[order.pk]:
        return known[order.pk][kind]
    found = _released(kind).filter(allocation__order=order).aggregate(due=Max("due_date"))
    return found["due"]


def due_columns() -> list[Subquery]:
    """`allocated_due` of each of `DUE_KINDS` as columns of a query on orders."""
    return [
        Subquery(
            _released(kind)
            .filter(allocation__order=OuterRef("pk"))
            .order_by()
            .values("allocation__order")
            .annotate(due=Max("due_date"))
            .values("due")[:1]
        )
        for kind in DUE_KINDS
    ]


def remember_dues(order: Order, dues: Sequence[dt.date | None]) -> None:
    """Keep the values of `due_columns` for `allocated_due` until `forget_dues`."""
    known = dict(_known_dues.get() or {})
    known[order.pk] = dict(zip(DUE_KINDS, dues, strict=True))
    _known_dues.set(known)


def forget_dues(order: Order) -> None:
    known = dict(_known_dues.get() or {})
    known.pop(order.pk, None)
    _known_dues.set(known or None)


def delivery_date(order: Order) -> dt.date:
    """The date the customer was promised, or the date they asked for while none was promised."""
    return order.promised_date or order.requested_date
