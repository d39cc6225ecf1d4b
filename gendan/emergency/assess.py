"""Is an order an emergency by its lead time (U1)? The lead time asked against the normal cycle.

The lead time asked is the number of working days from today to the date the customer needs;
the normal cycle is the standard lead time of the order's product lines (the longest of them).
An order asking less than `EMERGENCY_LEAD_SHARE` of its normal cycle is an emergency.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from gendan.emergency import conf
from gendan.orders.models import Order
from gendan.workdays.calendar import working_days_between


@dataclass(frozen=True)
class Assessment:
    required_date: dt.date
    lead_days: int
    normal_cycle_days: int | None
    threshold: Decimal

    @property
    def share(self) -> Decimal | None:
        if not self.normal_cycle_days:
            return None
        return (Decimal(self.lead_days) / self.normal_cycle_days).quantize(Decimal("0.01"))

    @property
    def is_short(self) -> bool:
        share = self.share
        return share is not None and share < self.threshold


def assess(
    order: Order, *, required_date: dt.date | None = None, today: dt.date | None = None
) -> Assessment:
    today = today or timezone.localdate()
    required = required_date or order.requested_date
    cycle = order.lines.aggregate(days=Max("product__line__standard_lead_days"))["days"]
    return Assessment(
        required_date=required,
        lead_days=working_days_between(today, required),
        normal_cycle_days=cycle,
        threshold=conf.number("EMERGENCY_LEAD_SHARE"),
    )
