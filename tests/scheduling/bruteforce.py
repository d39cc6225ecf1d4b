"""An independent, exhaustive scheduler for tiny problems, to check the engine against.

It enumerates every precedence-feasible order of the operations and every choice of work centre,
and builds each schedule with the serial schedule-generation scheme on a unit-by-unit timetable.
For any objective that only gets worse when operations end later (a completion date, a set of
deadlines) some optimal schedule is active, and every active schedule is produced this way by the
list of its operations sorted by start time; so the best schedule found here is optimal. Shares no
code with the engine beyond the data classes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from gendan.scheduling import Assignment, Operation, Order, Problem

HORIZON = 200


def _topological_orders(problem: Problem) -> Iterator[list[tuple[Order, Operation]]]:
    ops = [(o, op) for o in problem.orders for op in o.operations]
    preds = {(o.id, op.id): set() for o, op in ops}
    for o in problem.orders:
        for a, b in o.arcs():
            preds[(o.id, b)].add((o.id, a))

    def extend(done: list[tuple[Order, Operation]], placed: set) -> Iterator[list]:
        if len(done) == len(ops):
            yield list(done)
            return
        for o, op in ops:
            key = (o.id, op.id)
            if key not in placed and preds[key] <= placed:
                done.append((o, op))
                placed.add(key)
                yield from extend(done, placed)
                done.pop()
                placed.remove(key)

    yield from extend([], set())


def _available(problem: Problem, centre_id: str, t: int) -> bool:
    windows = problem.centre(centre_id).windows
    return windows is None or any(s <= t < e for s, e in windows)


def schedules(problem: Problem) -> Iterator[dict[tuple[str, str], Assignment]]:
    """Every schedule the serial scheme builds, over all lists and all centre choices."""
    ops = [(o, op) for o in problem.orders for op in o.operations]
    choices = [sorted(op.durations) for _, op in ops]
    for choice in itertools.product(*choices):
        centre_of = {(o.id, op.id): c for (o, op), c in zip(ops, choice, strict=True)}
        for order_list in _topological_orders(problem):
            usage = {c.id: [0] * HORIZON for c in problem.work_centres}
            out: dict[tuple[str, str], Assignment] = {}
            ok = True
            for o, op in order_list:
                key = (o.id, op.id)
                c = centre_of[key]
                length = op.setup + op.durations[c]
                ready = max(
                    [o.release, op.release, problem.frozen_until]
                    + [out[(o.id, a)].end for a, b in o.arcs() if b == op.id]
                )
                cap = problem.centre(c).capacity
                start = next(
                    (
                        s
                        for s in range(ready, HORIZON - length)
                        if all(
                            _available(problem, c, t) and usage[c][t] + op.demand <= cap
                            for t in range(s, s + length)
                        )
                    ),
                    None,
                )
                if start is None:
                    ok = False
                    break
                for t in range(start, start + length):
                    usage[c][t] += op.demand
                out[key] = Assignment(o.id, op.id, c, start, start + length)
            if ok:
                yield out


def order_end(schedule: dict[tuple[str, str], Assignment], order_id: str) -> int:
    return max(a.end for a in schedule.values() if a.order_id == order_id)


def best_completion(problem: Problem, order_id: str, deadlines: dict[str, int]) -> int | None:
    """The earliest completion of `order_id` with every other order within its deadline."""
    best: int | None = None
    for sched in schedules(problem):
        if all(order_end(sched, oid) <= d for oid, d in deadlines.items()):
            end = order_end(sched, order_id)
            best = end if best is None else min(best, end)
    return best


def valid(problem: Problem, plan: dict[tuple[str, str], Assignment]) -> bool:
    """A unit-by-unit check of a plan: lengths, releases, routing, calendars and capacity."""
    usage: dict[str, dict[int, int]] = {c.id: {} for c in problem.work_centres}
    for o in problem.orders:
        for op in o.operations:
            a = plan[(o.id, op.id)]
            if a.end - a.start != op.setup + op.durations[a.work_centre]:
                return False
            if a.start < max(o.release, op.release, problem.frozen_until):
                return False
            for t in range(a.start, a.end):
                if not _available(problem, a.work_centre, t):
                    return False
                usage[a.work_centre][t] = usage[a.work_centre].get(t, 0) + op.demand
        for x, y in o.arcs():
            if plan[(o.id, y)].start < plan[(o.id, x)].end:
                return False
    return all(
        level <= problem.centre(c).capacity
        for c, times in usage.items()
        for level in times.values()
    )
