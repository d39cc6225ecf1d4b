"""Running CP-SAT on an EngineModel: parameters, status and the solution.

Parameters were chosen by measurement on 2 workers (see docs/scheduling.md, "Tuning"). With two
workers CP-SAT runs one full-problem search plus one worker that interleaves LNS and local
search. For scheduling objectives (makespan, a completion date, feasibility) the full search
without the LP relaxation (`no_lp`) proves optimality several times faster than the default
`default_lp` on ft10 and the la/orb instances, because the LP adds little to disjunctive
propagation and costs a lot per node. Sums (weighted tardiness, disturbance) keep the default
LP-based worker, whose relaxation does bound such objectives.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from gendan.scheduling.model import EngineModel
from gendan.scheduling.problem import Assignment, OpKey


class Status(enum.StrEnum):
    """The solver's verdict: proven optimal, a solution without proof, proven none, or no news."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


class Profile(enum.StrEnum):
    """Which parameter set to use: disjunctive search for dates, LP for weighted sums."""

    SCHEDULING = "scheduling"
    SUMS = "sums"


@dataclass(frozen=True)
class Outcome:
    status: Status
    solution: dict[OpKey, Assignment] | None
    objective: int | None
    bound: int | None
    wall_time: float


_STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
}


def parameters(
    solver: cp_model.CpSolver,
    *,
    time_limit: float,
    num_workers: int,
    profile: Profile,
    size: int = 0,
) -> None:
    """Set the parameters: `size` is the number of operations in the model."""
    p = solver.parameters
    p.max_time_in_seconds = max(time_limit, 0.01)
    p.num_workers = num_workers
    p.random_seed = 0
    if profile is Profile.SCHEDULING and num_workers <= 8:
        p.subsolvers.append("no_lp")
    if size > LARGE:
        # Probing in presolve is quadratic-ish in the calendar holes of the start domains: on a
        # 2,000-operation mill it took the whole 10 s budget before search began.
        p.cp_model_probing_level = 0


LARGE = 500
"""Operations above which presolve probing is switched off."""


def run(
    em: EngineModel,
    *,
    time_limit: float,
    num_workers: int,
    profile: Profile = Profile.SCHEDULING,
    has_objective: bool = True,
) -> Outcome:
    """Solve and return the best solution found, with the solver's bound when it has one."""
    started = time.perf_counter()
    solver = cp_model.CpSolver()
    parameters(
        solver, time_limit=time_limit, num_workers=num_workers, profile=profile, size=len(em.ops)
    )
    code = solver.solve(em.model)
    status = _STATUS.get(code, Status.UNKNOWN)
    if code == cp_model.MODEL_INVALID:
        raise RuntimeError(f"invalid CP-SAT model: {em.model.validate()}")
    solution = em.solution(solver) if status in (Status.OPTIMAL, Status.FEASIBLE) else None
    objective = bound = None
    if solution is not None and has_objective:
        objective = round(solver.objective_value)
        bound = round(solver.best_objective_bound)
    return Outcome(status, solution, objective, bound, time.perf_counter() - started)
