"""Small placement helpers on engine windows, and the repair of the plan in force.

The plan in force comes from people and from an older engine run; the engine takes the part of
it inside the frozen window as fixed. A fixed step that overlaps another fixed step on a full
work centre, or that starts before a step it follows has finished, would make every question
infeasible, so such steps are released (they stay a hint, not a constraint).
"""

from collections.abc import Mapping, Sequence

from gendan.scheduling.calendar import earliest_fit
from gendan.scheduling.problem import Assignment, OpKey, Order, Problem, Window


def fit_chain(windows: Sequence[Window], t: int, lengths: Sequence[int]) -> list[Window] | None:
    """Place parts of `lengths` one after the other from `t`, each inside one window."""
    out: list[Window] = []
    for length in lengths:
        start = earliest_fit(tuple(windows), t, length)
        if start is None:
            return None
        out.append((start, start + length))
        t = start + length
    return out


def work_end(windows: Sequence[Window], t: int, length: int) -> int:
    """When `length` units of work started at `t` end, counting only open time."""
    left = length
    for ws, we in windows:
        if we <= t:
            continue
        start = max(ws, t)
        if we - start >= left:
            return start + left
        left -= we - start
        t = we
    return t + left


def typical_window(windows: Sequence[Window]) -> int | None:
    """The most common window length of a calendar (None when it never opens)."""
    counts: dict[int, int] = {}
    for ws, we in windows:
        counts[we - ws] = counts.get(we - ws, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda length: (counts[length], length))


def _preds(order: Order) -> dict[str, list[str]]:
    preds: dict[str, list[str]] = {op.id: [] for op in order.operations}
    for a, b in order.arcs():
        preds[b].append(a)
    return preds


def repair_plan(
    problem: Problem,
    plan: Mapping[OpKey, Assignment],
    *,
    always_pinned: set[OpKey],
    demands: Mapping[OpKey, int],
) -> dict[OpKey, Assignment]:
    """The plan without the fixed steps the engine could not honour.

    A step is fixed when it starts before the end of the frozen window. Running steps
    (`always_pinned`) stay; a fixed step that has not started is dropped from the plan when a
    step before it in its order is not fixed or ends after it starts, or when it overlaps fixed
    steps beyond its centre's capacity. Repeats until nothing changes.
    """
    frozen_until = problem.frozen_until
    kept = dict(plan)
    capacity = {c.id: c.capacity for c in problem.work_centres}
    changed = True
    while changed:
        changed = False
        for order in problem.orders:
            preds = _preds(order)
            for op in order.operations:
                key = (order.id, op.id)
                a = kept.get(key)
                if a is None or a.start >= frozen_until or key in always_pinned:
                    continue
                for p in preds[op.id]:
                    b = kept.get((order.id, p))
                    if b is None or b.start >= frozen_until or b.end > a.start:
                        del kept[key]
                        changed = True
                        break
        fixed: dict[str, list[tuple[Assignment, OpKey]]] = {}
        for key, a in kept.items():
            if a.start < frozen_until:
                fixed.setdefault(a.work_centre, []).append((a, key))
        for centre, items in fixed.items():
            items.sort(key=lambda item: (item[1] not in always_pinned, item[0].start))
            placed: list[tuple[Assignment, int]] = []
            for a, key in items:
                demand = demands.get(key, 1)
                load = sum(d for b, d in placed if b.start < a.end and a.start < b.end)
                if load + demand <= capacity.get(centre, 1):
                    placed.append((a, demand))
                elif key not in always_pinned:
                    del kept[key]
                    changed = True
    return kept
