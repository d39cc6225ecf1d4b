"""Capable-to-promise: can we deliver by D, and what is the earliest date we can promise?

Both questions keep every other order's promise as a hard deadline (`check.promises`), let the
solver re-sequence everything outside the frozen window, and start from the first-free-slot
schedule, which already keeps all promises whenever the current plan does.
"""

from __future__ import annotations

import time

from gendan.scheduling.check import promises, violations
from gendan.scheduling.explain import explain, left_shift
from gendan.scheduling.insertion import rush_insert
from gendan.scheduling.model import EngineModel
from gendan.scheduling.naive import baseline
from gendan.scheduling.problem import Assignment, OpKey, Plan, Problem
from gendan.scheduling.results import Answer, EarliestDate, PromiseCheck
from gendan.scheduling.solve import Status, run

RUSH_SHARE = 0.25
"""Share of the time limit the rush-insertion heuristic may use before CP-SAT starts."""


def _reserve(time_limit: float) -> float:
    """Time kept back from the solver for reading, left-shifting and explaining its plan."""
    return max(0.3, 0.04 * time_limit) if time_limit > 1 else 0.0


def _rushed(
    problem: Problem, order_id: str, deadlines: dict[str, int], *, budget: float
) -> dict[OpKey, Assignment] | None:
    """The best starting schedule: rush insertion if it keeps the promises, else first free slot."""
    reference = baseline(problem, order_id)
    if reference is None:
        return None
    others = {k: v for k, v in deadlines.items() if k != order_id}
    rushed = rush_insert(problem, order_id, reference, others, budget=budget)
    if rushed is None:
        return reference
    return rushed


def check_promise(
    problem: Problem,
    *,
    order_id: str,
    due: int,
    time_limit: float = 10.0,
    num_workers: int = 2,
) -> PromiseCheck:
    """Can `order_id` complete by `due` while every other order keeps its promised date?

    YES comes with a plan that proves it; NO means CP-SAT proved that no schedule exists (with the
    frozen window, calendars, releases and every other promise as they are); UNKNOWN means the
    time limit ran out first.
    """
    started = time.perf_counter()
    problem.order(order_id)
    deadlines = promises(problem, exclude=order_id)
    deadlines[order_id] = due
    start = _rushed(problem, order_id, deadlines, budget=time_limit * RUSH_SHARE)
    if start is not None and not violations(problem, start, deadlines):
        plan = Plan(tuple(start.values()))
        took = time.perf_counter() - started
        return PromiseCheck(order_id, due, Answer.YES, plan, took, "fits the free capacity")
    em = EngineModel(problem, deadlines=deadlines)
    if start is not None:
        em.hint(start)
    left = time_limit - (time.perf_counter() - started) - _reserve(time_limit)
    out = run(em, time_limit=left, num_workers=num_workers, has_objective=False)
    took = time.perf_counter() - started
    if out.solution is not None:
        plan = Plan(tuple(out.solution.values()))
        return PromiseCheck(order_id, due, Answer.YES, plan, took, "re-sequenced")
    if out.status is Status.INFEASIBLE:
        note = "proven: no schedule meets this date and keeps every other promise"
        return PromiseCheck(order_id, due, Answer.NO, None, took, note)
    return PromiseCheck(order_id, due, Answer.UNKNOWN, None, took, "time limit reached")


def earliest_date(
    problem: Problem,
    *,
    order_id: str,
    time_limit: float = 10.0,
    num_workers: int = 2,
) -> EarliestDate:
    """The earliest completion of `order_id` that keeps every other promise, and what binds it.

    `proven_optimal` is True only when CP-SAT proved that no earlier date exists;
    otherwise `lower_bound` is the best date it could not rule out. The reason is read off the
    plan found after moving the order's steps as early as that plan allows (`explain`).
    """
    started = time.perf_counter()
    problem.order(order_id)
    deadlines = promises(problem, exclude=order_id)
    start = _rushed(problem, order_id, deadlines, budget=time_limit * RUSH_SHARE)
    em = EngineModel(problem, deadlines=deadlines)
    end = em.order_end(order_id)
    em.model.minimize(end)
    if start is not None:
        em.hint(start)
    left = time_limit - (time.perf_counter() - started) - _reserve(time_limit)
    out = run(em, time_limit=left, num_workers=num_workers)
    found, status = out.solution, out.status
    if found is None and start is not None and not violations(problem, start, deadlines):
        # the solver ran out of time before reading the hint: the heuristic's plan stands
        found, status = start, Status.FEASIBLE
    if found is None:
        took = time.perf_counter() - started
        return EarliestDate(order_id, status, None, False, None, None, None, took)
    solution = left_shift(problem, found, order_id)
    date = max(solution[(order_id, op.id)].end for op in problem.order(order_id).operations)
    reason = explain(problem, solution, order_id)
    proven = status is Status.OPTIMAL
    return EarliestDate(
        order_id=order_id,
        status=status,
        date=date,
        proven_optimal=proven,
        lower_bound=date if proven else out.bound if out.solution is not None else None,
        reason=reason,
        plan=Plan(tuple(solution.values())),
        wall_time=time.perf_counter() - started,
    )
