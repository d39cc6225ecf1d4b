"""The engine behind the intake feasibility check and the production review."""

import datetime as dt

import pytest

from gendan.accounts.models import User
from gendan.intake.feasibility import _checker_class, get_checker
from gendan.orders.models import Order
from gendan.orders.status import Status
from gendan.planning.feasibility import CapableToPromiseChecker
from gendan.planning.models import AnswerState, PromiseAnswer
from gendan.planning.review import ctp_answer_for
from tests.planning.conftest import Clock
from tests.planning.factory import centre, order_of, product, routing


@pytest.fixture
def mill(staff: dict[str, User], clock: Clock) -> dict[str, object]:
    pm1 = centre("PM1", shifts=3, hours="8", starts=dt.time(0, 0), rest_days=True)
    wnd = centre("WND", shifts=1, hours="8")
    paper = product("CM120")
    routing(paper, [(pm1, 30, "2"), (wnd, 0, "12")])
    return {"paper": paper}


@pytest.fixture
def engine_checker(settings: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    settings.GENDAN = {  # type: ignore[attr-defined]
        **settings.GENDAN,  # type: ignore[attr-defined]
        "FEASIBILITY_CHECKER": "gendan.planning.feasibility.CapableToPromiseChecker",
    }
    _checker_class.cache_clear()
    yield
    _checker_class.cache_clear()


def _new(staff: dict[str, User], mill: dict, **header: object) -> Order:
    header.setdefault("requested_date", dt.date(2026, 10, 20))
    return order_of(staff["clerk"], mill["paper"], tons="30", status=Status.INTAKE_REVIEW, **header)


def test_intake_check_never_solves_and_answers_from_the_engine_once_computed(
    staff: dict[str, User], mill: dict, engine_checker: None, django_capture_on_commit_callbacks
) -> None:
    order = _new(staff, mill)
    checker = get_checker()
    assert isinstance(checker, CapableToPromiseChecker)
    with django_capture_on_commit_callbacks(execute=True):
        first = checker.check(order)
    assert "lead-time estimate meanwhile" in first.reason
    assert PromiseAnswer.objects.get(order=order).state == AnswerState.DONE
    second = checker.check(order)
    assert second.earliest_date == dt.date(2026, 10, 8)
    assert second.holds
    assert "Capacity check of" in second.reason and "holds" in second.reason


def test_intake_check_says_when_the_date_does_not_hold(
    staff: dict[str, User], mill: dict, engine_checker: None, django_capture_on_commit_callbacks
) -> None:
    order = _new(staff, mill, requested_date=dt.date(2026, 10, 5))
    with django_capture_on_commit_callbacks(execute=True):
        get_checker().check(order)
    answer = get_checker().check(order)
    assert not answer.holds
    assert answer.earliest_date == dt.date(2026, 10, 8)


def test_intake_check_falls_back_to_lead_times_for_an_order_without_routing(
    staff: dict[str, User], mill: dict, engine_checker: None, django_capture_on_commit_callbacks
) -> None:
    order = order_of(staff["clerk"], product("NOROUTE"), status=Status.INTAKE_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        get_checker().check(order)
    answer = get_checker().check(order)
    assert "No capacity check" in answer.reason and "NOROUTE" in answer.reason
    assert answer.earliest_date is not None


def test_production_review_reads_the_stored_answer(staff: dict[str, User], mill: dict) -> None:
    order = _new(staff, mill)
    assert ctp_answer_for(order) is None
    fresh = ctp_answer_for(order, compute=True, user=staff["production_head"])
    assert fresh is not None and fresh.holds and fresh.earliest_date == dt.date(2026, 10, 8)
    stored = ctp_answer_for(order)
    assert stored is not None and not stored.stale
    assert stored.first_free_slot_date is not None
    Order.objects.filter(pk=order.pk).update(version=order.version + 1)
    order.refresh_from_db()
    assert ctp_answer_for(order).stale
