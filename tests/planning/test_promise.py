"""Promise answers for an order against the stored plan of the other orders."""

import datetime as dt

import pytest

from gendan.accounts.models import User
from gendan.orders.status import Status
from gendan.planning import actions, services
from gendan.planning.builder import build
from gendan.planning.models import AnswerState, PlannedOperation, PlanRun, PromiseAnswer
from gendan.scheduling import promises, violations
from tests.planning.conftest import Clock
from tests.planning.factory import centre, order_of, product, routing


@pytest.fixture
def mill(staff: dict[str, User], clock: Clock) -> dict[str, object]:
    """A paper machine that never stops and one winder on day shift (the bottleneck), with
    three confirmed orders of 30 t (6 h of winding each) due 9, 12 and 14 October."""
    pm1 = centre("PM1", shifts=3, hours="8", starts=dt.time(0, 0), rest_days=True)
    wnd = centre("WND", shifts=1, hours="8")
    paper = product("CM120")
    routing(paper, [(pm1, 30, "2"), (wnd, 0, "12")])
    existing = [
        order_of(staff["clerk"], paper, tons="30", requested_date=dt.date(2026, 10, day))
        for day in (9, 12, 14)
    ]
    return {"paper": paper, "existing": existing, "wnd": wnd}


def test_replan_stores_the_current_run_with_every_operation(
    staff: dict[str, User], mill: dict
) -> None:
    run = actions.replan(user=staff["planner"])
    assert run.is_current
    assert run.orders_planned == 3
    assert PlannedOperation.objects.filter(run=run).count() == 6
    assert run.late_orders == 0
    again = actions.replan(user=None)
    run.refresh_from_db()
    assert not run.is_current and again.is_current


def test_replanning_a_factory_without_open_orders_stores_an_empty_plan(
    staff: dict[str, User], clock: Clock
) -> None:
    """The worker re-plans every hour, also when nothing is on order (a new installation)."""
    centre("PM1", shifts=3, hours="8", starts=dt.time(0, 0), rest_days=True)
    run = actions.replan(user=None)
    assert run.is_current
    assert run.orders_planned == 0
    assert not PlannedOperation.objects.filter(run=run).exists()


def test_promise_holds_for_a_late_enough_date_and_keeps_every_other_promise(
    staff: dict[str, User], mill: dict
) -> None:
    actions.replan(user=staff["planner"])
    new = order_of(
        staff["clerk"],
        mill["paper"],
        tons="30",
        status=Status.INTAKE_REVIEW,
        requested_date=dt.date(2026, 10, 20),
    )
    outcome = services.promise(new)
    assert outcome.answer == "yes"
    # The winder works 8 h a day from 8 October (after the holiday) and each order needs 6 h
    # of it: the new order goes first on the 8th and the others still make their dates; a
    # first-free-slot planner queues it behind the three.
    assert outcome.earliest_date == dt.date(2026, 10, 8)
    assert outcome.free_slot_date == dt.date(2026, 10, 12)
    built = build(include=[new])
    others = promises(built.problem, exclude=new.number)
    assert outcome.plan is not None
    solution = {a.key: a for a in outcome.plan}
    assert violations(built.problem, solution, others) == []


def test_promise_for_a_date_inside_the_holiday_is_proven_impossible(
    staff: dict[str, User], mill: dict
) -> None:
    new = order_of(
        staff["clerk"],
        mill["paper"],
        tons="30",
        status=Status.INTAKE_REVIEW,
        requested_date=dt.date(2026, 10, 5),
    )
    outcome = services.promise(new)
    assert outcome.answer == "no"
    assert outcome.earliest_date > dt.date(2026, 10, 7)
    assert outcome.reason


def test_reason_names_the_bottleneck_work_centre(staff: dict[str, User], mill: dict) -> None:
    actions.replan(user=staff["planner"])
    new = order_of(
        staff["clerk"], mill["paper"], tons="30", status=Status.INTAKE_REVIEW,
        requested_date=dt.date(2026, 10, 30),
    )  # fmt: skip
    outcome = services.promise(new)
    assert outcome.bottleneck == "WND"
    assert "WND" in outcome.reason


def test_stored_answer_is_stale_after_a_new_plan(staff: dict[str, User], mill: dict) -> None:
    new = order_of(staff["clerk"], mill["paper"], status=Status.INTAKE_REVIEW)
    answer = actions.compute_promise(order=new, user=staff["clerk"])
    assert answer.state == AnswerState.DONE
    assert not answer.is_stale(order_version=new.version, current_run_id=None)
    run = actions.replan(user=None)
    assert answer.is_stale(order_version=new.version, current_run_id=run.pk)


def test_promise_request_is_answered_by_the_worker_once(
    staff: dict[str, User], mill: dict, django_capture_on_commit_callbacks
) -> None:
    new = order_of(staff["clerk"], mill["paper"], status=Status.INTAKE_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        first = actions.request_promise(order=new)
        second = actions.request_promise(order=new)
    assert first is not None and second is None
    first.refresh_from_db()
    assert first.state == AnswerState.DONE
    assert first.earliest_date is not None
    assert PromiseAnswer.objects.filter(order=new).count() == 1


def test_order_without_routing_gets_a_failed_answer_saying_why(
    staff: dict[str, User], mill: dict
) -> None:
    odd = order_of(staff["clerk"], product("ODD"), status=Status.INTAKE_REVIEW)
    answer = actions.compute_promise(order=odd, user=staff["clerk"])
    assert answer.state == AnswerState.FAILED
    assert "ODD" in answer.reason
    assert PlanRun.objects.count() == 0


def test_replan_falls_back_to_dispatching_when_the_solver_finds_nothing(
    staff: dict[str, User], mill: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gendan.scheduling import PlanResult, Status

    def starved(*args: object, **kwargs: object) -> PlanResult:
        return PlanResult(Status.UNKNOWN, False, None, None, None, 10.0)

    monkeypatch.setattr(services, "plan_all", starved)
    run = actions.replan(user=None)
    assert run.status == "dispatched"
    assert PlannedOperation.objects.filter(run=run).count() == 6
