"""expedite_whatif, plan_all and first_free_slot on hand-made and generated plans."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from gendan.scheduling import (
    Answer,
    Assignment,
    Operation,
    Order,
    Plan,
    Problem,
    WorkCentre,
    check_promise,
    earliest_date,
    expedite_whatif,
    first_free_slot,
    plan_all,
    read_jobshop,
    violations,
)
from gendan.scheduling.greedy import list_schedule
from gendan.scheduling.jobshop import jobshop_problem

from .bruteforce import order_end, schedules, valid
from .test_against_bruteforce import random_problem


def one_step(order_id: str, centre: str, duration: int, **kw: object) -> Order:
    return Order(order_id, (Operation("10", {centre: duration}),), **kw)  # type: ignore[arg-type]


def expedite_example() -> Problem:
    """PM1 runs A (0-4, due 4) then B (4-7, due 7, weight 2); C on PM2 is untouched.

    Forcing NEW (2 units on PM1) to finish by 2: A first would make A 2 late and B 2 late
    (weighted 2 + 2x2 = 6); B first keeps B on time and makes A 5 late (weighted 5). So A slips
    by 5, B does not, and C stays where it is (disturbance is the second objective).
    """
    plan = Plan(
        (
            Assignment("A", "10", "PM1", 0, 4),
            Assignment("B", "10", "PM1", 4, 7),
            Assignment("C", "10", "PM2", 3, 6),
        )
    )
    orders = (
        one_step("A", "PM1", 4, due=4),
        one_step("B", "PM1", 3, due=7, weight=2),
        one_step("C", "PM2", 3, due=10),
        one_step("NEW", "PM1", 2),
    )
    return Problem((WorkCentre("PM1"), WorkCentre("PM2")), orders, plan=plan)


def test_expedite_reports_who_slips_and_by_how_much() -> None:
    result = expedite_whatif(expedite_example(), order_id="NEW", due=2, time_limit=5)

    assert result.answer is Answer.YES
    assert result.proven_optimal
    assert result.weighted_lateness == 5
    assert [(s.order_id, s.lateness, s.delay) for s in result.slips] == [("A", 5, 5)]
    assert result.broken_promises == result.slips
    assert result.plan is not None
    assert result.plan.get("C", "10") == Assignment("C", "10", "PM2", 3, 6)
    assert result.disturbance == 2 + 5  # B moves 4 -> 2, A moves 0 -> 5


def test_expedite_that_needs_no_slip_reports_none() -> None:
    result = expedite_whatif(expedite_example(), order_id="NEW", due=9, time_limit=5)

    assert result.answer is Answer.YES
    assert result.weighted_lateness == 0
    assert result.broken_promises == ()
    assert result.disturbance == 0


def test_expedite_impossible_date_is_a_proven_no() -> None:
    result = expedite_whatif(expedite_example(), order_id="NEW", due=1, time_limit=5)

    assert result.answer is Answer.NO
    assert result.plan is None


def loaded_plan(seed: int) -> Problem:
    """Six orders planned back to back on three centres, each due 0-6 units after its planned
    end, plus NEW, which is not in the plan."""
    rng = random.Random(seed)
    centres = (WorkCentre("PM"), WorkCentre("CA"), WorkCentre("PK", capacity=2))
    orders = []
    for i in range(7):
        route = [("PM", rng.randint(2, 5)), ("CA", rng.randint(1, 4)), ("PK", rng.randint(1, 3))]
        ops = tuple(Operation(f"{k}", {c: d}) for k, (c, d) in enumerate(route))
        orders.append(Order("NEW" if i == 6 else f"SO{i}", ops))
    draft = Problem(centres, tuple(orders[:6]))
    planned = list_schedule(draft, orders=orders[:6])
    assert planned is not None
    ends = {o.id: max(planned[(o.id, op.id)].end for op in o.operations) for o in orders[:6]}
    dated = tuple(Order(o.id, o.operations, due=ends[o.id] + rng.randint(0, 6)) for o in orders[:6])
    return Problem(centres, (*dated, orders[6]), plan=Plan(tuple(planned.values())))


@pytest.mark.parametrize("seed", range(5))
def test_first_free_slot_moves_nothing_and_is_never_earlier_than_the_engine(seed: int) -> None:
    problem = loaded_plan(seed)
    assert problem.plan is not None

    naive = first_free_slot(problem, order_id="NEW")
    best = earliest_date(problem, order_id="NEW", time_limit=5)

    assert naive.plan is not None and naive.date is not None
    for a in problem.plan:
        assert naive.plan.get(*a.key) == a
    assert {a.order_id for a in naive.inserted} == {"NEW"}
    assert valid(problem, {a.key: a for a in naive.plan})
    assert best.date is not None and best.proven_optimal
    assert naive.date >= best.date


def test_first_free_slot_cannot_use_a_gap_that_is_too_short() -> None:
    plan = Plan((Assignment("A", "10", "PM", 0, 2), Assignment("B", "10", "PM", 4, 10)))
    orders = (
        one_step("A", "PM", 2, due=2),
        one_step("B", "PM", 6, due=20),
        one_step("NEW", "PM", 3),
    )
    problem = Problem((WorkCentre("PM"),), orders, plan=plan)

    assert first_free_slot(problem, order_id="NEW").date == 13  # the 2-4 gap is too short
    assert earliest_date(problem, order_id="NEW").date == 5  # B has slack: it moves back


@pytest.mark.parametrize("seed", range(0, 24, 3))
def test_plan_all_minimises_weighted_tardiness(seed: int) -> None:
    problem = random_problem(seed)
    truth = min(
        sum(
            o.weight * max(0, order_end(s, o.id) - o.due)
            for o in problem.orders
            if o.due is not None
        )
        for s in schedules(problem)
    )

    result = plan_all(problem, time_limit=5)

    assert result.weighted_tardiness == truth
    assert result.plan is not None
    assert valid(problem, {a.key: a for a in result.plan})


def test_plan_all_from_a_warm_start_keeps_the_plan_when_it_is_optimal() -> None:
    problem = loaded_plan(1)
    first = plan_all(problem, time_limit=5)
    assert first.plan is not None

    again = plan_all(problem, warm_start=first.plan, time_limit=5)

    assert again.weighted_tardiness == first.weighted_tardiness
    assert again.makespan == first.makespan
    assert not violations(problem, {a.key: a for a in again.plan or ()})


def test_check_promise_yes_keeps_every_other_promise() -> None:
    problem = loaded_plan(2)
    best = earliest_date(problem, order_id="NEW", time_limit=5)
    assert best.date is not None
    promised = {o.id: o.due for o in problem.orders if o.due is not None}

    yes = check_promise(problem, order_id="NEW", due=best.date, time_limit=5)
    no = check_promise(problem, order_id="NEW", due=best.date - 1, time_limit=5)

    assert yes.answer is Answer.YES and no.answer is Answer.NO
    assert yes.plan is not None
    assert not violations(problem, {a.key: a for a in yes.plan}, promised)


def test_check_promise_answers_unknown_when_the_time_limit_runs_out() -> None:
    """ft10 with every job promised by its optimum (930): feasible, but far too hard to find or
    disprove in a fifth of a second, so the honest answer is "unknown", never a guessed no."""
    data = Path(__file__).resolve().parents[1] / "data" / "ft10.txt"
    problem = jobshop_problem(read_jobshop(data))
    orders = tuple(dataclasses.replace(o, due=930) for o in problem.orders)
    problem = dataclasses.replace(problem, orders=orders)

    result = check_promise(problem, order_id="0", due=930, time_limit=0.2)

    assert result.answer is Answer.UNKNOWN
    assert result.plan is None
    assert result.note == "time limit reached"
