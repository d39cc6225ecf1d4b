"""Why an order completes when it does: left-justify its steps, then walk its critical chain.

For each step, starting from the last one, we ask "why could it not start one unit earlier?"
in the plan found: the previous step was still running (routing: follow it), the release date
(material), the frozen window or now (lead time), the centre's calendar, or the centre being
full with other orders' work (the bottleneck). The first cause that is not routing is the one
that binds the date. The answer describes this plan; another plan with the same date could
blame another centre, which is why `Reason.wait_by_centre` is given too.
"""

from __future__ import annotations

from collections.abc import Mapping

from gendan.scheduling.calendar import centre_windows, fits
from gendan.scheduling.greedy import timelines
from gendan.scheduling.model import _topological
from gendan.scheduling.problem import Assignment, OpKey, Order, Problem
from gendan.scheduling.results import Reason, ReasonKind, Step


def left_shift(
    problem: Problem, solution: Mapping[OpKey, Assignment], order_id: str
) -> dict[OpKey, Assignment]:
    """Move the order's movable steps as early as the rest of the plan allows, same centres.

    Other orders stay put, so this never breaks their dates; steps are taken in routing order so
    each one only moves earlier, and the completion never gets later.
    """
    order = problem.order(order_id)
    mine = {(order_id, op.id) for op in order.operations}
    others = [a for k, a in solution.items() if k not in mine]
    lines = timelines(problem, others)
    out = dict(solution)
    preds = _preds(order)
    for op in _topological(order):
        key = (order_id, op.id)
        a = solution[key]
        if problem.is_pinned(*key):
            lines[a.work_centre].reserve(a.start, a.end, op.demand)
            continue
        ready = max(
            [order.release, op.release, problem.frozen_until]
            + [out[(order_id, p)].end for p in preds[op.id]]
        )
        length = a.end - a.start
        start = lines[a.work_centre].earliest(ready, length, op.demand)
        if start is None or start > a.start:
            start = a.start  # keep it where the solver put it
        lines[a.work_centre].reserve(start, start + length, op.demand)
        out[key] = Assignment(order_id, op.id, a.work_centre, start, start + length)
    return out


def _preds(order: Order) -> dict[str, list[str]]:
    preds: dict[str, list[str]] = {op.id: [] for op in order.operations}
    for a, b in order.arcs():
        preds[b].append(a)
    return preds


def _why(
    problem: Problem,
    solution: Mapping[OpKey, Assignment],
    order: Order,
    op_id: str,
) -> tuple[ReasonKind, OpKey | None]:
    """The cause that keeps one step from starting a unit earlier."""
    key = (order.id, op_id)
    a = solution[key]
    op = next(o for o in order.operations if o.id == op_id)
    s = a.start
    for p in _preds(order)[op_id]:
        if solution[(order.id, p)].end >= s:
            return ReasonKind.ROUTING, (order.id, p)
    if (
        max(order.release, op.release) >= s
        and max(order.release, op.release) > problem.frozen_until
    ):
        return ReasonKind.MATERIAL, None
    if problem.frozen_until >= s or problem.is_pinned(*key):
        return ReasonKind.LEAD_TIME, None
    length = a.end - a.start
    centre = problem.centre(a.work_centre)
    if not fits(centre_windows(centre.windows), s - 1, length):
        return ReasonKind.CALENDAR, None
    demands = {(o.id, x.id): x.demand for o, x in problem.operations()}
    used, blocker = 0, None
    for k, b in solution.items():
        if k != key and b.work_centre == a.work_centre and b.start <= s - 1 < b.end:
            used += demands.get(k, 1)
            if blocker is None or b.end < solution[blocker].end:
                blocker = k
    if used + op.demand > centre.capacity:
        return ReasonKind.WORK_CENTRE, blocker
    return ReasonKind.SLACK, None


def explain(problem: Problem, solution: Mapping[OpKey, Assignment], order_id: str) -> Reason:
    """Walk the critical chain back from the order's last step and name what binds."""
    order = problem.order(order_id)
    ops = [(order_id, op.id) for op in order.operations]
    current = max(ops, key=lambda k: (solution[k].end, solution[k].start))
    chain: list[Step] = []
    primary: tuple[ReasonKind, str | None, str | None] | None = None
    while True:
        a = solution[current]
        kind, blocker = _why(problem, solution, order, current[1])
        chain.append(Step(current[1], a.work_centre, a.start, a.end, kind, blocker))
        if kind is not ReasonKind.ROUTING:
            centre = (
                a.work_centre if kind in (ReasonKind.WORK_CENTRE, ReasonKind.CALENDAR) else None
            )
            primary = (kind, centre, current[1])
            break
        assert blocker is not None
        current = blocker
    wait = _waits(problem, solution, order)
    kind, centre, op_id = primary
    return Reason(kind, centre, op_id, tuple(chain), wait, _text(kind, centre, op_id, chain))


def _waits(
    problem: Problem, solution: Mapping[OpKey, Assignment], order: Order
) -> tuple[tuple[str, int], ...]:
    """Per centre, how long the order's steps sat ready but not started (biggest first)."""
    preds = _preds(order)
    total: dict[str, int] = {}
    for op in order.operations:
        a = solution[(order.id, op.id)]
        ready = max(
            [order.release, op.release, problem.frozen_until]
            + [solution[(order.id, p)].end for p in preds[op.id]]
        )
        if a.start > ready:
            total[a.work_centre] = total.get(a.work_centre, 0) + a.start - ready
    return tuple(sorted(total.items(), key=lambda kv: (-kv[1], kv[0])))


def _text(kind: ReasonKind, centre: str | None, op_id: str | None, chain: list[Step]) -> str:
    last = chain[-1]
    if kind is ReasonKind.WORK_CENTRE:
        who = f" (busy with order {last.blocker[0]})" if last.blocker else ""
        return f"bottleneck: step {op_id} waits for work centre {centre}{who} until {last.start}"
    if kind is ReasonKind.CALENDAR:
        return f"calendar: work centre {centre} is closed before {last.start} for step {op_id}"
    if kind is ReasonKind.MATERIAL:
        return f"material: step {op_id} cannot start before its release at {last.start}"
    if kind is ReasonKind.LEAD_TIME:
        return "lead time: no step waits; the date is the order's own processing time"
    return f"step {op_id} has slack in this plan"
