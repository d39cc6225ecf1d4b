"""Planning pages: the promise panel, the work-centre Gantt and the planners' buttons."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from gendan.accounts.models import User
from gendan.orders.models import Order
from gendan.orders.status import Status
from gendan.planning import actions
from gendan.planning.models import PlanRun, PromiseAnswer
from gendan.production.actions import draft_production_plan
from gendan.production.models import WorkOrder
from tests.planning.conftest import Clock
from tests.planning.factory import centre, local, order_of, product, routing


@pytest.fixture
def client_as(staff: dict[str, User]) -> Callable[[str], Client]:
    def make(name: str) -> Client:
        client = Client()
        client.force_login(staff[name])
        return client

    return make


@pytest.fixture
def mill(staff: dict[str, User], clock: Clock) -> dict[str, object]:
    pm1 = centre("PM1", shifts=3, hours="8", starts=dt.time(0, 0), rest_days=True)
    wnd = centre("WND", shifts=1, hours="8")
    paper = product("CM120")
    routing(paper, [(pm1, 30, "2"), (wnd, 0, "12")])
    orders = [
        order_of(staff["clerk"], paper, tons="30", requested_date=dt.date(2026, 10, day))
        for day in (9, 12)
    ]
    return {"paper": paper, "orders": orders}


def _new_order(staff: dict[str, User], mill: dict) -> Order:
    return order_of(
        staff["clerk"], mill["paper"], tons="30", status=Status.INTAKE_REVIEW,
        requested_date=dt.date(2026, 10, 20),
    )  # fmt: skip


# --- the promise panel ---------------------------------------------------------------------


def test_panel_shows_the_stored_answer_without_solving(
    staff: dict[str, User], mill: dict, client_as: Callable[[str], Client], monkeypatch
) -> None:
    actions.replan(user=None)
    order = _new_order(staff, mill)
    actions.compute_promise(order=order, user=staff["clerk"])

    def no_solving(*args: object, **kwargs: object) -> None:
        raise AssertionError("a page load must not solve")

    monkeypatch.setattr("gendan.planning.services.earliest_date", no_solving)
    response = client_as("clerk").get(reverse("planning:promise", args=[order.number]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="promise-date">2026-10-08' in body
    # First free slot queues it behind the two planned orders (8th and 9th; 10th is a
    # make-up Saturday).
    assert 'data-testid="free-slot-date">2026-10-10' in body
    assert 'data-holds="yes"' in body


def test_recompute_answers_in_place_for_htmx(
    staff: dict[str, User], mill: dict, client_as: Callable[[str], Client]
) -> None:
    order = _new_order(staff, mill)
    response = client_as("clerk").post(
        reverse("planning:recompute", args=[order.number]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="promise-panel",
    )
    assert response.status_code == 200
    assert 'id="promise-panel"' in response.content.decode()
    assert "<html" not in response.content.decode()
    assert PromiseAnswer.objects.get(order=order).earliest_date == dt.date(2026, 10, 8)


def test_promise_of_an_invisible_order_is_not_found(
    staff: dict[str, User], mill: dict, client_as: Callable[[str], Client]
) -> None:
    order = _new_order(staff, mill)
    assert (
        client_as("outsider").get(reverse("planning:promise", args=[order.number])).status_code
        == 404
    )
    url = reverse("planning:recompute", args=[order.number])
    assert client_as("other_clerk").post(url).status_code == 404
    assert not PromiseAnswer.objects.exists()


def test_auditor_sees_the_panel_but_may_not_recompute(
    staff: dict[str, User], mill: dict, client_as: Callable[[str], Client]
) -> None:
    order = _new_order(staff, mill)
    page = client_as("auditor").get(reverse("planning:promise", args=[order.number]))
    assert page.status_code == 200
    assert "planning:recompute" not in page.content.decode()
    assert reverse("planning:recompute", args=[order.number]) not in page.content.decode()
    response = client_as("auditor").post(reverse("planning:recompute", args=[order.number]))
    assert response.status_code == 403
    assert not PromiseAnswer.objects.exists()


# --- the Gantt -----------------------------------------------------------------------------


def test_gantt_is_for_planners_and_management(
    staff: dict[str, User], mill: dict, client_as: Callable[[str], Client]
) -> None:
    url = reverse("planning:gantt")
    assert client_as("planner").get(url).status_code == 200
    assert client_as("production_head").get(url).status_code == 200
    assert client_as("gm").get(url).status_code == 200
    assert client_as("clerk").get(url).status_code == 403
    assert client_as("logistics_reviewer").get(url).status_code == 403


def test_gantt_draws_the_current_run_with_bars_per_centre(
    staff: dict[str, User], mill: dict, client_as: Callable[[str], Client]
) -> None:
    actions.replan(user=staff["planner"])
    body = client_as("gm").get(reverse("planning:gantt"), {"start": "2026-10-06"}).content.decode()
    assert 'data-centre="WND"' in body
    for order in mill["orders"]:
        assert reverse("orders:detail", args=[order.number]) in body
    # 6-9 October: the holiday's last two days are shaded as rest days.
    assert body.count('class="gantt-day closed"') >= 2


def test_gantt_hides_orders_a_planner_may_not_see(
    staff: dict[str, User], mill: dict, client_as: Callable[[str], Client]
) -> None:
    actions.replan(user=None)
    body = (
        client_as("planner")
        .get(reverse("planning:gantt"), {"start": "2026-10-06"})
        .content.decode()
    )
    # The orders are not routed to production yet: the planner sees the load, not the orders.
    assert mill["orders"][0].number not in body
    assert "other order" in body


def test_gantt_of_twenty_centres_over_two_weeks_keeps_its_queries_few(
    staff: dict[str, User],
    mill: dict,
    client_as: Callable[[str], Client],
    django_assert_max_num_queries,
) -> None:
    for index in range(18):
        centre(f"X{index:02d}", shifts=2)
    actions.replan(user=None)
    client = client_as("gm")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("planning:gantt"), {"start": "2026-10-01", "days": 14})
    assert response.status_code == 200
    assert response.content.decode().count('class="gantt-label" data-centre=') == 20


def test_gantt_shows_the_plan_in_force_from_work_orders(
    staff: dict[str, User], mill: dict, client_as: Callable[[str], Client]
) -> None:
    order = mill["orders"][0]
    draft_production_plan(order=order, user=staff["planner"], start=local(2026, 10, 8, 8))
    wo = WorkOrder.objects.filter(order=order).first()
    body = (
        client_as("planner")
        .get(reverse("planning:gantt"), {"start": "2026-10-06", "source": "work_orders"})
        .content.decode()
    )
    assert wo.number in body


# --- planners' buttons ---------------------------------------------------------------------


def test_planner_starts_a_replan_in_the_worker(
    staff: dict[str, User],
    mill: dict,
    client_as: Callable[[str], Client],
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("planner").post(reverse("planning:replan"))
    assert response.status_code == 302
    run = PlanRun.objects.current()
    assert run is not None and run.created_by == staff["planner"]


def test_clerk_may_not_replan(
    staff: dict[str, User], mill: dict, client_as: Callable[[str], Client]
) -> None:
    assert client_as("clerk").post(reverse("planning:replan")).status_code == 403
    assert not PlanRun.objects.exists()


def test_applying_the_plan_moves_work_orders_that_have_not_started(
    staff: dict[str, User], mill: dict, client_as: Callable[[str], Client]
) -> None:
    order = mill["orders"][1]
    draft_production_plan(order=order, user=staff["planner"], start=local(2026, 10, 20, 8))
    actions.replan(user=None)
    response = client_as("planner").post(reverse("planning:apply"), {"reason": "engine plan"})
    assert response.status_code == 302
    ends = [wo.planned_end for wo in WorkOrder.objects.filter(order=order)]
    # The plan delivers the order by its date (12 October) instead of the 20th.
    assert max(ends) <= local(2026, 10, 13)
    assert order.ledger.filter(summary__contains="re-scheduled").exists()


def test_clerk_may_not_apply_a_plan(
    staff: dict[str, User], mill: dict, client_as: Callable[[str], Client]
) -> None:
    actions.replan(user=None)
    assert client_as("clerk").post(reverse("planning:apply"), {"reason": "x"}).status_code == 403
