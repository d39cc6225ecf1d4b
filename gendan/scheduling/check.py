"""An independent feasibility checker for plans.

Used to accept a ready-made plan without calling the solver (when the first-free-slot schedule
already keeps every promise), by the benchmark to confirm no promise is broken, and by tests. It
does not share code with the CP-SAT model on purpose: a bug in one is caught by the other.
"""

from __future__ import annotations

from collections.abc import Mapping

from gendan.scheduling.calendar import centre_windows, fits
from gendan.scheduling.problem import Assignment, OpKey, Problem


def violations(
    problem: Problem,
    solution: Mapping[OpKey, Assignment],
    deadlines: Mapping[str, int] | None = None,
) -> list[str]:
    """Every broken constraint of `solution` (empty when it is a valid schedule)."""
    out: list[str] = []
    frozen_until = problem.frozen_until
    events: dict[str, list[tuple[int, int, int]]] = {c.id: [] for c in problem.work_centres}
    for order, op in problem.operations():
        key = (order.id, op.id)
        a = solution.get(key)
        if a is None:
            out.append(f"{key} is not planned")
            continue
        pinned = problem.is_pinned(*key)
        if pinned and problem.plan is not None:
            if problem.plan.get(*key) != a:
                out.append(f"{key} is in the frozen window but moved")
        else:
            if a.work_centre not in op.durations:
                out.append(f"{key} on {a.work_centre}, which cannot do it")
                continue
            length = op.setup + op.durations[a.work_centre]
            if a.end - a.start != length:
                out.append(f"{key} lasts {a.end - a.start}, not {length}")
            if a.start < max(order.release, op.release, frozen_until):
                out.append(f"{key} starts at {a.start}, before its release or the frozen window")
            windows = centre_windows(problem.centre(a.work_centre).windows)
            if length and not fits(windows, a.start, length):
                out.append(f"{key} at {a.start} does not fit a window of {a.work_centre}")
        if a.end > a.start:
            events[a.work_centre].append((a.start, op.demand, 0))
            events[a.work_centre].append((a.end, -op.demand, 0))
    for order in problem.orders:
        for x, y in order.arcs():
            ax, ay = solution.get((order.id, x)), solution.get((order.id, y))
            if ax and ay and ay.start < ax.end:
                out.append(f"{order.id}: {y} starts before {x} ends")
        limit = (deadlines or {}).get(order.id)
        ends = [
            solution[(order.id, op.id)].end
            for op in order.operations
            if (order.id, op.id) in solution
        ]
        if limit is not None and ends and max(ends) > limit:
            out.append(f"{order.id} ends at {max(ends)}, after its deadline {limit}")
    for centre in problem.work_centres:
        level = 0
        for t, delta, _ in sorted(events[centre.id]):
            level += delta
            if level > centre.capacity:
                out.append(f"{centre.id} overloaded at {t}")
                break
    return out


def promises(problem: Problem, *, exclude: str | None = None) -> dict[str, int]:
    """The dates already promised: each order's due date, or its planned end if already later.

    An order the current plan already delivers late cannot be made any later; asking for its
    original due date would make every question infeasible until someone re-promises it.
    """
    planned = problem.plan.order_ends() if problem.plan is not None else {}
    out: dict[str, int] = {}
    for o in problem.orders:
        if o.id == exclude or o.due is None:
            continue
        out[o.id] = max(o.due, planned.get(o.id, o.due))
    return out
