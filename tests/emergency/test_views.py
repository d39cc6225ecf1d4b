"""Emergency pages: identification form, the emergency page, choosing an option, the weekly
review as a page and a PDF."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from gendan.accounts.models import User
from gendan.emergency import actions
from gendan.emergency.models import Basis, CaseStatus, EmergencyCase
from tests.emergency.scenario import MONDAY, mill, rush_order
from tests.planning.conftest import Clock
from tests.planning.factory import local


@pytest.fixture
def shop(staff: dict[str, User], clock: Clock) -> dict[str, object]:
    clock.now = MONDAY
    return mill(staff)


@pytest.fixture
def client_as(staff: dict[str, User]) -> Callable[[str], Client]:
    def make(name: str) -> Client:
        client = Client()
        client.force_login(staff[name])
        return client

    return make


def test_clerk_fills_in_the_identification_form(
    staff: dict[str, User], shop: dict, client_as: Callable[[str], Client]
) -> None:
    order = rush_order(staff, shop["paper"])
    url = reverse("emergency:identify", args=[order.number])
    page = client_as("clerk").get(url)
    assert page.status_code == 200
    assert "management_flag" not in page.content.decode()  # management's reason is not offered
    response = client_as("clerk").post(
        url, {"basis": Basis.SHORT_LEAD_TIME, "reason": "Line restart", "required_date": ""}
    )
    case = EmergencyCase.objects.get(order=order)
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.required_date == order.requested_date


def test_identification_refused_shows_the_field_error(
    staff: dict[str, User], shop: dict, client_as: Callable[[str], Client]
) -> None:
    order = rush_order(staff, shop["paper"], requested_date=dt.date(2026, 12, 1))
    response = client_as("clerk").post(
        reverse("emergency:identify", args=[order.number]),
        {"basis": Basis.SHORT_LEAD_TIME, "reason": "hurry"},
    )
    assert response.status_code == 409
    assert "normal cycle" in response.content.decode()
    assert not EmergencyCase.objects.exists()


def test_identification_form_is_forbidden_to_other_departments_and_hidden_from_outsiders(
    staff: dict[str, User], shop: dict, client_as: Callable[[str], Client]
) -> None:
    order = rush_order(staff, shop["paper"])
    url = reverse("emergency:identify", args=[order.number])
    assert client_as("outsider").get(url).status_code == 404
    assert client_as("gm").get(url).status_code == 200
    order_of_other = rush_order(staff, shop["paper"])
    order_of_other.clerk = staff["other_clerk"]
    order_of_other.save()
    assert (
        client_as("clerk")
        .get(reverse("emergency:identify", args=[order_of_other.number]))
        .status_code
        == 404
    )


def test_emergency_page_walks_from_confirmation_to_decision(
    staff: dict[str, User],
    shop: dict,
    client_as: Callable[[str], Client],
    django_capture_on_commit_callbacks,
) -> None:
    order = rush_order(staff, shop["paper"])
    case = actions.identify_emergency(
        order=order, user=staff["clerk"], basis=Basis.CUSTOMER_DATE, reason="Line restart"
    )
    page = client_as("clerk").get(case.get_absolute_url())
    assert page.status_code == 200
    assert reverse("emergency:confirm", args=[case.number]) in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("clerk").post(
            reverse("emergency:confirm", args=[case.number]), {"note": "30 t by Thursday"}
        )
    assert response.status_code == 302
    page = client_as("planner").get(case.get_absolute_url()).content.decode()
    assert 'data-option="overtime"' in page and 'data-option="expedite"' in page
    overtime = case.options.get(kind="overtime")
    choose = reverse("emergency:choose", args=[case.number, overtime.pk])
    assert choose in page
    assert choose not in client_as("clerk").get(case.get_absolute_url()).content.decode()
    assert client_as("clerk").post(choose).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("planner").post(choose, {"note": "Overtime agreed with the team."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.chosen_option == overtime


def test_options_panel_polls_while_the_worker_computes(
    staff: dict[str, User], shop: dict, client_as: Callable[[str], Client]
) -> None:
    order = rush_order(staff, shop["paper"])
    case = actions.identify_emergency(
        order=order, user=staff["clerk"], basis=Basis.CUSTOMER_DATE, reason="Line restart"
    )
    actions.confirm_with_customer(case=case, user=staff["clerk"], note="ok")  # job not run yet
    body = (
        client_as("planner").get(reverse("emergency:options", args=[case.number])).content.decode()
    )
    assert 'hx-trigger="every 3s"' in body


def test_weekly_review_lists_last_weeks_emergency_orders_with_their_problems(
    staff: dict[str, User],
    shop: dict,
    clock: Clock,
    client_as: Callable[[str], Client],
    django_capture_on_commit_callbacks,
) -> None:
    old = rush_order(staff, shop["paper"], requested_date=dt.date(2026, 10, 30))
    clock.now = local(2026, 10, 2, 10)  # two weeks before the review: not listed
    ancient = actions.identify_emergency(
        order=old, user=staff["clerk"], basis=Basis.CUSTOMER_DATE, reason="old one"
    )
    clock.now = MONDAY  # last week for a review held in the week of 19 October
    fresh = actions.identify_emergency(
        order=rush_order(staff, shop["paper"]),
        user=staff["clerk"],
        basis=Basis.CUSTOMER_DATE,
        reason="Line restart",
    )
    clock.now = MONDAY + dt.timedelta(hours=3)  # confirmed an hour after the 2-hour deadline
    with django_capture_on_commit_callbacks(execute=True):
        actions.confirm_with_customer(case=fresh, user=staff["clerk"], note="ok")
    actions.record_problem(case=fresh, user=staff["planner"], text="Pulp truck delayed")
    clock.now = local(2026, 10, 19, 9)
    client = client_as("sales_head")
    page = client.get(reverse("emergency:weekly"))
    assert page.status_code == 200
    body = page.content.decode()
    assert f'data-case="{fresh.number}"' in body
    assert f'data-case="{ancient.number}"' not in body
    assert "Pulp truck delayed" in body
    assert "after the deadline" in body
    pdf = client.get(reverse("emergency:weekly_pdf"), {"week": "2026-10-19"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_weekly_review_is_not_for_clerks(
    staff: dict[str, User], shop: dict, client_as: Callable[[str], Client]
) -> None:
    assert client_as("clerk").get(reverse("emergency:weekly")).status_code == 403
    assert client_as("clerk").get(reverse("emergency:weekly_pdf")).status_code == 403
    assert client_as("planner").get(reverse("emergency:weekly")).status_code == 200


def test_case_of_an_invisible_order_is_not_found(
    staff: dict[str, User], shop: dict, client_as: Callable[[str], Client]
) -> None:
    case = actions.identify_emergency(
        order=rush_order(staff, shop["paper"]),
        user=staff["clerk"],
        basis=Basis.CUSTOMER_DATE,
        reason="x",
    )
    assert client_as("outsider").get(case.get_absolute_url()).status_code == 404
    assert (
        client_as("other_clerk")
        .post(reverse("emergency:problem", args=[case.number]), {"text": "x"})
        .status_code
        == 404
    )


def test_order_panel_offers_identification_to_the_clerk_only(
    staff: dict[str, User], shop: dict
) -> None:
    from django.template import Context, Template
    from django.test import RequestFactory

    order = rush_order(staff, shop["paper"])
    template = Template('{% include "emergency/_order_panel.html" %}')

    def render(name: str) -> str:
        request = RequestFactory().get("/")
        request.user = staff[name]
        return template.render(Context({"order": order, "request": request}))

    url = reverse("emergency:identify", args=[order.number])
    assert url in render("clerk")
    assert url not in render("production_head")
