"""Each modelling feature changes the answer the way the shop floor would expect."""

from __future__ import annotations

from datetime import datetime, timedelta

from gendan.scheduling import (
    Assignment,
    Operation,
    Order,
    Plan,
    Problem,
    ReasonKind,
    TimeScale,
    WorkCentre,
    earliest_date,
    plan_all,
)


def op(op_id: str, **durations: int) -> Operation:
    return Operation(op_id, durations)


def one_step(order_id: str, centre: str, duration: int, **kw: object) -> Order:
    return Order(order_id, (Operation("10", {centre: duration}),), **kw)  # type: ignore[arg-type]


def where(result_plan: Plan | None, order_id: str) -> list[Assignment]:
    assert result_plan is not None
    return sorted((a for a in result_plan if a.order_id == order_id), key=lambda a: a.start)


# -- capacity ------------------------------------------------------------------------------


def test_cumulative_centre_runs_orders_side_by_side() -> None:
    other = one_step("A", "PK", 4, due=4)
    new = one_step("NEW", "PK", 4)
    hall = Problem((WorkCentre("PK", capacity=2),), (other, new))
    line = Problem((WorkCentre("PK", capacity=1),), (other, new))

    assert earliest_date(hall, order_id="NEW").date == 4
    assert earliest_date(line, order_id="NEW").date == 8


def test_demand_above_one_takes_more_of_the_capacity() -> None:
    other = one_step("A", "PK", 4, due=4)
    wide = Order("NEW", (Operation("10", {"PK": 4}, demand=2),))
    hall = Problem((WorkCentre("PK", capacity=2),), (other, wide))

    assert earliest_date(hall, order_id="NEW").date == 8


# -- alternatives --------------------------------------------------------------------------


def test_alternative_centre_is_used_when_the_fast_one_is_taken() -> None:
    other = one_step("A", "PM1", 5, due=5)
    new = Order("NEW", (Operation("10", {"PM1": 5, "PM2": 7}),))
    both = Problem((WorkCentre("PM1"), WorkCentre("PM2")), (other, new))
    only_pm1 = Problem(
        (WorkCentre("PM1"), WorkCentre("PM2")),
        (other, Order("NEW", (Operation("10", {"PM1": 5}),))),
    )

    result = earliest_date(both, order_id="NEW")

    assert result.date == 7
    assert where(result.plan, "NEW")[0].work_centre == "PM2"
    assert earliest_date(only_pm1, order_id="NEW").date == 10


# -- calendars -----------------------------------------------------------------------------


def test_operation_never_spans_a_closed_period() -> None:
    sheeter = WorkCentre("SH", windows=((0, 4), (10, 20)))
    long_job = Problem((sheeter,), (one_step("NEW", "SH", 6),))
    short_job = Problem((sheeter,), (one_step("NEW", "SH", 3),))

    long_result = earliest_date(long_job, order_id="NEW")

    assert long_result.date == 16
    assert long_result.reason is not None
    assert long_result.reason.kind is ReasonKind.CALENDAR
    assert long_result.reason.work_centre == "SH"
    assert earliest_date(short_job, order_id="NEW").date == 3


def test_back_to_back_shifts_merge_into_one_window() -> None:
    scale = TimeScale(datetime(2026, 3, 2), timedelta(hours=1))
    shifts = [
        (datetime(2026, 3, 2, 6), datetime(2026, 3, 2, 14)),
        (datetime(2026, 3, 2, 14), datetime(2026, 3, 2, 22)),
        (datetime(2026, 3, 3, 6), datetime(2026, 3, 3, 14)),
    ]
    windows = scale.windows(shifts)
    problem = Problem((WorkCentre("WI", windows=windows),), (one_step("NEW", "WI", 12),))

    assert windows == ((6, 22), (30, 38))
    assert earliest_date(problem, order_id="NEW").date == 18  # 06:00-18:00 across the change


def test_timescale_rounds_on_the_safe_side() -> None:
    scale = TimeScale(datetime(2026, 3, 2), timedelta(minutes=15))
    moment = datetime(2026, 3, 2, 8, 5)

    assert scale.ceil(moment) == 33  # a release at 08:05 is usable from 08:15
    assert scale.floor(moment) == 32  # a due date at 08:05 must be met by 08:00
    assert scale.duration(timedelta(minutes=50)) == 4
    assert scale.to_datetime(33) == datetime(2026, 3, 2, 8, 15)


# -- release dates and set-ups -------------------------------------------------------------


def test_release_date_delays_the_start_and_is_named_as_the_reason() -> None:
    new = Order("NEW", (Operation("10", {"PM1": 3}), Operation("20", {"WI": 2}, release=7)))
    problem = Problem((WorkCentre("PM1"), WorkCentre("WI")), (new,))

    result = earliest_date(problem, order_id="NEW")

    assert result.date == 9
    assert result.reason is not None and result.reason.kind is ReasonKind.MATERIAL
    assert result.reason.operation_id == "20"


def test_order_release_applies_to_every_step() -> None:
    new = Order("NEW", (Operation("10", {"PM1": 3}),), release=5)

    assert earliest_date(Problem((WorkCentre("PM1"),), (new,)), order_id="NEW").date == 8


def test_setup_time_occupies_the_centre() -> None:
    other = Order("A", (Operation("10", {"PM1": 3}, setup=2),), due=5)
    new = one_step("NEW", "PM1", 1)

    result = earliest_date(Problem((WorkCentre("PM1"),), (other, new)), order_id="NEW")

    assert result.date == 6
    assert where(result.plan, "A")[0].end == 5


def test_explicit_precedence_lets_steps_run_in_parallel() -> None:
    steps = (op("pulp", SP=3), op("chem", CH=4), op("make", PM=2))
    chain = Order("NEW", steps)
    branched = Order("NEW", steps, precedence=(("pulp", "make"), ("chem", "make")))
    centres = (WorkCentre("SP"), WorkCentre("CH"), WorkCentre("PM"))

    assert earliest_date(Problem(centres, (chain,)), order_id="NEW").date == 9
    assert earliest_date(Problem(centres, (branched,)), order_id="NEW").date == 6


# -- bottleneck ----------------------------------------------------------------------------


def test_busy_centre_with_a_tight_promise_is_named_the_bottleneck() -> None:
    other = Order("A", (Operation("10", {"WI": 6}),), due=6)
    new = Order("NEW", (Operation("10", {"PM1": 2}), Operation("20", {"WI": 2})))
    problem = Problem((WorkCentre("PM1"), WorkCentre("WI")), (other, new))

    result = earliest_date(problem, order_id="NEW")

    assert result.date == 8
    assert result.proven_optimal
    assert result.reason is not None
    assert result.reason.kind is ReasonKind.WORK_CENTRE
    assert result.reason.work_centre == "WI"
    assert result.reason.chain[0].blocker == ("A", "10")


def test_free_shop_reports_pure_lead_time() -> None:
    new = Order("NEW", (Operation("10", {"PM1": 2}), Operation("20", {"WI": 2})))
    problem = Problem((WorkCentre("PM1"), WorkCentre("WI")), (new,), now=3)

    result = earliest_date(problem, order_id="NEW")

    assert result.date == 7
    assert result.reason is not None and result.reason.kind is ReasonKind.LEAD_TIME


# -- frozen window -------------------------------------------------------------------------


def test_frozen_operations_keep_their_times_even_when_moving_them_would_help() -> None:
    # A's step started at 2 (now is 3) and runs to 8; B is planned later but not frozen.
    a = Order("A", (Operation("10", {"PM1": 6}),), due=20)
    b = Order("B", (Operation("10", {"PM1": 2}),), due=2, weight=5)
    plan = Plan((Assignment("A", "10", "PM1", 2, 8), Assignment("B", "10", "PM1", 12, 14)))
    problem = Problem((WorkCentre("PM1"),), (a, b), plan=plan, now=3, frozen=4)

    result = plan_all(problem, time_limit=5)

    assert result.plan is not None
    assert result.plan.get("A", "10") == Assignment("A", "10", "PM1", 2, 8)
    b_step = result.plan.get("B", "10")
    assert b_step is not None and b_step.start == 8  # not before A ends nor before now+frozen=7


def test_nothing_new_starts_inside_the_frozen_window() -> None:
    a = Order("A", (Operation("10", {"PM1": 2}),), due=20)
    plan = Plan((Assignment("A", "10", "PM1", 10, 12),))
    new = one_step("NEW", "PM1", 1)
    problem = Problem((WorkCentre("PM1"),), (a, new), plan=plan, now=0, frozen=5)

    result = earliest_date(problem, order_id="NEW")

    assert result.date == 6  # the centre is idle from 0, but 0..5 is frozen
    assert (
        earliest_date(
            Problem((WorkCentre("PM1"),), (a, new), plan=plan, now=0, frozen=0), order_id="NEW"
        ).date
        == 1
    )
