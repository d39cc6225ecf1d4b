"""The engine's `Problem` built from the database: work centres with their calendars, open
orders with their operations, material release dates and the plan in force.

- **Work centres** → engine centres with windows from their shift calendars on the company's
  working-day calendar (`calendars.py`), plus planners' capacity adjustments. Under
  production's rule a lot is split evenly over a centre's parallel units (`capacity_units`),
  so a step takes set-up + run ÷ units and occupies the whole centre; with the setting
  `PLANNING_SPLIT_LOTS` = 0 a lot runs on one unit instead and the centre runs up to
  `capacity_units` lots side by side (a cumulative resource).
- **Orders**: every order between intake review and execution (and any order asked about).
  An order with work orders is planned from its active work orders (a running one for its
  remaining quantity, fixed where it runs); an order without them from the default routings
  of its lines' products, with the alternative work centres. Lines run in parallel, the steps
  of a line one after the other. The due date is the promised date, else the requested one
  (delivered by the end of that day); the weight favours emergency orders and key accounts.
- **Steps longer than a shift pattern** are cut into parts that each fit one working span (the
  engine never stretches a step over a night off or a holiday).
- **Materials**: the order's release is when its last missing material is usable
  (`materials.py`); orders already in production have their material.
- **Plan in force**: the work orders' planned dates, and for orders without work orders their
  steps in the current stored run. Steps planned in the past that have not started are left
  out (they must be planned again); see `layout.repair_plan` for what the engine can fix.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.orders.models import Order, OrderLine
from gendan.orders.status import Priority, Status
from gendan.planning import conf
from gendan.planning.calendars import Span, shift_spans
from gendan.planning.layout import fit_chain, repair_plan, typical_window, work_end
from gendan.planning.materials import MaterialWait, material_waits, release_of
from gendan.planning.models import CapacityAdjustment, Outsourcing, PlannedOperation, PlanRun
from gendan.production.models import (
    RoutingOperation,
    WorkCentre,
    WorkOrder,
    WorkOrderStatus,
)
from gendan.scheduling import Assignment, Operation, Plan, Problem, TimeScale
from gendan.scheduling import Order as EngineOrder
from gendan.scheduling import WorkCentre as EngineCentre
from gendan.scheduling.problem import OpKey, Window
from gendan.workdays.calendar import WorkingCalendar

#: Orders whose work is still to be planned: accepted for review up to in execution.
PLANNED_STATUSES = frozenset(
    {
        Status.INTAKE_REVIEW,
        Status.DEPARTMENT_REVIEW,
        Status.CONTRACT,
        Status.CONFIRMED,
        Status.IN_EXECUTION,
    }
)
#: The engine centre standing for outside shops: unlimited, always open.
OUTSOURCED = "__outsourced__"
OUTSOURCED_CAPACITY = 10_000
EMERGENCY_WEIGHT = 5
KEY_ACCOUNT_WEIGHT = 2
#: Calendars reach this far beyond the latest date the problem mentions.
CALENDAR_MARGIN_DAYS = 45
MAX_CALENDAR_DAYS = 3 * 366
STARTED = (WorkOrderStatus.IN_PROGRESS, WorkOrderStatus.DONE)
NOT_STARTED = (WorkOrderStatus.DRAFT, WorkOrderStatus.RELEASED)


def split_lots() -> bool:
    return bool(int(str(settings.GENDAN.get("PLANNING_SPLIT_LOTS", 1))))


def weight_of(order: Order) -> int:
    weight = 1
    if order.priority == Priority.EMERGENCY:
        weight *= EMERGENCY_WEIGHT
    if order.customer.is_key_account:
        weight *= KEY_ACCOUNT_WEIGHT
    return weight


def op_id(*, work_order: int | None = None, line: int = 0, routing_op: int = 0) -> str:
    """The engine's id of a step: `w<work order>` or `r<order line>-<routing operation>`."""
    return f"w{work_order}" if work_order is not None else f"r{line}-{routing_op}"


def parse_op_id(value: str) -> tuple[int | None, int | None, int | None]:
    """(work order id, order line id, routing operation id) of an engine step id (or part)."""
    base = value.split(".", 1)[0]
    if base.startswith("w"):
        return int(base[1:]), None, None
    line, routing_op = base[1:].split("-", 1)
    return None, int(line), int(routing_op)


@dataclass(frozen=True)
class OpRef:
    """What an engine step stands for."""

    order_pk: int
    name: str
    line_pk: int
    routing_operation_pk: int | None
    work_order_pk: int | None
    outsourced: bool = False
    running: bool = False
    part: int = 1
    parts: int = 1


@dataclass(frozen=True)
class OrderInfo:
    pk: int
    number: str
    clerk_id: int
    due_date: dt.date | None
    weight: int
    is_emergency: bool


@dataclass
class Built:
    """A problem and what is needed to read its answers back into dates and records."""

    problem: Problem
    scale: TimeScale
    now: dt.datetime
    orders: dict[str, OrderInfo]
    ops: dict[OpKey, OpRef]
    centres: dict[str, WorkCentre]
    shifts: dict[str, list[Span]]
    waits: dict[str, list[MaterialWait]]
    #: Orders that could not be planned, with the reason in words.
    unplanned: dict[str, str]
    calendar: WorkingCalendar
    run: PlanRun | None
    running: set[OpKey] = field(default_factory=set)

    def units(self, moment: dt.datetime) -> int:
        return self.scale.ceil(moment)

    def due_units(self, day: dt.date) -> int:
        """Delivered by `day`: done by the end of that day."""
        return self.scale.floor(_midnight(day + dt.timedelta(days=1)))

    def moment(self, units: int) -> dt.datetime:
        return self.scale.to_datetime(units)

    def delivery_date(self, units: int) -> dt.date:
        """The day an order completing at `units` can be delivered (the day it completes)."""
        return timezone.localtime(self.moment(units) - dt.timedelta(microseconds=1)).date()

    def hours(self, units: int) -> Decimal:
        return Decimal(self.scale.to_timedelta(units).total_seconds() / 3600).quantize(
            Decimal("0.1")
        )

    def centre_name(self, code: str) -> str:
        if code == OUTSOURCED:
            return _("outside shop")
        centre = self.centres.get(code)
        return str(centre) if centre is not None else code


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _due_date(order: Order, overrides: dict[int, dt.date]) -> dt.date | None:
    return overrides.get(order.pk) or order.promised_date or order.requested_date


class _Builder:
    def __init__(
        self,
        now: dt.datetime,
        include: Sequence[Order],
        due_overrides: dict[int, dt.date],
    ) -> None:
        self.now = now
        self.unit = conf.unit()
        origin = _midnight(timezone.localtime(now).date())
        self.scale = TimeScale(origin, self.unit)
        self.due_overrides = due_overrides
        self.split = split_lots()
        self.include = list(include)
        self.unplanned: dict[str, str] = {}
        self.ops: dict[OpKey, OpRef] = {}
        self.running: set[OpKey] = set()
        self.plan: dict[OpKey, Assignment] = {}
        self.demands: dict[OpKey, int] = {}

    # -- loading ------------------------------------------------------------------------

    def load(self) -> None:
        included = {o.pk for o in self.include}
        orders = list(
            Order.objects.filter(status__in=PLANNED_STATUSES)
            .exclude(pk__in=included)
            .select_related("customer")
        ) + [Order.objects.select_related("customer").get(pk=pk) for pk in included]
        far = dt.date.max
        orders.sort(key=lambda o: (_due_date(o, self.due_overrides) or far, o.pk))
        self.orders = orders
        self.work_orders: dict[int, list[WorkOrder]] = defaultdict(list)
        for wo in (
            WorkOrder.objects.filter(order__in=[o.pk for o in orders])
            .exclude(status=WorkOrderStatus.CANCELLED)
            .select_related("work_centre", "order_line")
            .order_by("order_line__position", "sequence", "pk")
        ):
            self.work_orders[wo.order_id].append(wo)
        routed = [o.pk for o in orders if not self.work_orders.get(o.pk)]
        self.lines: dict[int, list[OrderLine]] = defaultdict(list)
        for line in OrderLine.objects.filter(order_id__in=routed).select_related("product"):
            self.lines[line.order_id].append(line)
        self.routing: dict[int, list[RoutingOperation]] = defaultdict(list)
        products = {line.product_id for lines in self.lines.values() for line in lines}
        for rop in (
            RoutingOperation.objects.filter(
                routing__product_id__in=products, routing__is_default=True
            )
            .select_related("routing", "work_centre")
            .order_by("sequence")
        ):
            self.routing[rop.routing.product_id].append(rop)
        rop_ids = {rop.pk for rops in self.routing.values() for rop in rops} | {
            wo.operation_id for wos in self.work_orders.values() for wo in wos if wo.operation_id
        }
        self.alternatives: dict[int, list[int]] = defaultdict(list)
        through = RoutingOperation.alternative_work_centres.through
        for rop_id, centre_id in through.objects.filter(
            routingoperation_id__in=rop_ids
        ).values_list("routingoperation_id", "workcentre_id"):
            self.alternatives[rop_id].append(centre_id)
        self.outsourced = {
            (o.order_line_id, o.routing_operation_id): o
            for o in Outsourcing.objects.filter(order_id__in=[o.pk for o in orders])
        }
        self.centres_by_pk = WorkCentre.objects.in_bulk()
        self.run = PlanRun.objects.current()
        not_started = [
            o
            for o in orders
            if not any(wo.status in STARTED for wo in self.work_orders.get(o.pk, []))
        ]
        self.waits = {
            pk: waits
            for pk, waits in material_waits(
                not_started, today=timezone.localtime(self.now).date()
            ).items()
        }

    # -- calendars ----------------------------------------------------------------------

    def calendars(self) -> None:
        today = timezone.localtime(self.now).date()
        latest = today + dt.timedelta(days=conf.horizon_days())
        dates = [_due_date(o, self.due_overrides) for o in self.orders]
        dates += [
            timezone.localtime(m).date()
            for waits in self.waits.values()
            if (m := release_of(waits)) is not None
        ]
        dates += [
            timezone.localtime(wo.planned_end).date()
            for wos in self.work_orders.values()
            for wo in wos
        ]
        for day in dates:
            if day is not None:
                latest = max(latest, day + dt.timedelta(days=CALENDAR_MARGIN_DAYS))
        latest = min(latest, today + dt.timedelta(days=MAX_CALENDAR_DAYS))
        first = today - dt.timedelta(days=1)
        self.calendar = WorkingCalendar(first, latest)
        extra: dict[int, list[Span]] = defaultdict(list)
        for adj in CapacityAdjustment.objects.filter(
            ends_at__gt=self.now, starts_at__lt=_midnight(latest)
        ):
            extra[adj.work_centre_id].append((adj.starts_at, adj.ends_at))
        self.shifts: dict[str, list[Span]] = {}
        self.windows: dict[str, tuple[Window, ...]] = {}
        self.engine_centres: list[EngineCentre] = []
        for centre in self.centres_by_pk.values():
            if not centre.is_active:
                continue
            spans = shift_spans(centre, first, latest, self.calendar)
            self.shifts[centre.code] = spans
            windows = self.scale.windows(spans + extra.get(centre.pk, []))
            self.windows[centre.code] = windows
            capacity = 1 if self.split else centre.capacity_units
            self.engine_centres.append(EngineCentre(centre.code, capacity, windows))
        self.engine_centres.append(EngineCentre(OUTSOURCED, OUTSOURCED_CAPACITY, None))

    # -- orders -------------------------------------------------------------------------

    def _length(self, centre: WorkCentre, setup: int, run: Decimal) -> int:
        units = centre.capacity_units if self.split else 1
        minutes = Decimal(setup) + run / max(units, 1)
        return max(self.scale.duration(dt.timedelta(minutes=float(minutes))), 1)

    def _parts(self, lengths: dict[str, int]) -> tuple[int, dict[str, int]] | None:
        """How many shift-sized parts a step needs, and each part's length per centre."""
        parts = 1
        usable: dict[str, int] = {}
        for code, length in lengths.items():
            typical = typical_window(self.windows.get(code, ()))
            if typical is None or typical <= 0:
                continue
            usable[code] = length
            parts = max(parts, -(-length // typical))
        if not usable:
            return None
        return parts, {code: -(-length // parts) for code, length in usable.items()}

    def _step(
        self,
        engine_ops: list[Operation],
        chain: list[str],
        order: Order,
        ref: OpRef,
        base_id: str,
        lengths: dict[str, int],
    ) -> str | None:
        """Add one step (maybe in parts) to `engine_ops`; None if no centre can do it."""
        if ref.outsourced:
            engine_ops.append(Operation(base_id, {OUTSOURCED: lengths[OUTSOURCED]}))
            self.ops[(order.number, base_id)] = ref
            chain.append(base_id)
            return base_id
        split = self._parts(lengths)
        if split is None:
            return None
        parts, part_lengths = split
        for part in range(1, parts + 1):
            pid = base_id if parts == 1 else f"{base_id}.{part}"
            engine_ops.append(Operation(pid, dict(part_lengths)))
            self.ops[(order.number, pid)] = OpRef(
                ref.order_pk,
                ref.name,
                ref.line_pk,
                ref.routing_operation_pk,
                ref.work_order_pk,
                part=part,
                parts=parts,
            )
            self.demands[(order.number, pid)] = 1
            chain.append(pid)
        return base_id

    def _centres_of(self, main_id: int, rop_id: int | None) -> list[WorkCentre]:
        ids = [main_id] + (self.alternatives.get(rop_id, []) if rop_id else [])
        return [
            self.centres_by_pk[pk]
            for pk in dict.fromkeys(ids)
            if pk in self.centres_by_pk and self.centres_by_pk[pk].code in self.windows
        ]

    def _outsourcing_length(self, line_pk: int, rop_pk: int | None) -> int | None:
        if rop_pk is None or (line_pk, rop_pk) not in self.outsourced:
            return None
        hours = self.outsourced[(line_pk, rop_pk)].lead_hours
        return max(self.scale.duration(dt.timedelta(hours=hours)), 1)

    def _from_work_orders(
        self, order: Order, wos: list[WorkOrder]
    ) -> tuple[list[Operation], list[list[str]]] | str:
        engine_ops: list[Operation] = []
        chains: dict[int, list[str]] = defaultdict(list)
        now_u = self.scale.floor(self.now)
        for wo in wos:
            if wo.status == WorkOrderStatus.DONE:
                continue
            base = op_id(work_order=wo.pk)
            key = (order.number, base)
            if wo.status == WorkOrderStatus.IN_PROGRESS:
                code = wo.work_centre.code
                left = wo.run_minutes_per_unit * wo.remaining_quantity
                length = self._length(wo.work_centre, 0, left)
                began = min(self.scale.floor(wo.actual_start or wo.planned_start), now_u - 1)
                end = max(work_end(self.windows.get(code, ()), now_u, length), now_u + 1)
                engine_ops.append(Operation(base, {code: end - began}))
                self.ops[key] = OpRef(
                    order.pk, wo.name, wo.order_line_id, wo.operation_id, wo.pk, running=True
                )
                self.running.add(key)
                self.demands[key] = 1
                self.plan[key] = Assignment(order.number, base, code, began, end)
                chains[wo.order_line_id].append(base)
                continue
            outsourced = self._outsourcing_length(wo.order_line_id, wo.operation_id)
            ref = OpRef(
                order.pk, wo.name, wo.order_line_id, wo.operation_id, wo.pk, outsourced is not None
            )
            if outsourced is not None:
                lengths = {OUTSOURCED: outsourced}
            else:
                lengths = {
                    c.code: self._length(c, wo.setup_minutes, wo.run_minutes_per_unit * wo.quantity)
                    for c in self._centres_of(wo.work_centre_id, wo.operation_id)
                }
            first = len(engine_ops)
            if self._step(engine_ops, chains[wo.order_line_id], order, ref, base, lengths) is None:
                return _("%(centre)s has no working time in the planning horizon.") % {
                    "centre": wo.work_centre
                }
            self._in_force(order, engine_ops[first:], wo.work_centre.code, wo.planned_start)
        return engine_ops, list(chains.values())

    def _in_force(
        self, order: Order, parts: list[Operation], code: str, start: dt.datetime
    ) -> None:
        """The work order's planned dates as the plan in force (not if already past)."""
        if start < self.now or not parts or code not in parts[0].durations:
            return
        placed = fit_chain(
            self.windows.get(code, ()),
            self.scale.ceil(start),
            [p.durations[code] for p in parts],
        )
        if placed is None:
            return
        for part, (s, e) in zip(parts, placed, strict=True):
            self.plan[(order.number, part.id)] = Assignment(order.number, part.id, code, s, e)

    def _from_routings(
        self, order: Order, lines: list[OrderLine]
    ) -> tuple[list[Operation], list[list[str]]] | str:
        engine_ops: list[Operation] = []
        chains: list[list[str]] = []
        for line in lines:
            rops = self.routing.get(line.product_id)
            if not rops:
                return _("No routing for %(product)s: add one in the master data.") % {
                    "product": line.product.code
                }
            chain: list[str] = []
            for rop in rops:
                base = op_id(line=line.pk, routing_op=rop.pk)
                outsourced = self._outsourcing_length(line.pk, rop.pk)
                ref = OpRef(order.pk, rop.name, line.pk, rop.pk, None, outsourced is not None)
                if outsourced is not None:
                    lengths = {OUTSOURCED: outsourced}
                else:
                    lengths = {
                        c.code: self._length(
                            c, rop.setup_minutes, rop.run_minutes_per_unit * line.quantity
                        )
                        for c in self._centres_of(rop.work_centre_id, rop.pk)
                    }
                if self._step(engine_ops, chain, order, ref, base, lengths) is None:
                    return _("%(centre)s has no working time in the planning horizon.") % {
                        "centre": rop.work_centre
                    }
            chains.append(chain)
        if not engine_ops:
            return _("The order has no lines to plan.")
        return engine_ops, chains

    def orders_(self) -> list[EngineOrder]:
        out: list[EngineOrder] = []
        self.info: dict[str, OrderInfo] = {}
        for order in self.orders:
            wos = self.work_orders.get(order.pk)
            built = (
                self._from_work_orders(order, wos)
                if wos
                else self._from_routings(order, self.lines.get(order.pk, []))
            )
            if isinstance(built, str):
                self.unplanned[order.number] = built
                continue
            engine_ops, chains = built
            if not engine_ops:
                self.unplanned[order.number] = _("Every operation of the order is done.")
                continue
            due = _due_date(order, self.due_overrides)
            arcs = tuple((c[i], c[i + 1]) for c in chains for i in range(len(c) - 1))
            release = release_of(self.waits.get(order.pk, []))
            weight = weight_of(order)
            out.append(
                EngineOrder(
                    id=order.number,
                    operations=tuple(engine_ops),
                    due=self._due_units(due) if due else None,
                    weight=weight,
                    release=max(self.scale.ceil(release), 0) if release else 0,
                    precedence=arcs if len(chains) > 1 else None,
                )
            )
            self.info[order.number] = OrderInfo(
                order.pk,
                order.number,
                order.clerk_id,
                due,
                weight,
                order.priority == Priority.EMERGENCY,
            )
        return out

    def _due_units(self, day: dt.date) -> int:
        return self.scale.floor(_midnight(day + dt.timedelta(days=1)))

    # -- the stored run -----------------------------------------------------------------

    def stored(self, engine_orders: Iterable[EngineOrder]) -> None:
        """Steps of orders without work orders: their place in the current run."""
        if self.run is None:
            return
        by_id = {(o.id, op.id): op for o in engine_orders for op in o.operations}
        routed = {
            self.info[o.id].pk
            for o in engine_orders
            if not self.work_orders.get(self.info[o.id].pk)
        }
        rows = PlannedOperation.objects.filter(run=self.run, order_id__in=routed).values_list(
            "order__number", "op_key", "work_centre__code", "outsourced", "starts_at"
        )
        for number, key, code, outsourced, starts_at in rows:
            step = by_id.get((number, key))
            centre = OUTSOURCED if outsourced else code
            # A step whose planned start has passed is planned again; one about to start
            # (in the frozen window) stays where the plan put it.
            if step is None or centre not in step.durations or starts_at < self.now:
                continue
            start = self.scale.ceil(starts_at)
            self.plan[(number, key)] = Assignment(
                number, key, centre, start, start + step.durations[centre]
            )

    def settle_running(self) -> None:
        """Running steps sharing a full centre are put one after the other."""
        by_centre: dict[str, list[OpKey]] = defaultdict(list)
        for key in self.running:
            by_centre[self.plan[key].work_centre].append(key)
        capacity = {c.id: c.capacity for c in self.engine_centres}
        for code, keys in by_centre.items():
            keys.sort(key=lambda k: self.plan[k].start)
            placed: list[Assignment] = []
            for key in keys:
                a = self.plan[key]
                while True:
                    overlapping = [b for b in placed if b.start < a.end and a.start < b.end]
                    if len(overlapping) < capacity[code]:
                        break
                    shift = min(b.end for b in overlapping) - a.start
                    a = Assignment(a.order_id, a.operation_id, code, a.start + shift, a.end + shift)
                self.plan[key] = a
                placed.append(a)


def build(
    *,
    now: dt.datetime | None = None,
    include: Sequence[Order] = (),
    due_overrides: dict[int, dt.date] | None = None,
) -> Built:
    """The problem of every open order (and of `include`), as of `now`.

    `due_overrides` (order id → date) replaces an order's date, e.g. the date an emergency
    order's customer requires.
    """
    b = _Builder(now or timezone.now(), include, dict(due_overrides or {}))
    b.load()
    b.calendars()
    engine_orders = b.orders_()
    b.stored(engine_orders)
    b.settle_running()
    frozen = b.scale.duration(conf.frozen())
    now_u = b.scale.ceil(b.now)
    # Running steps were settled one after the other: their length follows the plan.
    engine_orders = [_fit_running(o, b.plan, b.running) for o in engine_orders]
    draft = Problem(tuple(b.engine_centres), tuple(engine_orders), None, now_u, frozen)
    kept = repair_plan(draft, b.plan, always_pinned=b.running, demands=b.demands)
    problem = Problem(
        tuple(b.engine_centres),
        tuple(engine_orders),
        Plan(tuple(kept.values())) if kept else None,
        now_u,
        frozen,
    )
    problem.validate()
    return Built(
        problem=problem,
        scale=b.scale,
        now=b.now,
        orders=b.info,
        ops=b.ops,
        centres={c.code: c for c in b.centres_by_pk.values()},
        shifts=b.shifts,
        waits={o.number: b.waits[o.pk] for o in b.orders if o.pk in b.waits and o.number in b.info},
        unplanned=b.unplanned,
        calendar=b.calendar,
        run=b.run,
        running=b.running,
    )


def _fit_running(
    order: EngineOrder, plan: dict[OpKey, Assignment], running: set[OpKey]
) -> EngineOrder:
    ops = []
    changed = False
    for op in order.operations:
        key = (order.id, op.id)
        if key in running:
            a = plan[key]
            if op.durations.get(a.work_centre) != a.end - a.start:
                op = Operation(op.id, {a.work_centre: a.end - a.start})
                changed = True
        ops.append(op)
    if not changed:
        return order
    return EngineOrder(
        order.id, tuple(ops), order.due, order.weight, order.release, order.precedence
    )


def run_plan(built: Built, run: PlanRun | None) -> Plan | None:
    """A stored run as an engine plan over `built`'s steps (the warm start of a re-plan)."""
    if run is None:
        return None
    steps = {(o.id, op.id): op for o in built.problem.orders for op in o.operations}
    out: list[Assignment] = []
    rows = PlannedOperation.objects.filter(run=run).values_list(
        "order__number", "op_key", "work_centre__code", "outsourced", "starts_at"
    )
    for number, key, code, outsourced, starts_at in rows:
        step = steps.get((number, key))
        centre = OUTSOURCED if outsourced else code
        if step is None or centre not in step.durations:
            continue
        start = built.scale.ceil(starts_at)
        out.append(Assignment(number, key, centre, start, start + step.durations[centre]))
    return Plan(tuple(out)) if out else None
