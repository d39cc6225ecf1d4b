"""The periodic checks (E9) as a registry: each detector yields the problems it finds now.

A detector is `detector(context) -> Iterable[Finding]`, registered with `@register(kind)`.
A finding names its subject (a model row) and a version; `Finding.key` =
`kind:app_label.model:pk:version` is the notice's identity, so a finding seen again opens no
second notice (see `actions.run_checks`). The version is the date that makes the problem a
new one: a late purchase order's expected date, a work order's planned end, a shortage's
need date. Every detector yields *all* its current findings on each run: a notice whose key is
no longer found is marked "condition cleared".

Another app may add a detector by registering it in its `AppConfig.ready()`.
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.credit.permissions import finance_department
from gendan.ledger.record import subject_of
from gendan.monitoring.models import MonitoringSettings, NoticeKind
from gendan.orders.status import Status

if TYPE_CHECKING:
    from gendan.accounts.models import User
    from gendan.orders.models import Order

logger = logging.getLogger("gendan.monitoring")

ZERO = Decimal("0")
#: Orders are read in slices of this many, so a million orders never sit in memory at once.
CHUNK = 500
#: Orders whose material may run short: committed to, not yet produced.
SHORTAGE_STATUSES = (Status.CONFIRMED, Status.IN_EXECUTION)
#: Orders that accrue cost: production started, order not closed.
COSTING_STATUSES = (
    Status.IN_EXECUTION,
    Status.SHIPPED,
    Status.DELIVERED,
    Status.ACCEPTED,
    Status.CLOSING,
)


@dataclass(frozen=True)
class Finding:
    kind: str
    subject: models.Model
    version: str
    order: "Order | None"
    summary: str
    label: str
    department_code: str
    owner: "User | None" = None
    url: str = ""
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.kind}:{subject_of(self.subject)}:{self.version}"[:200]


@dataclass(frozen=True)
class Context:
    now: dt.datetime
    today: dt.date
    settings: MonitoringSettings


Detector = Callable[[Context], Iterable[Finding]]

#: kind → detector, in the order they run.
DETECTORS: dict[str, Detector] = {}


def register(kind: str) -> Callable[[Detector], Detector]:
    def add(function: Detector) -> Detector:
        DETECTORS[kind] = function
        return function

    return add


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    chunk: list[int] = []
    for pk in ids:
        chunk.append(pk)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- late purchase orders -----------------------------------------------------------------


@register(NoticeKind.LATE_PURCHASE)
def late_purchase_orders(context: Context) -> Iterator[Finding]:
    """Open purchase orders with lines past their expected date; one finding per purchase
    order, versioned by its earliest late date."""
    from gendan.purchasing.models import PurchaseOrderLine

    late: dict[int, list[Any]] = defaultdict(list)
    lines = (
        PurchaseOrderLine.objects.late(context.today)
        .select_related(
            "purchase_order__order", "purchase_order__supplier", "purchase_order__buyer"
        )
        .select_related("material")
        .order_by("purchase_order_id", "expected_date", "id")
    )
    for line in lines.iterator(chunk_size=1000):
        late[line.purchase_order_id].append(line)
    for po_lines in late.values():
        po = po_lines[0].purchase_order
        first = min(line.expected_date for line in po_lines)
        days = (context.today - first).days
        yield Finding(
            kind=NoticeKind.LATE_PURCHASE,
            subject=po,
            version=first.isoformat(),
            order=po.order,
            summary=_(
                "Purchase order %(po)s from %(supplier)s is late: %(count)d line(s) expected "
                "since %(date)s (%(days)d days), e.g. %(material)s"
            )
            % {
                "po": po.number,
                "supplier": po.supplier.name,
                "count": len(po_lines),
                "date": first.isoformat(),
                "days": days,
                "material": po_lines[0].material.name,
            },
            label=po.number,
            department_code="procurement",
            owner=po.buyer if po.buyer.is_active else None,
            url=po.get_absolute_url(),
            facts={
                "purchase_order": po.number,
                "expected_date": first.isoformat(),
                "days_late": days,
                "lines": [
                    {
                        "material": line.material.code,
                        "open": str(line.open_quantity),
                        "expected": line.expected_date.isoformat(),
                    }
                    for line in po_lines
                ],
            },
        )


# --- work orders behind plan --------------------------------------------------------------


@register(NoticeKind.BEHIND_PLAN)
def work_orders_behind_plan(context: Context) -> Iterator[Finding]:
    """Released or running work orders past their planned end; versioned by the planned end,
    so a replanned work order that falls behind again is a new finding."""
    from gendan.production.models import WorkOrder

    behind = (
        WorkOrder.objects.behind_plan(context.now)
        .select_related("order", "owner", "team__leader", "work_centre")
        .order_by("planned_end", "id")
    )
    for wo in behind.iterator(chunk_size=1000):
        hours = int((context.now - wo.planned_end).total_seconds() // 3600)
        owner = wo.owner or (wo.team.leader if wo.team else None)
        yield Finding(
            kind=NoticeKind.BEHIND_PLAN,
            subject=wo,
            version=wo.planned_end.isoformat(timespec="minutes"),
            order=wo.order,
            summary=_(
                "Work order %(wo)s (%(operation)s, %(centre)s) is behind plan: planned to "
                "end %(end)s, %(done)s of %(quantity)s %(unit)s done"
            )
            % {
                "wo": wo.number,
                "operation": wo.name,
                "centre": wo.work_centre.code,
                "end": timezone.localtime(wo.planned_end).strftime("%Y-%m-%d %H:%M"),
                "done": wo.good_quantity,
                "quantity": wo.quantity,
                "unit": wo.unit,
            },
            label=wo.number,
            department_code="production",
            owner=owner if owner is not None and owner.is_active else None,
            url=wo.get_absolute_url(),
            facts={
                "work_order": wo.number,
                "planned_end": wo.planned_end.isoformat(),
                "hours_late": hours,
                "good_quantity": str(wo.good_quantity),
                "quantity": str(wo.quantity),
            },
        )


# --- material shortages -------------------------------------------------------------------


def _need_dates(orders: list[Any]) -> dict[int, dt.date]:
    """Per order: the day before its first planned work order starts, else the promised (or
    requested) delivery date (the purchase plan's need date)."""
    from gendan.production.models import WorkOrder, WorkOrderStatus

    first_starts = dict(
        WorkOrder.objects.filter(order_id__in=[o.pk for o in orders])
        .exclude(status=WorkOrderStatus.CANCELLED)
        .values("order_id")
        .annotate(first=Min("planned_start"))
        .values_list("order_id", "first")
    )
    dates = {}
    for order in orders:
        start = first_starts.get(order.pk)
        if start is not None:
            dates[order.pk] = timezone.localtime(start).date() - dt.timedelta(days=1)
        else:
            dates[order.pk] = order.promised_date or order.requested_date
    return dates


@register(NoticeKind.MATERIAL_SHORTAGE)
def material_shortages(context: Context) -> Iterator[Finding]:
    """Material an order still needs by its need date that neither its reservation, nor its
    purchase orders expected by then, nor free stock cover. Orders are looked at when their
    need date falls within `shortage_horizon_days` working days (or has passed).

        still needed = BOM requirement (with scrap) - already issued to production
        covered      = reserved for the order + its open purchase order quantity expected
                       on or before the need date
        short        = still needed - covered - free stock (stock - all open reservations)

    Free stock is offered to every order that needs it: the first to commit its purchase
    plan takes it, and the next run reports the others.
    """
    from gendan.ledger.models import LedgerEntry
    from gendan.orders.models import Order, OrderLine
    from gendan.purchasing.models import BOMLine, Material, MaterialReservation, PurchaseOrderLine
    from gendan.purchasing.planning import reserved_quantities, round_up
    from gendan.workdays.calendar import add_working_days

    horizon = add_working_days(context.today, context.settings.shortage_horizon_days)
    bom: dict[int, list[BOMLine]] = defaultdict(list)
    for bom_line in BOMLine.objects.all():
        bom[bom_line.product_id].append(bom_line)
    if not bom:
        return
    candidates = (
        Order.objects.filter(status__in=SHORTAGE_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    free_cache: dict[int, Decimal] = {}
    materials: dict[int, Material] = {}
    for chunk in _chunks(candidates.iterator(chunk_size=CHUNK)):
        orders = list(Order.objects.filter(pk__in=chunk).select_related("clerk"))
        need_by = _need_dates(orders)
        due = {o.pk: o for o in orders if need_by[o.pk] <= horizon}
        if not due:
            continue
        gross: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
        lines = OrderLine.objects.filter(order_id__in=list(due)).values_list(
            "order_id", "product_id", "quantity"
        )
        for order_id, product_id, quantity in lines:
            for bom_line in bom.get(product_id, []):
                gross[(order_id, bom_line.material_id)] += bom_line.requirement(quantity)
        if not gross:
            continue
        material_ids = {material_id for _o, material_id in gross}
        missing = material_ids - set(materials)
        materials.update(Material.objects.in_bulk(list(missing)))
        code_to_id = {m.code: pk for pk, m in materials.items()}
        unknown_free = [pk for pk in material_ids if pk not in free_cache]
        reserved_all = reserved_quantities(unknown_free)
        for pk in unknown_free:
            free_cache[pk] = max(materials[pk].stock_on_hand - reserved_all.get(pk, ZERO), ZERO)
        issued: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
        for order_id, data in LedgerEntry.objects.filter(
            order_id__in=list(due), data__step="purchasing", data__event="material_issued"
        ).values_list("order_id", "data"):
            material_id = code_to_id.get(str(data.get("material", "")))
            if material_id is not None:
                issued[(order_id, material_id)] += Decimal(str(data.get("quantity", "0")))
        reserved_here = {
            (order_id, material_id): quantity
            for order_id, material_id, quantity in MaterialReservation.objects.filter(
                order_id__in=list(due)
            ).values_list("order_id", "material_id", "quantity")
        }
        on_order: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
        for po_line in (
            PurchaseOrderLine.objects.open()
            .filter(purchase_order__order_id__in=list(due))
            .select_related("purchase_order")
        ):
            order_id = po_line.purchase_order.order_id
            if po_line.expected_date <= need_by[order_id]:
                on_order[(order_id, po_line.material_id)] += po_line.open_quantity
        for (order_id, material_id), requirement in sorted(gross.items()):
            needed = round_up(requirement) - issued[(order_id, material_id)]
            covered = (
                reserved_here.get((order_id, material_id), ZERO) + on_order[(order_id, material_id)]
            )
            free = free_cache[material_id]
            short = needed - covered - free
            if short <= 0:
                continue
            order = due[order_id]
            material = materials[material_id]
            when = need_by[order_id]
            yield Finding(
                kind=NoticeKind.MATERIAL_SHORTAGE,
                subject=material,
                version=f"{order.pk}:{when.isoformat()}",
                order=order,
                summary=_(
                    "Order %(order)s is short of %(short)s %(unit)s %(material)s needed by "
                    "%(date)s (needs %(needed)s, covered %(covered)s, free stock %(free)s)"
                )
                % {
                    "order": order.number,
                    "short": short,
                    "unit": material.unit,
                    "material": material.name,
                    "date": when.isoformat(),
                    "needed": needed,
                    "covered": covered,
                    "free": free,
                },
                label=f"{order.number} · {material.code}",
                department_code="procurement",
                url=material.get_absolute_url(),
                facts={
                    "material": material.code,
                    "need_by": when.isoformat(),
                    "needed": str(needed),
                    "covered": str(covered),
                    "free_stock": str(free),
                    "short": str(short),
                },
            )


# --- cost overrun -------------------------------------------------------------------------


@register(NoticeKind.COST_OVERRUN)
def cost_overruns(context: Context) -> Iterator[Finding]:
    """Orders in production or after whose actual cost so far (material issued, hours
    reported) exceeds intake's estimate by more than `cost_tolerance_pct` (see `costing`).
    Only orders with a production plan accrue cost. One finding per order."""
    from gendan.monitoring.costing import order_costs
    from gendan.orders.models import Order

    rules = context.settings
    candidates = (
        Order.objects.filter(status__in=COSTING_STATUSES, production_plan__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for chunk in _chunks(candidates.iterator(chunk_size=CHUNK)):
        costs = order_costs(chunk, labour_rate=rules.labour_rate_per_hour)
        over = {
            pk: cost
            for pk, cost in costs.items()
            if (pct := cost.overrun_pct()) is not None and pct > rules.cost_tolerance_pct
        }
        if not over:
            continue
        for order in Order.objects.filter(pk__in=list(over)).order_by("pk"):
            cost = over[order.pk]
            yield Finding(
                kind=NoticeKind.COST_OVERRUN,
                subject=order,
                version="",
                order=order,
                summary=_(
                    "Order %(order)s costs %(actual)s so far, %(pct)s%% over the estimate of "
                    "%(estimate)s (material and labour; tolerance %(tolerance)s%%)"
                )
                % {
                    "order": order.number,
                    "actual": cost.actual,
                    "pct": cost.overrun_pct(),
                    "estimate": cost.estimate,
                    "tolerance": rules.cost_tolerance_pct,
                },
                label=order.number,
                department_code=finance_department(),
                url=order.get_absolute_url(),
                facts={
                    "estimate": str(cost.estimate),
                    "actual": str(cost.actual),
                    "actual_material": str(cost.actual_material.quantize(Decimal("0.01"))),
                    "actual_labour": str(cost.actual_labour.quantize(Decimal("0.01"))),
                    "hours": str(cost.hours),
                    "labour_rate": str(rules.labour_rate_per_hour),
                    "overrun_pct": str(cost.overrun_pct()),
                    "unpriced_materials": cost.unpriced,
                },
            )


# --- failed inspections (the quality app) -------------------------------------------------


@register(NoticeKind.FAILED_INSPECTION)
def failed_inspections(context: Context) -> Iterator[Finding]:
    """Open nonconformances from the quality app (E4): one finding each, until it is closed.
    Does nothing while `gendan.quality` is not installed."""
    if not apps.is_installed("gendan.quality"):
        return
    from gendan.quality.selectors import open_nonconformances

    for nc in open_nonconformances().select_related("order").iterator(chunk_size=1000):
        order = getattr(nc, "order", None)
        label = str(getattr(nc, "number", "") or nc)
        url = nc.get_absolute_url() if hasattr(nc, "get_absolute_url") else ""
        yield Finding(
            kind=NoticeKind.FAILED_INSPECTION,
            subject=nc,
            version="",
            order=order,
            summary=_("Failed inspection, nonconformance %(nc)s is open%(on)s")
            % {
                "nc": label,
                "on": (_(" on order %(order)s") % {"order": order.number}) if order else "",
            },
            label=label[:120],
            department_code="quality",
            url=url,
            facts={"nonconformance": nc.pk},
        )
