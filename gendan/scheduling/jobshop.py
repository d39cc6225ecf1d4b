"""Classical job-shop instances, solved through the engine's own model.

A job shop is the engine's problem with one alternative per operation, unary centres, no
calendar, no release and makespan as the objective; `solve_jobshop` builds exactly that
`Problem` and hands it to `EngineModel`, so the benchmark measures the model the factory uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gendan.scheduling.greedy import list_schedule
from gendan.scheduling.model import EngineModel
from gendan.scheduling.problem import Assignment, Operation, OpKey, Order, Plan, Problem, WorkCentre
from gendan.scheduling.solve import Profile, Status, run


@dataclass(frozen=True)
class JobShopInstance:
    """`jobs[j]` is job j's routing as (machine, duration) pairs, machines numbered from 0."""

    name: str
    machines: int
    jobs: tuple[tuple[tuple[int, int], ...], ...]


@dataclass(frozen=True)
class JobShopResult:
    makespan: int | None
    status: Status
    lower_bound: int | None
    wall_time: float
    plan: Plan | None


def parse_jobshop(text: str, name: str = "") -> JobShopInstance:
    """Read the standard format: "jobs machines", then per job "machine duration" pairs."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    n_jobs, n_machines = (int(v) for v in lines[0].split()[:2])
    jobs = []
    for line in lines[1 : 1 + n_jobs]:
        values = [int(v) for v in line.split()]
        jobs.append(tuple((values[i], values[i + 1]) for i in range(0, len(values), 2)))
    if len(jobs) != n_jobs:
        raise ValueError(f"{name}: expected {n_jobs} jobs, found {len(jobs)}")
    return JobShopInstance(name, n_machines, tuple(jobs))


def read_jobshop(path: str | Path) -> JobShopInstance:
    path = Path(path)
    return parse_jobshop(path.read_text(), path.stem)


def jobshop_problem(instance: JobShopInstance) -> Problem:
    """The instance as an engine Problem: job j is order "j", its k-th step operation "k"."""
    centres = tuple(WorkCentre(f"m{m}") for m in range(instance.machines))
    orders = tuple(
        Order(
            id=str(j),
            operations=tuple(
                Operation(id=str(k), durations={f"m{m}": d}) for k, (m, d) in enumerate(job)
            ),
        )
        for j, job in enumerate(instance.jobs)
    )
    return Problem(work_centres=centres, orders=orders)


def lower_bound(instance: JobShopInstance) -> int:
    """max(longest job, busiest machine): every schedule is at least this long."""
    jobs = max(sum(d for _, d in job) for job in instance.jobs)
    load = [0] * instance.machines
    for job in instance.jobs:
        for m, d in job:
            load[m] += d
    return max(jobs, max(load))


def greedy_schedule(problem: Problem) -> dict[OpKey, Assignment]:
    """The best of a few dispatching rules, as an upper bound and a first hint."""
    remaining: dict[OpKey, int] = {}
    for order in problem.orders:
        left = 0
        for op in reversed(order.operations):
            left += min(op.durations.values())
            remaining[(order.id, op.id)] = left
    rules = {
        "ready": None,
        "most work remaining": lambda o, op: (-remaining[(o.id, op.id)],),
        "shortest first": lambda o, op: (min(op.durations.values()),),
    }
    best: dict[OpKey, Assignment] | None = None
    for rule in rules.values():
        sol = list_schedule(problem, orders=problem.orders, priority=rule)
        if sol is not None and (
            best is None or max(a.end for a in sol.values()) < max(a.end for a in best.values())
        ):
            best = sol
    assert best is not None, "an unconstrained job shop always has a schedule"
    return best


def solve_jobshop(
    instance: JobShopInstance, *, time_limit: float = 10.0, num_workers: int = 2
) -> JobShopResult:
    """Minimise the makespan with the engine model; stops early once the bound is proven."""
    problem = jobshop_problem(instance)
    start = greedy_schedule(problem)
    upper = max(a.end for a in start.values())
    em = EngineModel(problem, horizon=upper)
    makespan = em.makespan()
    em.model.add(makespan >= lower_bound(instance))
    em.model.minimize(makespan)
    em.hint(start)
    out = run(em, time_limit=time_limit, num_workers=num_workers, profile=Profile.SCHEDULING)
    plan = Plan(tuple(out.solution.values())) if out.solution else None
    return JobShopResult(out.objective, out.status, out.bound, out.wall_time, plan)
