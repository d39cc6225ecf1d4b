"""The quality steps of an order's milestone chain (E8): incoming, in-process, final inspection.

Incoming inspection sits after the materials' receipt, in-process and final after production
(`gendan.milestones.chain.PROVIDERS` lists `incoming_steps` and `product_steps` in those places).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.contracts.models import AllocationKind
from gendan.milestones.chain import Step
from gendan.milestones.plans import allocated_due, delivery_date
from gendan.orders.status import Status
from gendan.purchasing.models import PurchaseOrderLine
from gendan.quality.models import Inspection, Nonconformance, ReceiptHold, Result, Stage

if TYPE_CHECKING:
    from gendan.orders.models import Order


def _date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def has_incoming_steps() -> Q:
    """The chain's probe: material of the order was held for inspection, or inspected."""
    return Q(
        Exists(ReceiptHold.objects.filter(receipt__line__purchase_order__order=OuterRef("pk")))
    ) | Q(Exists(Inspection.objects.filter(order=OuterRef("pk"), stage=Stage.INCOMING)))


def incoming_steps(order: Order, today: dt.date) -> list[Step]:
    """Material held for inspection on arrival: done when every held receipt has been inspected
    and no incoming nonconformance is still open."""
    holds = ReceiptHold.objects.filter(receipt__line__purchase_order__order=order)
    uninspected = holds.exclude(receipt__inspections__stage=Stage.INCOMING).count()
    inspected = Inspection.objects.filter(order=order, stage=Stage.INCOMING).aggregate(
        count=Count("pk"), last=Max("inspected_at")
    )
    if not inspected["count"] and not holds.exists():
        return []
    open_ncs = (
        Nonconformance.objects.filter(order=order, inspection__stage=Stage.INCOMING)
        .not_closed()
        .count()
    )
    done = not uninspected and not open_ncs
    due = (
        allocated_due(order, AllocationKind.MATERIALS)
        or PurchaseOrderLine.objects.filter(purchase_order__order=order).aggregate(
            due=Max("promised_date")
        )["due"]
    )
    return [
        Step(
            key="incoming_inspection",
            label=_("Incoming inspection"),
            planned=due,
            actual=_date(inspected["last"]) if done else None,
            done=done,
            detail=_("%(waiting)s receipts awaiting inspection, %(open)s nonconformances open")
            % {"waiting": uninspected, "open": open_ncs},
            url=reverse("quality:order", args=[order.number]),
        )
    ]


def has_product_steps() -> Q:
    """The chain's probe: the order's goods are due for the final inspection, or inspected."""
    inspected = Inspection.objects.filter(order=OuterRef("pk")).exclude(stage=Stage.INCOMING)
    return Q(status__in=_AFTER_PRODUCTION) | Q(Exists(inspected))


def product_steps(order: Order, today: dt.date) -> list[Step]:
    """In-process inspections (done while no nonconformance is open) and the final inspection
    (done when every line has passed one), due on the allocation sheet's quality date."""
    url = reverse("quality:order", args=[order.number])
    found = Inspection.objects.filter(order=order).aggregate(
        in_process=Count("pk", filter=Q(stage=Stage.IN_PROCESS)),
        in_process_last=Max("inspected_at", filter=Q(stage=Stage.IN_PROCESS)),
        final_last=Max("inspected_at", filter=Q(stage=Stage.FINAL, result=Result.PASSED)),
        final_lines=Count(
            "order_line", distinct=True, filter=Q(stage=Stage.FINAL, result=Result.PASSED)
        ),
    )
    open_ncs = (
        Nonconformance.objects.filter(order=order)
        .exclude(inspection__stage=Stage.INCOMING)
        .not_closed()
        .count()
    )
    final_due = allocated_due(order, AllocationKind.QUALITY) or delivery_date(order)
    steps: list[Step] = []
    if found["in_process"]:
        steps.append(
            Step(
                key="in_process_inspection",
                label=_("In-process inspections"),
                planned=allocated_due(order, AllocationKind.PRODUCTION) or final_due,
                actual=_date(found["in_process_last"]) if not open_ncs else None,
                done=not open_ncs,
                detail=_("%(count)s inspections, %(open)s nonconformances open")
                % {"count": found["in_process"], "open": open_ncs},
                url=url,
            )
        )
    lines = order.lines.count()
    if found["final_lines"] or order.status in _AFTER_PRODUCTION:
        done = found["final_lines"] >= lines
        steps.append(
            Step(
                key="final_inspection",
                label=_("Final inspection"),
                planned=final_due,
                actual=_date(found["final_last"]) if done else None,
                done=done,
                detail=_("%(passed)s of %(lines)s lines passed")
                % {"passed": found["final_lines"], "lines": lines},
                url=url,
            )
        )
    return steps


#: Statuses in which an order's goods are due for the final inspection even before any exists.
_AFTER_PRODUCTION = frozenset({Status.IN_EXECUTION})
