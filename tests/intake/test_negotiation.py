"""I7: problems go back to the customer, every contact is logged, the revised order is
re-checked, and each submitted revision is kept and can be compared."""

from decimal import Decimal

import pytest

from gendan.core.errors import Blocked
from gendan.intake import actions
from gendan.intake.models import OrderRevision
from gendan.intake.revisions import diff_snapshots
from gendan.ledger.models import Kind
from gendan.orders.actions import transition_order, update_order
from gendan.orders.status import Status

pytestmark = pytest.mark.django_db


def test_submit_keeps_the_order_as_revision_one(users, order) -> None:
    transition_order(order=order, name="submit", user=users["clerk"])
    revision = OrderRevision.objects.get(order=order)
    assert revision.n == 1 and revision.created_by == users["clerk"]
    assert revision.snapshot["header"]["delivery_place"] == "Kunshan plant, gate 2"
    assert revision.snapshot["lines"][0]["quantity"] == "30.000"
    assert order.ledger.filter(summary="Revision 1 of the order kept as submitted").exists()


def test_negotiation_round_trip_keeps_history_and_logs_each_contact(users, order) -> None:
    order = transition_order(order=order, name="submit", user=users["clerk"])
    order = actions.send_back_for_negotiation(
        order=order,
        user=users["sales_head"],
        reason="Price below our floor; ask for ¥3,180 and 25 t.",
        channel="call",
        counterpart="Mr Li, purchasing",
        expected_version=order.version,
    )
    assert order.status == Status.DRAFT
    contact = order.ledger.get(kind=Kind.COMMUNICATION)
    assert (contact.channel, contact.counterpart) == ("call", "Mr Li, purchasing")

    line = order.lines.get()
    order = update_order(
        order=order,
        user=users["clerk"],
        expected_version=order.version,
        header={"delivery_place": "Kunshan plant, gate 3"},
        lines=[
            {
                "product": line.product,
                "grammage": line.grammage,
                "width_mm": line.width_mm,
                "quantity": Decimal("25"),
                "unit": line.unit,
                "unit_price": Decimal("3180"),
            }
        ],
    )
    transition_order(order=order, name="submit", user=users["clerk"])
    first, second = OrderRevision.objects.filter(order=order).order_by("n")
    changes = {
        (c.where, c.field): (c.before, c.after)
        for c in diff_snapshots(first.snapshot, second.snapshot)
    }
    assert changes[("Order", "delivery place")] == (
        "Kunshan plant, gate 2",
        "Kunshan plant, gate 3",
    )
    assert changes[("Line 1", "quantity")] == ("30.000", "25.000")
    assert changes[("Line 1", "unit price (CNY)")] == ("3150.00", "3180.00")
    assert changes[("Order", "amount (CNY)")] == ("94500.00", "79500.00")
    assert order.ledger.filter(
        summary="Revision 2 of the order kept: 4 changes since revision 1"
    ).exists()
    # Each submit ran the checks again.
    assert order.ledger.filter(summary__startswith="Intake checks:").count() == 2


def test_added_and_removed_lines_show_in_the_diff() -> None:
    old = {"header": {}, "lines": [{"position": 1, "product": "P1", "quantity": "1"}]}
    new = {"header": {}, "lines": [{"position": 2, "product": "P2", "quantity": "2"}]}
    changes = diff_snapshots(old, new)
    assert [(c.where, c.field) for c in changes] == [("Line 1", "removed"), ("Line 2", "added")]


def test_sending_back_needs_a_reason_and_changes_nothing_without(users, order) -> None:
    order = transition_order(order=order, name="submit", user=users["clerk"])
    with pytest.raises(Blocked):
        actions.send_back_for_negotiation(
            order=order, user=users["sales_head"], reason=" ", channel="call", counterpart="Li"
        )
    order.refresh_from_db()
    assert order.status == Status.INTAKE_REVIEW
    assert not order.ledger.filter(kind=Kind.COMMUNICATION).exists()


def test_contact_details_refused_roll_back_the_return(users, order) -> None:
    order = transition_order(order=order, name="submit", user=users["clerk"])
    with pytest.raises(Blocked) as refused:
        actions.send_back_for_negotiation(
            order=order, user=users["sales_head"], reason="Price", channel="call", counterpart=" "
        )
    assert "counterpart" in refused.value.fields
    order.refresh_from_db()
    assert order.status == Status.INTAKE_REVIEW
