"""The order page carries the later steps: intake checks, the delivery promise, the emergency
panel, and links to the order's review, meeting, contract, confirmation, allocation, purchase
plan, production plan and documents — each where the order's stage calls for it."""

import re

import pytest
from django.urls import reverse

from gendan.emergency.actions import identify_emergency
from gendan.orders.actions import transition_order
from gendan.orders.models import Order
from gendan.orders.status import Status
from gendan.reviews.models import ReviewMeeting
from tests.factories import complete_department_review, make_order, sign_contract

pytestmark = pytest.mark.django_db


def page(client, order: Order) -> str:  # type: ignore[no-untyped-def]
    response = client.get(order.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def links(html: str) -> dict[str, str]:
    """The "Order file" links: key → address."""
    return dict(re.findall(r'data-link="([a-z_]+)"><a href="([^"]+)"', html))


def test_draft_order_shows_intake_checks_promise_and_emergency_button(client_for, order):
    html = page(client_for("clerk"), order)
    side = html.split('class="area-side"')[1]
    assert 'id="intake-checks"' in html
    assert 'data-check="credit"' in html and 'data-check="feasibility"' in html
    # The promise panel and the emergency panel come before the pipeline's steps.
    assert side.index('id="emergency-panel"') < side.index('id="steps"')
    assert side.index('id="promise-panel"') < side.index('id="steps"')
    assert reverse("emergency:identify", args=[order.number]) in html
    assert links(html) == {"documents": reverse("documents:order", args=[order.number])}


def test_auditor_sees_the_checks_but_no_identify_button(client_for, order):
    html = page(client_for("auditor"), order)
    assert 'id="intake-checks"' in html
    assert reverse("emergency:identify", args=[order.number]) not in html


def test_emergency_order_shows_its_case(client_for, users, order):
    case = identify_emergency(
        order=order,
        user=users["clerk"],
        basis="customer_date",
        reason="The customer's line stops on Friday.",
        required_date=order.requested_date,
    )
    html = page(client_for("sales_head"), order)
    assert case.get_absolute_url() in html
    assert reverse("emergency:identify", args=[order.number]) not in html


def test_finished_order_shows_neither_intake_checks_nor_promise(client_for, order):
    Order.objects.filter(pk=order.pk).update(status=Status.CLOSED)
    html = page(client_for("gm"), order)
    assert 'id="intake-checks"' not in html
    assert 'id="promise-panel"' not in html
    assert 'id="emergency-panel"' not in html


def test_links_follow_the_order_through_review_contract_and_execution(client_for, users):
    order = make_order(user=users["clerk"])
    transition_order(order=order, name="submit", user=users["clerk"])
    order = transition_order(order=order, name="approve_intake", user=users["sales_head"])
    number = order.number
    client = client_for("clerk")

    in_review = links(page(client, order))
    assert in_review["reviews"] == reverse("reviews:order", args=[number])
    assert in_review["production_plan"] == reverse("production:plan", args=[number])
    assert "contract" not in in_review and "purchase_plan" not in in_review

    complete_department_review(order, users)
    meeting = ReviewMeeting.objects.get(order=order)
    order = transition_order(order=order, name="approve_review", user=users["sales_head"])
    at_contract = links(page(client, order))
    assert at_contract["meeting"] == reverse("reviews:meeting", args=[meeting.pk])
    assert at_contract["contract"] == reverse("contracts:contract", args=[number])
    assert "allocation" not in at_contract

    sign_contract(order, users)
    order = transition_order(order=order, name="confirm", user=users["clerk"])
    html = page(client, order)
    confirmed = links(html)
    assert confirmed["confirmation"] == reverse("contracts:contract", args=[number]) + (
        "#confirmation"
    )
    assert confirmed["allocation"] == reverse("contracts:allocation", args=[number])
    assert confirmed["purchase_plan"] == reverse("purchasing:plan", args=[number])
    assert confirmed["production_plan"] == reverse("production:plan", args=[number])
    assert 'id="intake-checks"' not in html
    # Every link opens for the clerk who sees the order.
    for url in confirmed.values():
        assert client.get(url.split("#")[0]).status_code == 200, url


def test_order_page_links_are_not_shown_to_those_who_do_not_see_the_order(client_for, order):
    assert client_for("outsider").get(order.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(("name", "shown"), [("clerk", True), ("sales_head", True), ("gm", True)])
def test_order_list_links_to_the_excel_import_for_those_who_may_import(client_for, name, shown):
    html = client_for(name).get(reverse("orders:list")).content.decode()
    assert (reverse("intake:import") in html) is shown
    assert client_for(name).get(reverse("intake:import")).status_code == 200


@pytest.mark.parametrize("name", ["auditor", "production_head", "technical_reviewer"])
def test_order_list_hides_the_excel_import_from_those_who_may_not(client_for, name):
    html = client_for(name).get(reverse("orders:list")).content.decode()
    assert reverse("intake:import") not in html


def test_customer_page_links_to_the_credit_file_for_those_who_may_see_it(client_for, users, order):
    customer = order.customer
    credit = reverse("credit:customer", args=[customer.code])
    detail = reverse("customers:detail", args=[customer.pk])
    for name in ("clerk", "sales_head", "gm", "auditor"):
        assert credit in client_for(name).get(detail).content.decode(), name
        assert client_for(name).get(credit).status_code == 200, name
    # The other clerk follows none of this customer's orders: no link, and no credit file.
    assert credit not in client_for("other_clerk").get(detail).content.decode()
    assert client_for("other_clerk").get(credit).status_code in (403, 404)
