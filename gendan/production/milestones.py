"""The production steps of an order's milestone chain (E8): plan approved, production finished."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.contracts.models import AllocationKind
from gendan.milestones.chain import Step
from gendan.milestones.plans import allocated_due
from gendan.production.models import (
    ACTIVE_WORK_STATUSES,
    PlanStatus,
    ProductionPlan,
    WorkOrder,
    WorkOrderStatus,
)
from gendan.tasks.models import Task

if TYPE_CHECKING:
    from gendan.orders.models import Order


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def has_steps() -> Exists:
    """The chain's probe: the order has a production plan."""
    return Exists(ProductionPlan.objects.filter(order=OuterRef("pk")))


def steps(order: Order, today: dt.date) -> list[Step]:
    """Nothing before a production plan exists; then its approval and the work's completion.

    The plan is due for approval by its approval task; production is due on the allocation
    sheet's production date (else the work orders' planned ends). While work orders run, their
    latest planned end (or now, for those already behind) is the forecast.
    """
    plan = ProductionPlan.objects.filter(order=order).first()
    if plan is None:
        return []
    url = reverse("production:plan", args=[order.number])
    approval_due = (
        Task.objects.filter(pk=plan.approval_task_id).values_list("due_at", flat=True).first()
        if plan.approval_task_id
        else None
    )
    work = (
        WorkOrder.objects.filter(order=order)
        .exclude(status=WorkOrderStatus.CANCELLED)
        .aggregate(
            count=Count("pk"),
            active=Count("pk", filter=Q(status__in=ACTIVE_WORK_STATUSES)),
            plan_end=Max("planned_end"),
            active_end=Max("planned_end", filter=Q(status__in=ACTIVE_WORK_STATUSES)),
            finished_at=Max("actual_end"),
        )
    )
    due = allocated_due(order, AllocationKind.PRODUCTION) or _local_date(work["plan_end"])
    forecast = _local_date(work["active_end"])
    if forecast is not None and forecast < today and work["active"]:
        forecast = today
    finished = bool(work["count"]) and not work["active"]
    return [
        Step(
            key="production_plan",
            label=_("Production plan approved"),
            planned=_local_date(approval_due),
            actual=_local_date(plan.approved_at),
            done=plan.status == PlanStatus.APPROVED,
            detail=plan.get_status_display(),
            url=url,
        ),
        Step(
            key="production",
            label=_("Production finished"),
            planned=due,
            actual=_local_date(work["finished_at"]) if finished else None,
            done=finished,
            forecast=forecast,
            detail=_("%(done)s of %(count)s work orders done")
            % {"done": work["count"] - work["active"], "count": work["count"]},
            url=url,
        ),
    ]
