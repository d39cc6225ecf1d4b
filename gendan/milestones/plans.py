"""Planned dates that several steps read: the allocation sheet's due date per department kind."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Max

from gendan.contracts.models import AllocationLine, AllocationState

if TYPE_CHECKING:
    from gendan.orders.models import Order


def allocated_due(order: Order, kind: str) -> dt.date | None:
    """The latest due date the released allocation sheet gives to lines of this kind, if any."""
    found = AllocationLine.objects.filter(
        allocation__order=order, allocation__state=AllocationState.RELEASED, kind=kind
    ).aggregate(due=Max("due_date"))
    return found["due"]


def delivery_date(order: Order) -> dt.date:
    """The date the customer was promised, or the date they asked for while none was promised."""
    return order.promised_date or order.requested_date
