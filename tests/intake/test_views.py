"""The order's intake page and the `intake/_checks.html` include: who sees them, the forms,
and errors shown where they belong."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gendan.credit.models import Invoice
from gendan.intake.models import OrderType
from gendan.ledger.models import Kind
from gendan.orders.actions import create_order, transition_order, update_order
from gendan.orders.status import Channel, Status
from tests.factories import CustomerFactory, ProductFactory, make_order, order_header

pytestmark = pytest.mark.django_db


def page(order) -> str:
    return reverse("intake:order", args=[order.number])


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["clerk", "sales_head", "gm", "auditor"])
def test_those_who_see_the_order_see_its_intake_page(client_for, order, who) -> None:
    response = client_for(who).get(page(order))
    assert response.status_code == 200
    assert 'data-check="credit"' in response.content.decode()


@pytest.mark.parametrize("who", ["other_clerk", "outsider", "technical_reviewer"])
def test_others_get_404(client_for, order, who) -> None:
    assert client_for(who).get(page(order)).status_code == 404


def test_the_checks_include_lists_what_is_missing_and_each_check(users) -> None:
    order = create_order(
        user=users["clerk"],
        header=order_header(channel=Channel.VERBAL),
        lines=[
            {
                "product": ProductFactory(),
                "grammage": 120,
                "quantity": Decimal("10"),
                "unit": "t",
                "unit_price": Decimal("2900"),
            }
        ],
    )
    html = Template('{% include "intake/_checks.html" %}').render(Context({"order": order}))
    assert "Line 1 has no width or sheet size" in html
    assert "attach its written record" in html
    assert "Line 1: margin 6.9% is below the 10% threshold" in html
    assert 'data-credit="pass"' in html
    assert "earliest" in html


def test_clerk_sets_the_type_and_types_in_the_record(client_for, users) -> None:
    order = make_order(user=users["clerk"], channel=Channel.VERBAL)
    client = client_for("clerk")
    export = OrderType.objects.get(code="export")
    response = client.post(
        reverse("intake:set_type", args=[order.number]), {"order_type": export.pk}
    )
    assert response.status_code == 302
    assert order.intake.order_type == export
    response = client.post(
        reverse("intake:written_record", args=[order.number]),
        {"text": "", "file": SimpleUploadedFile("call.jpg", b"jpeg")},
    )
    assert response.status_code == 302
    download = client.get(reverse("intake:written_record_file", args=[order.number]))
    assert b"".join(download.streaming_content) == b"jpeg"
    assert (
        client_for("outsider")
        .get(reverse("intake:written_record_file", args=[order.number]))
        .status_code
        == 404
    )


def test_empty_record_shows_the_error_on_the_form(client_for, users) -> None:
    order = make_order(user=users["clerk"], channel=Channel.VERBAL)
    response = client_for("clerk").post(
        reverse("intake:written_record", args=[order.number]), {"text": " "}
    )
    assert response.status_code == 409
    assert "Type in what was agreed, or upload the signed record." in response.content.decode()


def test_finance_confirms_a_low_margin_from_the_intake_page(users, finance) -> None:
    order = create_order(
        user=users["clerk"],
        header=order_header(),
        lines=[
            {
                "product": ProductFactory(),
                "grammage": 120,
                "width_mm": 1600,
                "quantity": Decimal("10"),
                "unit": "t",
                "unit_price": Decimal("2900"),
            }
        ],
    )
    transition_order(order=order, name="submit", user=users["clerk"])
    client = as_user(finance)  # sees the order: its finance task routed it there
    assert "Finance: confirm the price" in client.get(page(order)).content.decode()
    response = client.post(
        reverse("intake:confirm_margin", args=[order.number]), {"note": "Trial order"}
    )
    assert response.status_code == 302
    assert "Confirmed by finance" in client.get(page(order)).content.decode()
    refused = as_user(users["clerk"]).post(
        reverse("intake:confirm_margin", args=[order.number]), {"note": "me too"}
    )
    assert refused.status_code == 403


def test_finance_secures_credit_from_the_intake_page(users, finance) -> None:
    customer = CustomerFactory()
    today = timezone.localdate()
    Invoice.objects.create(
        number="OLD-1",
        customer=customer,
        amount=Decimal("56000"),
        issue_date=today - dt.timedelta(days=77),
        due_date=today - dt.timedelta(days=47),
        created_by=finance,
    )
    order = transition_order(
        order=make_order(user=users["clerk"], customer=customer), name="submit", user=users["clerk"]
    )
    client = as_user(finance)
    response = client.post(
        reverse("intake:resolve_credit", args=[order.number]),
        {"kind": "prepayment", "amount": "94500", "received_on": today.isoformat()},
    )
    assert response.status_code == 302
    assert 'data-credit="needs_cover"' in client.get(page(order)).content.decode()
    assert "Secured" in client.get(page(order)).content.decode()
    bad = client.post(
        reverse("intake:resolve_credit", args=[order.number]),
        {"kind": "prepayment", "amount": "", "received_on": today.isoformat()},
    )
    assert bad.status_code == 400


def test_sales_head_sends_the_order_back_with_the_contact(client_for, users, order) -> None:
    order = transition_order(order=order, name="submit", user=users["clerk"])
    response = client_for("sales_head").post(
        reverse("intake:negotiate", args=[order.number]),
        {
            "reason": "Ask for a later date",
            "channel": "email",
            "counterpart": "Ms Wang",
            "version": order.version,
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Status.DRAFT
    assert order.ledger.get(kind=Kind.COMMUNICATION).counterpart == "Ms Wang"


def test_revisions_page_shows_what_changed(client_for, users, order) -> None:
    order = transition_order(order=order, name="submit", user=users["clerk"])
    order = transition_order(
        order=order, name="return_to_draft", user=users["sales_head"], reason="date"
    )
    order = update_order(
        order=order,
        user=users["clerk"],
        expected_version=order.version,
        header={"requested_date": order.requested_date + dt.timedelta(days=7)},
    )
    transition_order(order=order, name="submit", user=users["clerk"])
    text = (
        client_for("clerk").get(reverse("intake:revisions", args=[order.number])).content.decode()
    )
    assert "requested delivery date" in text
    assert order.requested_date.isoformat() in text
