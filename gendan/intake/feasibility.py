"""Delivery feasibility (I6): the earliest date an order can be delivered, and whether the
requested date holds.

Callers go through `get_checker()`, which returns the checker named by
`settings.GENDAN["FEASIBILITY_CHECKER"]` (a dotted path), so the scheduling engine's
capable-to-promise answer can replace the first estimate here without touching any caller.

`LeadTimeBacklogChecker` is that first estimate: per line, the product line's standard lead
time in working days, plus the working days the line needs to make the tons already queued
on it (orders between intake review and execution) and this order's own tons, at the line's
daily capacity. The order's earliest date is its latest line's.
"""

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from gendan.catalog.models import ProductLine, Unit
from gendan.intake.models import IntakeSettings, LineCapacity
from gendan.orders.status import Status
from gendan.workdays.calendar import add_working_days

if TYPE_CHECKING:
    from gendan.orders.models import Order

DEFAULT_CHECKER = "gendan.intake.feasibility.LeadTimeBacklogChecker"
#: Orders whose tons are still to be made: accepted for review up to in execution.
BACKLOG_STATUSES = frozenset(
    {
        Status.INTAKE_REVIEW,
        Status.DEPARTMENT_REVIEW,
        Status.CONTRACT,
        Status.CONFIRMED,
        Status.IN_EXECUTION,
    }
)


def _tons(value: Decimal) -> str:
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class Feasibility:
    earliest_date: dt.date | None
    holds: bool
    reason: str


class FeasibilityChecker(Protocol):
    def check(self, order: "Order") -> Feasibility: ...


class LeadTimeBacklogChecker:
    """Standard lead times plus the current backlog on each product line."""

    def __init__(self, today: dt.date | None = None) -> None:
        self.today = today

    def _daily_tons(self, line: ProductLine, rules: IntakeSettings) -> Decimal:
        capacity = LineCapacity.objects.filter(product_line=line).first()
        return capacity.daily_tons if capacity else rules.default_daily_tons

    def _backlog_tons(self, line: ProductLine, order: "Order") -> Decimal:
        from gendan.orders.models import OrderLine

        queued = (
            OrderLine.objects.filter(
                product__line=line, unit=Unit.TON, order__status__in=BACKLOG_STATUSES
            )
            .exclude(order=order)
            .aggregate(total=Sum("quantity"))["total"]
        )
        return Decimal(queued or 0)

    def check(self, order: "Order") -> Feasibility:
        today = self.today or timezone.localdate()
        rules = IntakeSettings.load()
        own_tons: dict[int, Decimal] = {}
        lines: dict[int, ProductLine] = {}
        for order_line in order.lines.select_related("product__line"):
            product_line = order_line.product.line
            lines[product_line.pk] = product_line
            tons = order_line.quantity if order_line.unit == Unit.TON else Decimal("0")
            own_tons[product_line.pk] = own_tons.get(product_line.pk, Decimal("0")) + tons
        if not lines:
            return Feasibility(None, False, _("The order has no lines to plan."))
        latest: tuple[dt.date, str] | None = None
        for pk, product_line in lines.items():
            backlog = self._backlog_tons(product_line, order)
            daily = self._daily_tons(product_line, rules)
            making_days = math.ceil((backlog + own_tons[pk]) / daily)
            days = product_line.standard_lead_days + making_days
            earliest = add_working_days(today, days)
            why = _(
                "%(lead)d working days standard lead time on %(line)s plus %(making)d working "
                "days to make %(backlog)s t queued and %(own)s t of this order at %(daily)s t/day"
            ) % {
                "lead": product_line.standard_lead_days,
                "line": product_line,
                "making": making_days,
                "backlog": _tons(backlog),
                "own": _tons(own_tons[pk]),
                "daily": _tons(daily),
            }
            if latest is None or earliest > latest[0]:
                latest = (earliest, why)
        assert latest is not None
        earliest, why = latest
        holds = earliest <= order.requested_date
        verdict = (
            _("the requested %(date)s holds")
            if holds
            else _("the requested %(date)s does not hold")
        ) % {"date": order.requested_date}
        reason = _("Earliest delivery %(earliest)s (%(why)s): %(verdict)s.") % {
            "earliest": earliest,
            "why": why,
            "verdict": verdict,
        }
        return Feasibility(earliest, holds, reason)


@cache
def _checker_class(path: str) -> type:
    return import_string(path)  # type: ignore[no-any-return]


def get_checker() -> FeasibilityChecker:
    """The configured checker (settings.GENDAN["FEASIBILITY_CHECKER"], a dotted path)."""
    path = settings.GENDAN.get("FEASIBILITY_CHECKER", DEFAULT_CHECKER)
    return _checker_class(path)()  # type: ignore[no-any-return]
