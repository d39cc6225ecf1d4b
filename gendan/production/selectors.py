"""Questions asked of production data: plan vs actual per work order and per order."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from gendan.orders.models import Order
from gendan.production.models import WorkOrder, WorkOrderQuerySet

ZERO = Decimal("0")


@dataclass(frozen=True)
class PlanVsActual:
    """One work order's plan next to what happened (E3, E8)."""

    work_order: WorkOrder
    planned_quantity: Decimal
    good_quantity: Decimal
    scrap_quantity: Decimal
    planned_hours: Decimal
    hours_worked: Decimal
    planned_start: dt.datetime
    planned_end: dt.datetime
    actual_start: dt.datetime | None
    actual_end: dt.datetime | None
    late: bool
    #: How far the end is behind plan (finished: actual end - planned end; open: now - planned
    #: end), or None when on time.
    delay: dt.timedelta | None

    @property
    def completion(self) -> Decimal:
        if not self.planned_quantity:
            return ZERO
        return (self.good_quantity / self.planned_quantity * 100).quantize(Decimal("0.1"))

    @property
    def delay_hours(self) -> Decimal | None:
        if self.delay is None:
            return None
        return Decimal(self.delay.total_seconds() / 3600).quantize(Decimal("0.1"))

    def as_dict(self) -> dict[str, object]:
        wo = self.work_order
        return {
            "work_order": wo.number,
            "operation": wo.name,
            "work_centre": wo.work_centre.code,
            "status": wo.status,
            "planned_quantity": str(self.planned_quantity),
            "good_quantity": str(self.good_quantity),
            "scrap_quantity": str(self.scrap_quantity),
            "completion_percent": str(self.completion),
            "planned_hours": str(self.planned_hours),
            "hours_worked": str(self.hours_worked),
            "planned_start": self.planned_start.isoformat(),
            "planned_end": self.planned_end.isoformat(),
            "actual_start": self.actual_start.isoformat() if self.actual_start else None,
            "actual_end": self.actual_end.isoformat() if self.actual_end else None,
            "late": self.late,
            "delay_hours": str(self.delay_hours) if self.delay_hours is not None else None,
        }


def compare(work_order: WorkOrder, now: dt.datetime | None = None) -> PlanVsActual:
    now = now or timezone.now()
    late = work_order.is_late(now)
    delay = None
    if late:
        reference = work_order.actual_end if work_order.actual_end is not None else now
        delay = reference - work_order.planned_end
    return PlanVsActual(
        work_order=work_order,
        planned_quantity=work_order.quantity,
        good_quantity=work_order.good_quantity,
        scrap_quantity=work_order.scrap_quantity,
        planned_hours=(work_order.planned_minutes / 60).quantize(Decimal("0.01")),
        hours_worked=work_order.hours_worked,
        planned_start=work_order.planned_start,
        planned_end=work_order.planned_end,
        actual_start=work_order.actual_start,
        actual_end=work_order.actual_end,
        late=late,
        delay=delay,
    )


def work_orders_of(order: Order) -> WorkOrderQuerySet:
    return (
        WorkOrder.objects.filter(order=order)
        .select_related("work_centre", "team", "owner", "order_line")
        .order_by("order_line__position", "sequence")
    )


def plan_vs_actual(order: Order, now: dt.datetime | None = None) -> list[PlanVsActual]:
    """Plan next to actual for every work order of `order`, in line and routing order."""
    now = now or timezone.now()
    return [compare(wo, now) for wo in work_orders_of(order)]
