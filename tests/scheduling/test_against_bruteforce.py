"""check_promise and earliest_date agree with exhaustive search on small random factories."""

from __future__ import annotations

import random

import pytest

from gendan.scheduling import (
    Answer,
    Operation,
    Order,
    Problem,
    WorkCentre,
    check_promise,
    earliest_date,
)
from gendan.scheduling.problem import Window

from .bruteforce import best_completion, valid

SEEDS = range(60)


def random_problem(seed: int) -> Problem:
    """2-3 orders x 1-3 steps on 2-3 centres, with capacity 2, alternatives, calendars,
    set-ups and release dates mixed in; at most 7 operations so enumeration stays cheap."""
    rng = random.Random(seed)
    centres: list[WorkCentre] = []
    for k in range(rng.choice([2, 2, 3])):
        windows: tuple[Window, ...] | None = None
        if rng.random() < 0.35:
            # open 5-7 units, closed 2-3, repeated: a shift pattern
            t, spans = rng.randint(0, 2), []
            while t < 60:
                length = rng.randint(5, 7)
                spans.append((t, t + length))
                t += length + rng.randint(2, 3)
            windows = tuple(spans)
        centres.append(WorkCentre(f"C{k}", capacity=rng.choice([1, 1, 2]), windows=windows))
    ids = [c.id for c in centres]
    while True:
        sizes = [rng.randint(1, 3) for _ in range(rng.randint(2, 3))]
        if sum(sizes) <= 7:
            break
    alternatives_left = 2
    orders = []
    for i, size in enumerate(sizes):
        ops = []
        for j in range(size):
            n_alt = 2 if alternatives_left and rng.random() < 0.3 else 1
            alternatives_left -= n_alt - 1
            chosen = rng.sample(ids, n_alt)
            ops.append(
                Operation(
                    id=f"s{j}",
                    durations={c: rng.randint(1, 3) for c in chosen},
                    setup=rng.choice([0, 0, 1]),
                    release=rng.choice([0, 0, 0, 2]),
                )
            )
        work = sum(op.setup + max(op.durations.values()) for op in ops)
        is_target = i == len(sizes) - 1
        release = 0 if is_target else rng.choice([0, 0, 1, 3])
        orders.append(
            Order(
                id=f"O{i}",
                operations=tuple(ops),
                due=None if is_target else release + work + rng.randint(0, 4),
                release=release,
            )
        )
    problem = Problem(work_centres=tuple(centres), orders=tuple(orders))
    if seed % 2:
        # tight promises: each other order due 0-2 units after the best it could do alone
        tight = []
        for o in orders[:-1]:
            o = Order(o.id, o.operations)  # released at once, so it competes from the start
            alone = best_completion(Problem(problem.work_centres, (o,)), o.id, {})
            due = alone + rng.randint(0, 2) if alone is not None else None
            tight.append(Order(o.id, o.operations, due=due))
        problem = Problem(problem.work_centres, (*tight, orders[-1]))
    return problem


def deadlines_of(problem: Problem, target: str) -> dict[str, int]:
    return {o.id: o.due for o in problem.orders if o.id != target and o.due is not None}


@pytest.mark.parametrize("seed", SEEDS)
def test_earliest_date_equals_exhaustive_search(seed: int) -> None:
    problem = random_problem(seed)
    target = problem.orders[-1].id
    truth = best_completion(problem, target, deadlines_of(problem, target))

    result = earliest_date(problem, order_id=target, time_limit=5)

    if truth is None:
        assert result.date is None and result.status.value == "infeasible"
        return
    assert result.date == truth
    assert result.proven_optimal
    assert result.plan is not None
    plan = {a.key: a for a in result.plan}
    assert valid(problem, plan)
    for oid, limit in deadlines_of(problem, target).items():
        assert max(a.end for a in plan.values() if a.order_id == oid) <= limit


@pytest.mark.parametrize("seed", SEEDS)
def test_check_promise_yes_no_equals_exhaustive_search(seed: int) -> None:
    problem = random_problem(seed)
    target = problem.orders[-1].id
    truth = best_completion(problem, target, deadlines_of(problem, target))
    probes = [5, 12] if truth is None else [truth - 1, truth, truth + 2]

    for due in probes:
        result = check_promise(problem, order_id=target, due=due, time_limit=5)

        expected = Answer.YES if truth is not None and due >= truth else Answer.NO
        assert result.answer == expected, (due, truth)
        if result.answer == Answer.YES:
            assert result.plan is not None
            plan = {a.key: a for a in result.plan}
            assert valid(problem, plan)
            assert max(a.end for a in plan.values() if a.order_id == target) <= due
