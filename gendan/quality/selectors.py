"""Read-only questions about quality, for pages, the warehouse, shipping and monitoring."""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Sum

from gendan.production.models import WorkOrder, WorkOrderStatus
from gendan.quality.models import (
    Inspection,
    InspectionStandard,
    Nonconformance,
    NonconformanceQuerySet,
    Stage,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from gendan.accounts.models import User
    from gendan.catalog.models import Product
    from gendan.orders.models import OrderLine
    from gendan.purchasing.models import Material

ZERO = Decimal("0")


def open_nonconformances() -> NonconformanceQuerySet:
    """Nonconformances not yet closed (quarantined or in rework), oldest first, each with its
    `.order` and `.inspection` loaded. For the monitoring job and the supervision view."""
    return (
        Nonconformance.objects.not_closed()
        .select_related("order", "inspection")
        .order_by("created_at", "pk")
    )


def standards_for(
    *, stage: str, product: "Product | None" = None, material: "Material | None" = None
) -> list[InspectionStandard]:
    """The active standards that apply at `stage` to the product or material."""
    qs = InspectionStandard.objects.filter(stage=stage, is_active=True)
    qs = qs.filter(product=product) if product is not None else qs.filter(material=material)
    return list(qs.order_by("sequence", "pk"))


def final_work_order(order_line: "OrderLine") -> WorkOrder | None:
    """The last operation of the order line's production: its goods are the finished goods."""
    return (
        WorkOrder.objects.filter(order_line=order_line)
        .exclude(status=WorkOrderStatus.CANCELLED)
        .order_by("-sequence", "-pk")
        .first()
    )


@dataclass(frozen=True)
class LineQuality:
    """Finished goods of one order line, by quality state (quantities in the line's unit)."""

    produced: Decimal  # good quantity of the last work order
    inspected: Decimal  # first final inspections (not re-inspections)
    awaiting_inspection: Decimal  # produced, not yet final-inspected
    quarantined: Decimal  # in not-closed nonconformances of final inspections
    released: Decimal  # passed final inspection, unquarantined or conceded
    quarantine_numbers: tuple[str, ...]


def line_quality(order_line: "OrderLine") -> LineQuality:
    last = final_work_order(order_line)
    produced = last.good_quantity if last is not None else ZERO
    finals = Inspection.objects.filter(order_line=order_line, stage=Stage.FINAL).select_related(
        "nonconformance"
    )
    inspected = ZERO
    released = ZERO
    for inspection in finals:
        if inspection.rework_of_id is None:
            inspected += inspection.quantity
        released += inspection.released_quantity
    open_ncs = Nonconformance.objects.not_closed().filter(
        inspection__order_line=order_line, inspection__stage=Stage.FINAL
    )
    quarantined = open_ncs.aggregate(t=Sum("quantity"))["t"] or ZERO
    return LineQuality(
        produced=produced,
        inspected=inspected,
        awaiting_inspection=max(produced - inspected, ZERO),
        quarantined=quarantined,
        released=released,
        quarantine_numbers=tuple(open_ncs.order_by("number").values_list("number", flat=True)),
    )


def work_orders_for(user: "User") -> "QuerySet[WorkOrder]":
    """Work orders a user may inspect or take goods in from: whoever sees the order, and the
    quality and warehouse (logistics) departments, who work on the goods of every order."""
    from gendan.accounts.models import Role

    if (
        user.is_authenticated
        and user.is_active
        and user.role in (Role.REVIEWER, Role.HEAD)
        and user.department_codes() & {"quality", "logistics"}
    ):
        return WorkOrder.objects.all()
    return WorkOrder.objects.for_user(user)
