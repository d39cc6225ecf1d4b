"""Benchmark of the scheduling engine: classical job shops, then a synthetic paper mill.

Usage:
    .venv/bin/python bench/scheduling.py tests/data/ft06.txt tests/data/la01.txt ... \
        [--time-limit 10] [--workers 2] [--orders N] [--centres M] [--seed S]

Part 1, per instance file: the engine's makespan (`solve_jobshop`), the best-known value from
tests/data/best_known.json, the gap, the time, and the same for a textbook CP-SAT model (one
interval per operation, no-overlap per machine, minimise makespan, default parameters) run with
the same time limit and workers.

Part 2, a synthetic paper mill of N orders on M work centres (alternatives, shift calendars,
material release dates, a frozen window, a loaded current plan in which every order has slack to
its due date): the time and date of `earliest_date` for one new order, next to the
`first_free_slot` date, and a check that the engine's plan keeps every existing promise.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

from ortools.sat.python import cp_model

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gendan.scheduling import (  # noqa: E402
    JobShopInstance,
    Operation,
    Order,
    Plan,
    Problem,
    WorkCentre,
    earliest_date,
    first_free_slot,
    promises,
    read_jobshop,
    solve_jobshop,
    violations,
)
from gendan.scheduling.greedy import list_schedule  # noqa: E402

DAY = 96  # 15-minute units
"""The synthetic factory counts in 15-minute units: 96 to a day."""


# -- part 1: job shops ----------------------------------------------------------------------


def textbook(instance: JobShopInstance, time_limit: float, workers: int) -> tuple[int, float]:
    """The model every CP-SAT tutorial shows, with default parameters."""
    horizon = sum(d for job in instance.jobs for _, d in job)
    model = cp_model.CpModel()
    machines: list[list[cp_model.IntervalVar]] = [[] for _ in range(instance.machines)]
    ends = []
    for job in instance.jobs:
        previous = None
        for machine, duration in job:
            start = model.new_int_var(0, horizon, "")
            end = model.new_int_var(0, horizon, "")
            machines[machine].append(model.new_interval_var(start, duration, end, ""))
            if previous is not None:
                model.add(start >= previous)
            previous = end
        ends.append(previous)
    for intervals in machines:
        model.add_no_overlap(intervals)
    makespan = model.new_int_var(0, horizon, "makespan")
    model.add_max_equality(makespan, ends)
    model.minimize(makespan)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    started = time.perf_counter()
    solver.solve(model)
    return round(solver.objective_value), time.perf_counter() - started


def gap(value: int, known: int | None) -> str:
    return f"{100 * (value - known) / known:.1f}" if known else "-"


def bench_jobshops(paths: list[str], time_limit: float, workers: int) -> bool:
    best_file = ROOT / "tests" / "data" / "best_known.json"
    best = json.loads(best_file.read_text()) if best_file.exists() else {}
    print(f"== job shop: engine vs textbook CP-SAT, {time_limit:g} s, {workers} workers ==")
    print(
        f"{'instance':<10}{'size':>7}{'best':>7} | {'engine':>7}{'gap%':>7}{'time s':>8}"
        f"{'proof':>7} | {'textbk':>7}{'gap%':>7}{'time s':>8} | verdict"
    )
    all_ok = True
    for path in paths:
        inst = read_jobshop(path)
        known = best.get(inst.name, {}).get("best_known")
        res = solve_jobshop(inst, time_limit=time_limit, num_workers=workers)
        tb, tb_time = textbook(inst, time_limit, workers)
        mk = res.makespan if res.makespan is not None else -1

        at_best = known is not None and mk == known
        not_worse = mk <= tb
        ok = at_best and not_worse
        all_ok &= ok
        verdict = "ok" if ok else ("worse than textbook" if not not_worse else "above best-known")
        proof = "yes" if res.status.value == "optimal" else "no"
        size = f"{len(inst.jobs)}x{inst.machines}"
        print(
            f"{inst.name:<10}{size:>7}{known or '-':>7} | {mk:>7}{gap(mk, known):>7}"
            f"{res.wall_time:>8.2f}{proof:>7} | {tb:>7}{gap(tb, known):>7}{tb_time:>8.2f}"
            f" | {verdict}"
        )
    return all_ok


# -- part 2: a synthetic paper mill ---------------------------------------------------------

STAGES: list[tuple[str, int, int, str]] = [
    # (prefix, centres at M=20, capacity, calendar)
    ("SP", 2, 1, "always"),  # stock preparation: pulper + refiner line
    ("PM", 3, 1, "always"),  # paper machines, 24/7
    ("CO", 2, 1, "always"),  # coaters
    ("CA", 2, 1, "always"),  # calenders
    ("WI", 3, 1, "two shifts"),  # winders
    ("RW", 2, 1, "two shifts"),  # rewinders
    ("SH", 2, 1, "two shifts"),  # sheeters
    ("PK", 1, 3, "two shifts"),  # packing hall, three lines
    ("QC", 1, 2, "day shift"),  # laboratory
    ("WH", 2, 2, "two shifts"),  # loading docks
]


def shift_windows(kind: str, days: int) -> tuple[tuple[int, int], ...] | None:
    """Mon-Sat 06:00-22:00 for two shifts, Mon-Fri 08:00-17:00 for the day shift."""
    if kind == "always":
        return None
    out = []
    for day in range(days):
        weekday = day % 7
        if kind == "two shifts" and weekday < 6:
            out.append((day * DAY + 24, day * DAY + 88))
        if kind == "day shift" and weekday < 5:
            out.append((day * DAY + 32, day * DAY + 68))
    return tuple(out)


def factory_centres(m: int, days: int) -> dict[str, list[WorkCentre]]:
    """Spread `m` centres over the stages (at least one each), in proportion to the mill's."""
    counts = {p: 1 for p, *_ in STAGES}
    extra = sorted(((n, p) for p, n, *_ in STAGES), reverse=True)
    i = 0
    while sum(counts.values()) < m:
        n, p = extra[i % len(extra)]
        if counts[p] < n or sum(counts.values()) >= 20:
            counts[p] += 1
        i += 1
    out: dict[str, list[WorkCentre]] = {}
    for prefix, _, capacity, kind in STAGES:
        out[prefix] = [
            WorkCentre(f"{prefix}{k + 1}", capacity, shift_windows(kind, days))
            for k in range(counts[prefix])
        ]
    return out


def factory(
    n_orders: int, n_centres: int, seed: int, slack: tuple[int, int] = (1, 5)
) -> tuple[Problem, str]:
    """A loaded mill: a current plan ~3 weeks deep, each order due 1-5 days after its planned
    end, a frozen first day, and one new order (id "NEW") that is not in the plan."""
    rng = random.Random(seed)
    days = 150
    centres = factory_centres(n_centres, days)

    def step(oid: int, k: int, stage: str, lo: int, hi: int, setup: int = 0) -> Operation:
        base = rng.randint(lo, hi)
        durations = {
            c.id: base + (base * j) // 4 for j, c in enumerate(centres[stage])
        }  # older machines are slower
        return Operation(f"{k}", durations, setup=setup)

    def order(oid: int, name: str, release: int) -> Order:
        coated = rng.random() < 0.5
        sheets = rng.random() < 0.35
        ops = [step(oid, 0, "SP", 2, 4), step(oid, 1, "PM", 8, 24, setup=rng.randint(2, 8))]
        if coated:
            ops.append(step(oid, len(ops), "CO", 6, 16))
        ops.append(step(oid, len(ops), "CA", 4, 10))
        if sheets:
            ops.append(step(oid, len(ops), "SH", 8, 20))
        else:
            ops.append(step(oid, len(ops), "WI", 4, 12))
            if rng.random() < 0.4:
                ops.append(step(oid, len(ops), "RW", 3, 8))
        ops.append(step(oid, len(ops), "PK", 2, 6))
        ops.append(step(oid, len(ops), "QC", 1, 3))
        ops.append(step(oid, len(ops), "WH", 1, 2))
        return Order(name, tuple(ops), weight=rng.choice([1, 1, 2, 5]), release=release)

    existing = []
    for i in range(n_orders):
        imported_pulp = rng.random() < 0.25
        existing.append(order(i, f"SO{i:04d}", rng.randint(0, 10) * DAY if imported_pulp else 0))
    all_centres = tuple(c for cs in centres.values() for c in cs)
    draft = Problem(all_centres, tuple(existing))
    planned = list_schedule(draft, orders=existing, priority=lambda o, op: (int(o.id[2:]),))
    assert planned is not None
    ends: dict[str, int] = {}
    for a in planned.values():
        ends[a.order_id] = max(ends.get(a.order_id, 0), a.end)
    dated = tuple(
        Order(
            o.id,
            o.operations,
            due=(ends[o.id] // DAY + rng.randint(*slack)) * DAY + 68,  # 17:00, days of slack
            weight=o.weight,
            release=o.release,
        )
        for o in existing
    )
    new = order(n_orders, "NEW", 0)
    problem = Problem(
        all_centres, (*dated, new), plan=Plan(tuple(planned.values())), now=0, frozen=DAY
    )
    return problem, new.id


def bench_factory(
    n_orders: int, n_centres: int, seed: int, time_limit: float, workers: int
) -> bool:
    problem, new = factory(n_orders, n_centres, seed)
    n_ops = sum(len(o.operations) for o in problem.orders)
    print(
        f"\n== capable-to-promise: {len(problem.orders) - 1} planned orders + 1 new, {n_ops} "
        f"operations, {len(problem.work_centres)} work centres, {time_limit:g} s, "
        f"{workers} workers =="
    )
    assert problem.plan is not None
    planned_only = Problem(
        problem.work_centres,
        tuple(o for o in problem.orders if o.id != new),
        plan=problem.plan,
        now=problem.now,
        frozen=problem.frozen,
    )
    plan_broken = violations(planned_only, {a.key: a for a in problem.plan}, promises(planned_only))
    naive = first_free_slot(problem, order_id=new)
    started = time.perf_counter()
    ctp = earliest_date(problem, order_id=new, time_limit=time_limit, num_workers=workers)
    took = time.perf_counter() - started
    broken = (
        violations(problem, {a.key: a for a in ctp.plan}, promises(problem, exclude=new))
        if ctp.plan is not None
        else ["no plan"]
    )

    def day(units: int | None) -> str:
        return "-" if units is None else f"day {units / DAY:.2f}"

    ratio = (
        (naive.date - problem.now) / (ctp.date - problem.now)
        if naive.date is not None and ctp.date is not None and ctp.date > problem.now
        else float("nan")
    )
    print(
        f"current plan makespan          {day(problem.plan.makespan)}  (keeps every promise: "
        f"{'yes' if not plan_broken else 'no'}; frozen window {problem.frozen / DAY:g} day)"
    )
    print(f"first free slot date           {day(naive.date)}")
    print(
        f"engine earliest date           {day(ctp.date)}  ({ctp.status.value}, "
        f"proven optimal: {'yes' if ctp.proven_optimal else 'no'}, "
        f"lower bound {day(ctp.lower_bound)})"
    )
    print(f"reason                         {ctp.reason.text if ctp.reason else '-'}")
    print(f"CTP answer time                {took:.2f} s")
    print(f"first-free-slot / engine date  {ratio:.2f}x (from now)")
    print(f"existing promises broken       {len(broken)}{'' if not broken else ': ' + broken[0]}")
    ok = took <= time_limit and not broken and ratio >= 2 and not plan_broken
    print(f"verdict                        {'ok' if ok else 'target missed'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("instances", nargs="*", help="job-shop instance files")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--orders", type=int, default=257, help="orders in the current plan")
    parser.add_argument("--centres", type=int, default=20, help="work centres (10 or more)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    ok = True
    if args.instances:
        ok &= bench_jobshops(args.instances, args.time_limit, args.workers)
    if args.orders > 0:
        ok &= bench_factory(args.orders, args.centres, args.seed, args.time_limit, args.workers)
    print(f"\nall targets met: {'yes' if ok else 'no'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
