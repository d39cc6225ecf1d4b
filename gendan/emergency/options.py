"""Production's answer to an emergency order (U4, S2): the options, their cost and their plans.

Asked of the engine with the customer's date as the order's date:

1. **As requested** - the date holds while every other order keeps its promise (nothing more
   to decide).
2. **Move the date** - the earliest date that keeps every other promise.
3. **Expedite** - force the date; other orders slip, least weighted lateness first, then least
   disturbance of the plan (`expedite_whatif`). Cost: each day of broken promise.
4. **Overtime** on the bottleneck work centre (hours after each shift until the date).
5. **Extra shifts** on the rest days the bottleneck does not work.
6. **Outsource** the order's steps on the bottleneck.

Options 4-6 keep every other promise; each is offered only when it brings the date earlier
than option 2, and is priced by the extra hours it actually uses (or the outside shop's price).
Every option carries its plan so that choosing it updates the plan exactly as shown.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gendan.emergency import conf
from gendan.emergency.models import EmergencyCase, OptionKind
from gendan.planning import conf as planning_conf
from gendan.planning.builder import OUTSOURCED, Built, build
from gendan.planning.calendars import Span, overtime_spans, rest_day_spans
from gendan.scheduling import (
    EarliestDate,
    Operation,
    Order,
    Plan,
    Problem,
    ReasonKind,
    earliest_date,
    expedite_whatif,
    merge_windows,
    violations,
)
from gendan.scheduling.naive import baseline
from gendan.scheduling.problem import Window

ZERO = Decimal("0")
HOURS = Decimal("0.1")


@dataclass
class Draft:
    kind: OptionKind
    summary: str
    promise_date: dt.date | None
    meets_required: bool
    cost: Decimal
    cost_detail: str
    plan: list[list[str]]
    slips: list[dict[str, Any]] = field(default_factory=list)
    moved_orders: list[int] = field(default_factory=list)
    capacity: dict[str, Any] = field(default_factory=dict)
    outsourcing: dict[str, Any] = field(default_factory=dict)
    proven: bool = False
    #: The engine's plan, to find the orders it moves (not stored).
    engine_plan: Plan | None = None


@dataclass
class Computed:
    drafts: list[Draft]
    note: str
    run_id: int | None


def _plan_rows(built: Built, plan: Plan) -> list[list[str]]:
    return [
        [
            a.order_id,
            a.operation_id,
            a.work_centre,
            built.moment(a.start).isoformat(),
            built.moment(a.end).isoformat(),
        ]
        for a in plan
    ]


def _slips(built: Built, plan: Plan, exclude: str) -> list[dict[str, Any]]:
    """Orders that end later in `plan` than in the plan in force, or after their date."""
    before = built.problem.plan.order_ends() if built.problem.plan is not None else {}
    out: list[dict[str, Any]] = []
    for order in built.problem.orders:
        if order.id == exclude:
            continue
        new_end = plan.order_end(order.id)
        if new_end is None:
            continue
        old_end = before.get(order.id)
        delay = max(new_end - old_end, 0) if old_end is not None else 0
        late = max(new_end - order.due, 0) if order.due is not None else 0
        if delay <= 0 and late <= 0:
            continue
        info = built.orders[order.id]
        out.append(
            {
                "order": order.id,
                "order_id": info.pk,
                "clerk_id": info.clerk_id,
                "due": info.due_date.isoformat() if info.due_date else None,
                "planned_end": built.moment(old_end).isoformat() if old_end is not None else None,
                "new_end": built.moment(new_end).isoformat(),
                "delay_hours": float(built.hours(delay)),
                "late_hours": float(built.hours(late)),
            }
        )
    out.sort(key=lambda s: (-s["late_hours"], -s["delay_hours"], s["order"]))
    return out


def _moved(built: Built, plan: Plan, exclude: str) -> list[int]:
    """Ids of the orders (but `exclude`) with a step placed differently from the plan in force."""
    before = built.problem.plan
    moved = set()
    for a in plan:
        if a.order_id == exclude or a.order_id in moved:
            continue
        old = before.get(a.order_id, a.operation_id) if before is not None else None
        if old is None or (old.start, old.work_centre) != (a.start, a.work_centre):
            moved.add(a.order_id)
    return sorted(built.orders[number].pk for number in moved if number in built.orders)


def _lateness(problem: Problem, plan: Plan, exclude: str) -> int:
    """Weighted lateness of the other orders in `plan`."""
    total = 0
    for order in problem.orders:
        end = plan.order_end(order.id)
        if order.id != exclude and order.due is not None and end is not None:
            total += order.weight * max(end - order.due, 0)
    return total


def _disturbance(problem: Problem, plan: Plan) -> int:
    """How far `plan` moves the steps of the plan in force (sum of start shifts)."""
    before = problem.plan
    if before is None:
        return 0
    total = 0
    for a in plan:
        old = before.get(a.order_id, a.operation_id)
        if old is not None:
            total += abs(a.start - old.start)
    return total


def _late_cost(slips: Iterable[dict[str, Any]]) -> tuple[Decimal, Decimal]:
    """(days of broken promise in all, their cost)."""
    days = sum((Decimal(str(s["late_hours"])) / 24 for s in slips), ZERO).quantize(HOURS)
    return days, (days * conf.number("EMERGENCY_LATE_COST_PER_DAY")).quantize(Decimal("1"))


def _with_windows(problem: Problem, code: str, extra: Sequence[Window]) -> Problem:
    centres = tuple(
        replace(c, windows=merge_windows(list(c.windows or ()) + list(extra)))
        if c.id == code and c.windows is not None
        else c
        for c in problem.work_centres
    )
    return replace(problem, work_centres=centres)


def _used(plan: Plan, code: str, windows: Sequence[Window]) -> list[Window]:
    """The parts of the extra windows the plan uses on `code` (trimmed to the work in them)."""
    used = []
    for ws, we in windows:
        inside = [a for a in plan if a.work_centre == code and a.start < we and ws < a.end]
        if inside:
            used.append(
                (max(ws, min(a.start for a in inside)), min(we, max(a.end for a in inside)))
            )
    return used


def _overlap_units(plan: Plan, code: str, windows: Sequence[Window]) -> int:
    total = 0
    for a in plan:
        if a.work_centre != code:
            continue
        for ws, we in windows:
            total += max(min(a.end, we) - max(a.start, ws), 0)
    return total


def _bottleneck(est: EarliestDate) -> str | None:
    reason = est.reason
    if reason is None:
        return None
    if reason.kind in (ReasonKind.WORK_CENTRE, ReasonKind.CALENDAR) and reason.work_centre:
        return reason.work_centre
    waits = [code for code, units in reason.wait_by_centre if units > 0 and code != OUTSOURCED]
    return waits[0] if waits else None


def _outsourced(order: Order, base: str, length: int) -> Order:
    """The order with every part of step `base` replaced by one step at the outside shop."""

    def root(op_id: str) -> str:
        return op_id.split(".", 1)[0]

    ops: list[Operation] = []
    for op in order.operations:
        if root(op.id) == base:
            if not any(o.id == base for o in ops):
                ops.append(Operation(base, {OUTSOURCED: length}))
        else:
            ops.append(op)
    precedence = None
    if order.precedence is not None:
        arcs = []
        for a, b in order.precedence:
            a2 = base if root(a) == base else a
            b2 = base if root(b) == base else b
            if a2 != b2 and (a2, b2) not in arcs:
                arcs.append((a2, b2))
        precedence = tuple(arcs)
    return replace(order, operations=tuple(ops), precedence=precedence)


class _Asker:
    def __init__(self, case: EmergencyCase) -> None:
        self.case = case
        self.order = case.order
        self.built = build(include=[self.order], due_overrides={self.order.pk: case.required_date})
        self.oid = self.order.number
        self.due = self.built.due_units(case.required_date)
        self.limit = float(conf.hours("EMERGENCY_OPTION_SECONDS"))
        self.workers = planning_conf.workers()

    def earliest(self, problem: Problem) -> EarliestDate:
        return earliest_date(
            problem, order_id=self.oid, time_limit=self.limit, num_workers=self.workers
        )

    def settle(self, problem: Problem, plan: Plan, due: int) -> Plan:
        """The plan that meets `due` for the order with the least change to everyone else.

        A date question (earliest date) keeps every promise but may reshuffle other orders
        freely. Two other plans that meet `due` are weighed against it: the order put into
        the gaps of the plan in force (nothing moves), and the expedite what-if at `due`
        (least lateness, then least disturbance). The one with the least weighted lateness
        of the other orders, then the least disturbance, is taken.
        """
        candidates = [plan]
        gaps = baseline(problem, self.oid)
        if gaps is not None and not violations(problem, gaps):
            in_gaps = Plan(tuple(gaps.values()))
            if (in_gaps.order_end(self.oid) or due + 1) <= due:
                candidates.append(in_gaps)
        result = expedite_whatif(
            problem, order_id=self.oid, due=due, time_limit=self.limit, num_workers=self.workers
        )
        if result.plan is not None:
            candidates.append(result.plan)
        return min(
            candidates,
            key=lambda p: (_lateness(problem, p, self.oid), _disturbance(problem, p)),
        )

    def date(self, units: int) -> dt.date:
        return self.built.delivery_date(units)

    def days_late(self, units: int) -> int:
        return (self.date(units) - self.case.required_date).days

    def when(self, units: int) -> str:
        """ "in time for <required date> (ready <day>)" or "on <day>, N days late"."""
        if units <= self.due:
            return _("ready %(ready)s, in time for %(date)s") % {
                "ready": self.date(units),
                "date": self.case.required_date,
            }
        days = self.days_late(units)
        return ngettext(
            "on %(date)s, %(days)d day after the date required",
            "on %(date)s, %(days)d days after the date required",
            days,
        ) % {"date": self.date(units), "days": days}


def _as_requested(ask: _Asker, est: EarliestDate) -> Draft:
    assert est.plan is not None and est.date is not None
    plan = ask.settle(ask.built.problem, est.plan, ask.due)
    return Draft(
        OptionKind.AS_REQUESTED,
        _(
            "Delivered by %(date)s as the customer requires (ready %(ready)s); every other order "
            "keeps its date."
        )
        % {"date": ask.case.required_date, "ready": ask.date(est.date)},
        ask.case.required_date,
        True,
        ZERO,
        _("No extra cost."),
        _plan_rows(ask.built, plan),
        _slips(ask.built, plan, ask.oid),
        proven=True,
        engine_plan=plan,
    )


def _move_date(ask: _Asker, est: EarliestDate) -> Draft:
    assert est.plan is not None and est.date is not None
    plan = ask.settle(ask.built.problem, est.plan, est.date)
    return Draft(
        OptionKind.MOVE_DATE,
        _("Deliver %(when)s; no other order breaks its promise.") % {"when": ask.when(est.date)},
        ask.date(est.date),
        False,
        ZERO,
        _("No extra cost; the customer must accept the later date."),
        _plan_rows(ask.built, plan),
        _slips(ask.built, plan, ask.oid),
        proven=est.proven_optimal,
        engine_plan=plan,
    )


def _expedite(ask: _Asker) -> Draft | None:
    result = expedite_whatif(
        ask.built.problem,
        order_id=ask.oid,
        due=ask.due,
        time_limit=ask.limit,
        num_workers=ask.workers,
    )
    if result.plan is None:
        return None
    slips = _slips(ask.built, result.plan, ask.oid)
    broken = [s for s in slips if s["late_hours"] > 0]
    days, cost = _late_cost(broken)
    return Draft(
        OptionKind.EXPEDITE,
        _(
            "Delivered by %(date)s as required: %(moved)d other orders finish later, "
            "%(broken)d of them after their promised date."
        )
        % {"date": ask.case.required_date, "moved": len(slips), "broken": len(broken)},
        ask.case.required_date,
        True,
        cost,
        _("%(days)s days of broken promises at ¥%(rate)s a day.")
        % {"days": days, "rate": conf.number("EMERGENCY_LATE_COST_PER_DAY")},
        _plan_rows(ask.built, result.plan),
        slips,
        proven=result.proven_optimal,
        engine_plan=result.plan,
    )


def _more_time(
    ask: _Asker, est: EarliestDate, code: str, kind: OptionKind, spans: list[Span]
) -> Draft | None:
    """An option that opens `code` for the extra `spans` (overtime or rest-day shifts)."""
    until = ask.built.moment(ask.due)
    spans = [(s, min(e, until)) for s, e in spans if s < until]
    extra = list(ask.built.scale.windows(spans))
    if not extra or est.date is None:
        return None
    better = ask.earliest(_with_windows(ask.built.problem, code, extra))
    if better.date is None or better.plan is None or better.date >= est.date:
        return None
    # The order needs extra time only before it is done; ask again without the later windows,
    # and keep that answer when it is as good (less extra time booked and paid).
    early = [w for w in extra if w[0] < better.date]
    if early and any(w[0] >= better.date for w in _used(better.plan, code, extra)):
        fewer = ask.earliest(_with_windows(ask.built.problem, code, early))
        if fewer.date is not None and fewer.plan is not None and fewer.date <= better.date:
            better, extra = fewer, early
    assert better.plan is not None and better.date is not None
    plan = ask.settle(_with_windows(ask.built.problem, code, extra), better.plan, better.date)
    used = _used(plan, code, extra)
    hours = ask.built.hours(_overlap_units(plan, code, used))
    rate_name = (
        "EMERGENCY_OVERTIME_COST_PER_HOUR"
        if kind == OptionKind.OVERTIME
        else "EMERGENCY_EXTRA_SHIFT_COST_PER_HOUR"
    )
    rate = conf.number(rate_name)
    meets = better.date <= ask.due
    centre = ask.built.centre_name(code)
    what = (
        _("%(hours)s h of overtime on %(centre)s")
        if kind == OptionKind.OVERTIME
        else _("%(hours)s h of rest-day shifts on %(centre)s")
    ) % {"hours": hours, "centre": centre}
    summary = _("%(what)s: delivered %(when)s; every other order keeps its date.") % {
        "what": what,
        "when": ask.when(better.date),
    }
    return Draft(
        kind,
        summary,
        ask.case.required_date if meets else ask.date(better.date),
        meets,
        (hours * rate).quantize(Decimal("1")),
        _("%(hours)s h at ¥%(rate)s an hour.") % {"hours": hours, "rate": rate},
        _plan_rows(ask.built, plan),
        _slips(ask.built, plan, ask.oid),
        capacity={
            "centre": code,
            "kind": "overtime" if kind == OptionKind.OVERTIME else "extra_shift",
            "spans": [
                [ask.built.moment(s).isoformat(), ask.built.moment(e).isoformat()] for s, e in used
            ],
            "hours": float(hours),
        },
        proven=better.proven_optimal,
        engine_plan=plan,
    )


def _outsource(ask: _Asker, est: EarliestDate, code: str) -> Draft | None:
    """Give the order's steps on `code` to an outside shop."""
    if est.plan is None or est.date is None:
        return None
    steps = {}
    for a in est.plan:
        if a.order_id != ask.oid or a.work_centre != code:
            continue
        ref = ask.built.ops.get(a.key)
        if ref is None or ref.routing_operation_pk is None:
            continue
        steps[a.operation_id.split(".", 1)[0]] = ref
    if not steps:
        return None
    lead_hours = conf.hours("EMERGENCY_OUTSOURCE_LEAD_HOURS")
    length = ask.built.scale.duration(dt.timedelta(hours=lead_hours))
    base, ref = next(iter(steps.items()))
    problem = ask.built.problem
    orders = tuple(_outsourced(o, base, length) if o.id == ask.oid else o for o in problem.orders)
    outsourced = replace(problem, orders=orders)
    better = ask.earliest(outsourced)
    if better.date is None or better.plan is None or better.date >= est.date:
        return None
    plan = ask.settle(outsourced, better.plan, better.date)
    line = ask.order.lines.filter(pk=ref.line_pk).first()
    quantity = line.quantity if line is not None else ZERO
    rate = conf.number("EMERGENCY_OUTSOURCE_COST_PER_UNIT")
    meets = better.date <= ask.due
    summary = _(
        "Outsource %(step)s (%(hours)d h at the outside shop): delivered %(when)s; every other "
        "order keeps its date."
    ) % {"step": ref.name, "hours": lead_hours, "when": ask.when(better.date)}
    return Draft(
        OptionKind.OUTSOURCE,
        summary,
        ask.case.required_date if meets else ask.date(better.date),
        meets,
        (quantity * rate).quantize(Decimal("1")),
        _("%(quantity)s units at ¥%(rate)s.") % {"quantity": quantity.normalize(), "rate": rate},
        _plan_rows(ask.built, plan),
        _slips(ask.built, plan, ask.oid),
        outsourcing={
            "line": ref.line_pk,
            "routing_operation": ref.routing_operation_pk,
            "lead_hours": lead_hours,
            "name": ref.name,
        },
        proven=better.proven_optimal,
        engine_plan=plan,
    )


def compute(case: EmergencyCase) -> Computed:
    """Every option for `case`, best first (those meeting the date, then the cheapest)."""
    ask = _Asker(case)
    run_id = ask.built.run.pk if ask.built.run is not None else None
    if ask.oid in ask.built.unplanned:
        return Computed([], ask.built.unplanned[ask.oid], run_id)
    est = ask.earliest(ask.built.problem)
    if est.date is not None and est.date <= ask.due and est.plan is not None:
        draft = _as_requested(ask, est)
        draft.moved_orders = _moved(ask.built, est.plan, ask.oid)
        return Computed([draft], "", run_id)
    drafts: list[Draft] = []
    if est.date is not None and est.plan is not None:
        drafts.append(_move_date(ask, est))
    expedited = _expedite(ask)
    if expedited is not None:
        drafts.append(expedited)
    code = _bottleneck(est)
    note = ""
    if code is not None and code in ask.built.centres:
        centre = ask.built.centres[code]
        overtime = overtime_spans(
            ask.built.shifts.get(code, []),
            float(conf.number("EMERGENCY_OVERTIME_HOURS")),
            after=ask.built.now,
        )
        today = timezone.localtime(ask.built.now).date()
        rest = rest_day_spans(centre, today, case.required_date, ask.built.calendar)
        for kind, spans in ((OptionKind.OVERTIME, overtime), (OptionKind.EXTRA_SHIFT, rest)):
            option = _more_time(ask, est, code, kind, spans)
            if option is not None:
                drafts.append(option)
        outsourced = _outsource(ask, est, code)
        if outsourced is not None:
            drafts.append(outsourced)
        note = _("Bottleneck: %(centre)s.") % {"centre": centre}
    if est.date is None:
        note = _("No plan keeps every other promise within the time limit.") + " " + note
    for draft in drafts:
        if draft.engine_plan is not None:
            draft.moved_orders = _moved(ask.built, draft.engine_plan, ask.oid)
    drafts.sort(key=lambda d: (not d.meets_required, d.cost, d.promise_date or dt.date.max))
    return Computed(drafts, note.strip(), run_id)
