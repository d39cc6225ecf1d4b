"""Re-planning questions: expedite one order (what-if), and plan every open order.

Both are lexicographic and solved in two phases on the same model: the first objective is
minimised, its value becomes a constraint, then the second one is minimised from the first
phase's solution. This keeps each objective's scale honest (no big-M weights) and gives the
second phase a feasible hint from the start.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from gendan.scheduling.greedy import list_schedule
from gendan.scheduling.insertion import rush_insert
from gendan.scheduling.model import EngineModel
from gendan.scheduling.naive import baseline
from gendan.scheduling.problem import Assignment, OpKey, Plan, Problem
from gendan.scheduling.results import Answer, ExpediteResult, PlanResult, Slip
from gendan.scheduling.solve import Outcome, Profile, Status, run

RUSH_SHARE = 0.25
"""Share of the time limit the rush-insertion hint may use when first free slot is too late."""

FIRST_PHASE_SHARE = 0.6
"""Share of the time limit for the first objective; the second gets the rest (and any unused)."""


def _two_phases(
    em: EngineModel,
    first: cp_model.LinearExpr | int,
    second: cp_model.LinearExpr | int | None,
    *,
    time_limit: float,
    num_workers: int,
    profile: Profile,
) -> tuple[Outcome, Outcome | None]:
    """Minimise `first`, fix it at its best value, then minimise `second` from that solution.

    A constant `first` (no order has a due date) is skipped: it is 0 in every solution.
    """
    started = time.perf_counter()
    if isinstance(first, int):
        if second is None:
            return run(
                em,
                time_limit=time_limit,
                num_workers=num_workers,
                has_objective=False,
                profile=profile,
            ), None
        em.model.minimize(second)
        out = run(em, time_limit=time_limit, num_workers=num_workers, profile=profile)
        zero = Outcome(out.status, out.solution, first, first, out.wall_time)
        return zero, out
    em.model.minimize(first)
    one = run(
        em, time_limit=time_limit * FIRST_PHASE_SHARE, num_workers=num_workers, profile=profile
    )
    if one.solution is None or second is None or one.objective is None:
        return one, None
    em.model.add(first <= one.objective)
    em.model.minimize(second)
    em.hint(one.solution)
    left = time_limit - (time.perf_counter() - started)
    two = run(em, time_limit=max(left, 0.5), num_workers=num_workers, profile=profile)
    return one, two


def expedite_whatif(
    problem: Problem,
    *,
    order_id: str,
    due: int,
    time_limit: float = 10.0,
    num_workers: int = 2,
) -> ExpediteResult:
    """Force `order_id` to complete by `due`; which other orders slip, and by how much?

    The order's date is hard; every other promise becomes soft. First the weighted lateness of
    the other orders is minimised, then, at that lateness, the disturbance of the current plan
    (sum of |start shift| of the operations outside the frozen window).
    """
    started = time.perf_counter()
    problem.order(order_id)
    em = EngineModel(problem, deadlines={order_id: due})
    others = [o.id for o in problem.orders if o.id != order_id]
    lateness = em.weighted_tardiness(others)
    disturbance = em.disturbance(problem.plan) if problem.plan is not None else None
    start = baseline(problem, order_id)
    if start is not None and max(a.end for a in start.values() if a.order_id == order_id) > due:
        # The first-free-slot schedule misses the forced date, so it is no solution of this
        # model; on a loaded plan CP-SAT then often finds none in time. The order dispatched
        # ahead of the queue meets the date whenever anything can: start from that.
        rushed = rush_insert(
            problem, order_id, start, {order_id: due}, budget=time_limit * RUSH_SHARE
        )
        start = rushed if rushed is not None else start
    if start is not None:
        em.hint(start)
    one, two = _two_phases(
        em,
        lateness,
        disturbance,
        time_limit=time_limit,
        num_workers=num_workers,
        profile=Profile.SUMS,
    )
    took = time.perf_counter() - started
    best = two if two is not None and two.solution is not None else one
    if best.solution is None:
        answer = Answer.NO if one.status is Status.INFEASIBLE else Answer.UNKNOWN
        return ExpediteResult(order_id, due, answer, one.status, False, None, None, (), None, took)
    proven = one.status is Status.OPTIMAL and (two is None or two.status is Status.OPTIMAL)
    return ExpediteResult(
        order_id=order_id,
        due=due,
        answer=Answer.YES,
        status=Status.OPTIMAL if proven else Status.FEASIBLE,
        proven_optimal=proven,
        weighted_lateness=one.objective,
        disturbance=two.objective if two is not None and two.solution is not None else None,
        slips=_slips(problem, best.solution, order_id),
        plan=Plan(tuple(best.solution.values())),
        wall_time=took,
    )


def _slips(problem: Problem, solution: dict[OpKey, Assignment], order_id: str) -> tuple[Slip, ...]:
    planned = problem.plan.order_ends() if problem.plan is not None else {}
    out: list[Slip] = []
    for o in problem.orders:
        if o.id == order_id:
            continue
        new_end = max(solution[(o.id, op.id)].end for op in o.operations)
        before = planned.get(o.id)
        delay = new_end - before if before is not None else 0
        late = max(0, new_end - o.due) if o.due is not None else 0
        if delay > 0 or late > 0:
            out.append(Slip(o.id, o.due, before, new_end, max(delay, 0), late))
    out.sort(key=lambda s: (-s.lateness, -s.delay, s.order_id))
    return tuple(out)


def plan_all(
    problem: Problem,
    *,
    warm_start: Plan | None = None,
    time_limit: float = 10.0,
    num_workers: int = 2,
) -> PlanResult:
    """Plan every open order: least weighted tardiness, then the shortest makespan.

    `warm_start` (typically yesterday's plan) is given to CP-SAT as a hint; operations it does
    not cover are filled in by earliest-due-date dispatching so the hint is complete. Without it
    the hint is the current plan completed the same way.
    """
    started = time.perf_counter()
    em = EngineModel(problem)
    tardiness = em.weighted_tardiness()
    makespan = em.makespan()
    if warm_start is not None:
        big = 2**40
        fixed = [a for a in warm_start if a.key in em.ops and not problem.is_pinned(*a.key)]
        fixed += [a for a in problem.plan or () if problem.is_pinned(*a.key)]
        start = list_schedule(
            problem,
            orders=problem.orders,
            fixed=fixed,
            priority=lambda o, op: (o.due if o.due is not None else big,),
        )
    else:
        start = baseline(problem)
    if start is not None:
        em.hint(start)
    one, two = _two_phases(
        em,
        tardiness,
        makespan,
        time_limit=time_limit,
        num_workers=num_workers,
        profile=Profile.SUMS,
    )
    best = two if two is not None and two.solution is not None else one
    took = time.perf_counter() - started
    if best.solution is None:
        return PlanResult(one.status, False, None, None, None, took)
    plan = Plan(tuple(best.solution.values()))
    proven = one.status is Status.OPTIMAL and two is not None and two.status is Status.OPTIMAL
    return PlanResult(
        status=Status.OPTIMAL if proven else Status.FEASIBLE,
        proven_optimal=proven,
        weighted_tardiness=one.objective,
        makespan=plan.makespan,
        plan=plan,
        wall_time=took,
    )
