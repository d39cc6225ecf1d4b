"""First free slot: the naive promise most ERPs give, and the engine's starting point.

The current plan is left exactly as it is; the order's steps go, in routing order, into the
earliest gap of a centre that can do them (the one where each step finishes first). Nothing
else moves, so the date is safe but often late: a gap that is too short, or one that opens only
after a later order's step, is lost, and the order queues behind every order already planned.
"""

from __future__ import annotations

from gendan.scheduling.greedy import list_schedule
from gendan.scheduling.problem import Assignment, OpKey, Plan, Problem
from gendan.scheduling.results import FreeSlot


def _kept(problem: Problem, order_id: str) -> list[Assignment]:
    """The current plan minus the order's own movable steps."""
    if problem.plan is None:
        return []
    return [
        a
        for a in problem.plan
        if a.order_id != order_id or problem.is_pinned(a.order_id, a.operation_id)
    ]


def first_free_slot(problem: Problem, *, order_id: str) -> FreeSlot:
    """Insert `order_id` into the gaps of the current plan without moving anything.

    Orders that are not in the current plan are ignored: a naive planner only sees what has
    been planned. Returns `date=None` when a step fits in no calendar window.
    """
    problem.validate()
    order = problem.order(order_id)
    kept = _kept(problem, order_id)
    sol = list_schedule(problem, orders=[order], fixed=kept)
    if sol is None:
        return FreeSlot(order_id, None, (), None)
    mine = tuple(sol[(order_id, op.id)] for op in order.operations)
    inserted = tuple(a for a in mine if not problem.is_pinned(a.order_id, a.operation_id))
    return FreeSlot(order_id, max(a.end for a in mine), inserted, Plan(tuple(sol.values())))


def baseline(problem: Problem, order_id: str | None = None) -> dict[OpKey, Assignment] | None:
    """A complete schedule to start the solver from.

    The current plan as it is, `order_id` inserted by first free slot, and orders the plan does
    not cover yet appended by earliest-due-date dispatching. Usually feasible; when it is not
    (a stale plan) CP-SAT still uses it as a hint.
    """
    fixed = _kept(problem, order_id) if order_id is not None else list(problem.plan or ())
    sol: dict[OpKey, Assignment] | None = {a.key: a for a in fixed}
    if order_id is not None:
        sol = list_schedule(problem, orders=[problem.order(order_id)], fixed=fixed)
        if sol is None:
            return None
    assert sol is not None
    rest = [o for o in problem.orders if any((o.id, op.id) not in sol for op in o.operations)]
    if not rest:
        return sol
    big = 2**40
    return list_schedule(
        problem,
        orders=rest,
        fixed=list(sol.values()),
        priority=lambda o, op: (o.due if o.due is not None else big,),
    )
