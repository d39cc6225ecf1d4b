"""Fast list scheduling without a solver: the naive comparator and the solver's first hint.

`Timeline` is a work centre's load profile with its calendar; `place` puts one operation at the
earliest time it fits after a given time. `list_schedule` is the serial schedule-generation
scheme: operations are placed one by one, in a priority order that respects precedence, each at
its earliest fit, never moving anything already placed. With the current plan placed first, that
is exactly what "first free slot" planners (Odoo, ERPNext) do; with a good priority rule it is a
decent starting schedule that CP-SAT then improves.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping

from gendan.scheduling.calendar import centre_windows, earliest_fit
from gendan.scheduling.problem import Assignment, Operation, OpKey, Order, Problem, WorkCentre

NEG = -(2**40)


class Timeline:
    """Step profile of the capacity used on one work centre, plus its calendar."""

    def __init__(self, centre: WorkCentre) -> None:
        self.capacity = centre.capacity
        self.windows = centre_windows(centre.windows)
        self.times: list[int] = [NEG]
        self.levels: list[int] = [0]

    def earliest(self, t: int, length: int, demand: int) -> int | None:
        """The earliest start >= t where the operation fits the calendar and the free capacity."""
        s = earliest_fit(self.windows, t, length)
        while s is not None:
            if length == 0:
                return s
            i = bisect_right(self.times, s) - 1
            blocked_until: int | None = None
            while i < len(self.times) and self.times[i] < s + length:
                if self.levels[i] + demand > self.capacity:
                    blocked_until = self.times[i + 1]
                    break
                i += 1
            if blocked_until is None:
                return s
            s = earliest_fit(self.windows, blocked_until, length)
        return None

    def _split(self, t: int) -> int:
        i = bisect_right(self.times, t) - 1
        if self.times[i] != t:
            self.times.insert(i + 1, t)
            self.levels.insert(i + 1, self.levels[i])
            i += 1
        return i

    def reserve(self, start: int, end: int, demand: int) -> None:
        """Occupy `demand` units of capacity on [start, end)."""
        if end <= start:
            return
        i = self._split(start)
        j = self._split(end)
        for k in range(i, j):
            self.levels[k] += demand

    def busy(self) -> list[tuple[int, int, int]]:
        """(start, end, level) segments with a non-zero load, for tests and explanations."""
        return [
            (self.times[k], self.times[k + 1], self.levels[k])
            for k in range(len(self.times) - 1)
            if self.levels[k]
        ]


def timelines(problem: Problem, placed: Iterable[Assignment] = ()) -> dict[str, Timeline]:
    """One timeline per work centre, loaded with `placed` (which may break the calendar)."""
    lines = {c.id: Timeline(c) for c in problem.work_centres}
    ops = {(o.id, op.id): op for o, op in problem.operations()}
    for a in placed:
        op = ops.get(a.key)
        lines[a.work_centre].reserve(a.start, a.end, op.demand if op else 1)
    return lines


def ready_time(problem: Problem, order: Order, op: Operation) -> int:
    """The earliest start of an unpinned operation: releases and the end of the frozen window."""
    return max(order.release, op.release, problem.frozen_until)


def place(
    lines: Mapping[str, Timeline], order_id: str, op: Operation, ready: int
) -> Assignment | None:
    """Put `op` on the alternative where it finishes first, at its earliest fit after `ready`."""
    best: Assignment | None = None
    for cid, d in sorted(op.durations.items()):
        length = op.setup + d
        s = lines[cid].earliest(ready, length, op.demand)
        if s is not None and (best is None or s + length < best.end):
            best = Assignment(order_id, op.id, cid, s, s + length)
    if best is not None:
        lines[best.work_centre].reserve(best.start, best.end, op.demand)
    return best


Priority = Callable[[Order, Operation], tuple[int | float, ...]]


def list_schedule(
    problem: Problem,
    *,
    orders: Iterable[Order],
    fixed: Iterable[Assignment] = (),
    priority: Priority | None = None,
) -> dict[OpKey, Assignment] | None:
    """Serial schedule generation: place every operation of `orders` around the `fixed` ones.

    Among the operations whose predecessors are placed, the one with the smallest `priority`
    goes next (default: earliest ready time, then routing position). Returns None when some
    operation fits nowhere (its calendar windows run out).
    """
    fixed = list(fixed)
    lines = timelines(problem, fixed)
    result: dict[OpKey, Assignment] = {a.key: a for a in fixed}
    heap: list[tuple[tuple[int | float, ...], int, str, str]] = []
    preds: dict[OpKey, list[OpKey]] = {}
    succs: dict[OpKey, list[OpKey]] = {}
    ops: dict[OpKey, tuple[Order, Operation]] = {}
    counter = 0
    for order in orders:
        for op in order.operations:
            ops[(order.id, op.id)] = (order, op)
            preds.setdefault((order.id, op.id), [])
            succs.setdefault((order.id, op.id), [])
        for a, b in order.arcs():
            preds[(order.id, b)].append((order.id, a))
            succs[(order.id, a)].append((order.id, b))
    missing = {k: sum(1 for p in preds[k] if p not in result) for k in ops}

    def ready_of(key: OpKey) -> int:
        order, op = ops[key]
        t = ready_time(problem, order, op)
        return max([t] + [result[p].end for p in preds[key]])

    def push(key: OpKey) -> None:
        nonlocal counter
        order, op = ops[key]
        rank = priority(order, op) if priority else ()
        heapq.heappush(heap, ((*rank, ready_of(key)), counter, *key))
        counter += 1

    for key, n in missing.items():
        if n == 0 and key not in result:
            push(key)
    while heap:
        _, _, oid, opid = heapq.heappop(heap)
        key = (oid, opid)
        order, op = ops[key]
        placed = place(lines, oid, op, ready_of(key))
        if placed is None:
            return None
        result[key] = placed
        for s in succs[key]:
            missing[s] -= 1
            if missing[s] == 0 and s not in result:
                push(s)
    return result
