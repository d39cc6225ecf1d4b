"""Intake from the first call to department review, told by the ledger in order: an incomplete
phone order is completed, sent back once, revised; credit needs a prepayment that finance
records; finance confirms the low margin; the sales head passes intake review."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.core.errors import Blocked
from gendan.credit import actions as credit
from gendan.credit.models import Invoice
from gendan.intake import actions as intake
from gendan.ledger.models import Kind
from gendan.orders.actions import create_order, transition_order, update_order
from gendan.orders.status import Channel, Status
from tests.factories import CustomerFactory, ProductFactory, order_header

pytestmark = pytest.mark.django_db


def test_phone_order_through_intake(users, finance) -> None:
    clerk, head = users["clerk"], users["sales_head"]
    today = timezone.localdate()
    customer = CustomerFactory(name="Kunshan Carton")
    Invoice.objects.create(
        number="FP-OLD",
        customer=customer,
        amount=Decimal("56000"),
        issue_date=today - dt.timedelta(days=77),
        due_date=today - dt.timedelta(days=47),
        created_by=finance,
    )
    product = ProductFactory()
    line = {"product": product, "grammage": 120, "quantity": Decimal("30"), "unit": "t"}
    order = create_order(
        user=clerk,
        header=order_header(customer=customer, channel=Channel.PHONE),
        lines=[{**line, "unit_price": Decimal("2950")}],
    )

    with pytest.raises(Blocked, match="Line 1 has no width or sheet size"):
        transition_order(order=order, name="submit", user=clerk)
    order = update_order(
        order=order,
        user=clerk,
        expected_version=order.version,
        header={},
        lines=[{**line, "width_mm": 1600, "unit_price": Decimal("2950")}],
    )
    order = transition_order(order=order, name="submit", user=clerk)

    order = intake.send_back_for_negotiation(
        order=order,
        user=head,
        reason="Ask Mr Li for ¥2,980 and confirm the width.",
        channel="call",
        counterpart="Mr Li",
    )
    order = update_order(
        order=order,
        user=clerk,
        expected_version=order.version,
        header={},
        lines=[{**line, "width_mm": 1600, "unit_price": Decimal("2980")}],
    )
    order = transition_order(order=order, name="submit", user=clerk)

    with pytest.raises(Blocked) as refused:
        transition_order(order=order, name="approve_intake", user=head)
    assert refused.value.messages == [
        "Credit check needs a guarantee or prepayment of ¥89,400: ¥56,000 overdue for 47 days. "
        "Finance records the guarantee or prepayment on the order's intake page.",
        "Finance must confirm the price: Line 1: margin 9.4% is below the 10% threshold "
        "(¥2,980 quoted, ¥2,700 estimated cost per ton).",
    ]
    credit.record_resolution(
        user=finance, order=order, kind="prepayment", amount="89400", received_on=today
    )
    intake.confirm_margin(order=order, user=finance, note="Repeat customer, 3 more loads due")
    order = transition_order(order=order, name="approve_intake", user=head)
    assert order.status == Status.DEPARTMENT_REVIEW

    story = [
        (entry.kind, entry.summary)
        for entry in order.ledger.order_by("at", "id")
        if entry.kind != Kind.TASK
    ]
    summaries = [summary for _kind, summary in story]
    expected_in_order = [
        "Order ",  # registered
        "Order edited: lines",
        "Submit for intake review",
        "Revision 1 of the order kept as submitted",
        "Intake checks: credit Needs guarantee or prepayment; margin needs finance",
        "Send back for negotiation",
        "Ask Mr Li for ¥2,980",  # the call, logged with the return
        "Order edited: lines",
        "Submit for intake review",
        "Revision 2 of the order kept: 2 changes since revision 1",  # price, amount
        "Intake checks:",
        "Prepayment received: ¥89,400. Credit secured",
        "Finance confirmed the price",
        "Pass intake review",
    ]
    position = 0
    for expected in expected_in_order:
        while not summaries[position].startswith(expected):
            position += 1
            assert position < len(summaries), f"{expected!r} missing or out of order: {story}"
        position += 1
