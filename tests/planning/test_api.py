"""Planning's REST endpoints."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from gendan.accounts.models import User
from gendan.orders.status import Status
from gendan.planning import actions
from gendan.planning.models import PlanRun, PromiseAnswer
from tests.planning.conftest import Clock
from tests.planning.factory import centre, order_of, product, routing


@pytest.fixture
def mill(staff: dict[str, User], clock: Clock) -> dict[str, object]:
    pm1 = centre("PM1", shifts=3, hours="8", starts=dt.time(0, 0), rest_days=True)
    wnd = centre("WND", shifts=1, hours="8")
    paper = product("CM120")
    routing(paper, [(pm1, 30, "2"), (wnd, 0, "12")])
    order = order_of(
        staff["clerk"], paper, tons="30", status=Status.INTAKE_REVIEW,
        requested_date=dt.date(2026, 10, 20),
    )  # fmt: skip
    return {"order": order}


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_promise_is_null_until_asked_then_answered(staff: dict[str, User], mill: dict) -> None:
    url = f"/api/v1/orders/{mill['order'].number}/promise/"
    client = _api(staff["clerk"])
    assert client.get(url).json() == {"promise": None}
    answer = client.post(url).json()["promise"]
    assert answer["holds"] is True
    assert answer["earliest_date"] == "2026-10-08"
    assert answer["stale"] is False
    assert client.get(url).json()["promise"]["earliest_date"] == "2026-10-08"


def test_promise_of_an_invisible_order_is_not_found(staff: dict[str, User], mill: dict) -> None:
    url = f"/api/v1/orders/{mill['order'].number}/promise/"
    assert _api(staff["outsider"]).get(url).status_code == 404
    assert _api(staff["outsider"]).post(url).status_code == 404
    assert not PromiseAnswer.objects.exists()


def test_auditor_may_not_ask_the_engine(staff: dict[str, User], mill: dict) -> None:
    url = f"/api/v1/orders/{mill['order'].number}/promise/"
    assert _api(staff["auditor"]).post(url).status_code == 403


def test_plan_lists_the_operations_the_caller_may_see(staff: dict[str, User], mill: dict) -> None:
    actions.replan(user=None)
    mine = _api(staff["clerk"]).get("/api/v1/planning/plan/", {"start": "2026-10-01"}).json()
    assert mine["run"]["orders_planned"] == 1
    assert {op["order"] for op in mine["operations"]} == {mill["order"].number}
    theirs = _api(staff["other_clerk"]).get("/api/v1/planning/plan/", {"start": "2026-10-01"})
    assert theirs.json()["operations"] == []
    bad = _api(staff["clerk"]).get("/api/v1/planning/plan/", {"days": 400})
    assert bad.status_code == 400 and "days" in bad.json()


def test_replan_is_for_planners(
    staff: dict[str, User], mill: dict, django_capture_on_commit_callbacks
) -> None:
    assert _api(staff["clerk"]).post("/api/v1/planning/replan/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = _api(staff["planner"]).post("/api/v1/planning/replan/")
    assert response.status_code == 202
    assert PlanRun.objects.current() is not None
