import datetime as dt

import pytest

from gendan.core.errors import Blocked, NotPermitted, StaleVersion
from gendan.ledger.models import Kind, LedgerEntry, LedgerIsAppendOnly
from gendan.orders.actions import transition_order, update_order
from gendan.orders.models import Order
from gendan.orders.status import Status
from gendan.workdays.calendar import add_working_days
from tests.factories import make_order

pytestmark = pytest.mark.django_db


def test_new_order_gets_number_and_creation_entry(order: Order) -> None:
    year = dt.date.today().year
    assert order.number == f"SO-{year}-000001"
    assert list(order.ledger.values_list("kind", flat=True)) == [Kind.CREATED]


def test_numbers_follow_each_other(users, order) -> None:
    second = make_order(user=users["clerk"])
    assert int(second.number[-6:]) == int(order.number[-6:]) + 1


def test_submit_then_approve_intake_writes_one_entry_each(users, order) -> None:
    order = transition_order(order=order, name="submit", user=users["clerk"])
    order = transition_order(order=order, name="approve_intake", user=users["sales_head"])
    assert order.status == Status.DEPARTMENT_REVIEW
    assert order.ledger.filter(kind=Kind.TRANSITION).count() == 2


def test_clerk_cannot_pass_intake_review(users, order) -> None:
    transition_order(order=order, name="submit", user=users["clerk"])
    with pytest.raises(NotPermitted):
        transition_order(order=order, name="approve_intake", user=users["clerk"])


def test_hold_and_resume_returns_to_previous_status(users, order) -> None:
    transition_order(order=order, name="submit", user=users["clerk"])
    held = transition_order(order=order, name="hold", user=users["sales_head"], reason="credit")
    assert held.status == Status.ON_HOLD and held.held_from == Status.INTAKE_REVIEW
    resumed = transition_order(order=held, name="resume", user=users["sales_head"])
    assert resumed.status == Status.INTAKE_REVIEW and resumed.held_from == ""


def test_cancel_needs_a_reason_and_changes_nothing_without(users, order) -> None:
    with pytest.raises(Blocked) as excinfo:
        transition_order(order=order, name="cancel", user=users["sales_head"], reason=" ")
    assert "reason" in excinfo.value.fields
    order.refresh_from_db()
    assert order.status == Status.DRAFT and order.version == 1


def test_stale_edit_is_refused(users, order) -> None:
    update_order(order=order, user=users["clerk"], expected_version=1, header={"notes": "a"})
    with pytest.raises(StaleVersion):
        update_order(order=order, user=users["clerk"], expected_version=1, header={"notes": "b"})
    order.refresh_from_db()
    assert order.notes == "a"


def test_edit_writes_before_and_after(users, order) -> None:
    update_order(
        order=order, user=users["clerk"], expected_version=1, header={"delivery_place": "Wuxi"}
    )
    entry = order.ledger.get(kind=Kind.CHANGED)
    assert entry.changes["delivery_place"] == ["Kunshan plant, gate 2", "Wuxi"]


def test_ledger_cannot_be_edited_or_deleted(order) -> None:
    entry = LedgerEntry.objects.get(order=order)
    entry.summary = "rewritten"
    with pytest.raises(LedgerIsAppendOnly):
        entry.save()
    with pytest.raises(LedgerIsAppendOnly):
        entry.delete()
    with pytest.raises(LedgerIsAppendOnly):
        LedgerEntry.objects.filter(order=order).update(summary="x")
    with pytest.raises(LedgerIsAppendOnly):
        LedgerEntry.objects.filter(order=order).delete()


def test_three_working_days_after_national_day_eve() -> None:
    assert add_working_days(dt.date(2026, 9, 30), 3) == dt.date(2026, 10, 10)


def test_visibility(users, order) -> None:
    visible = {name for name, user in users.items() if Order.objects.for_user(user).exists()}
    assert visible == {"clerk", "sales_head", "gm", "admin", "auditor"}


def test_status_counts_follow_the_actions(users, order) -> None:
    from gendan.orders import counters

    transition_order(order=order, name="submit", user=users["clerk"])
    make_order(user=users["other_clerk"])
    assert counters.status_counts(users["gm"]) == {"intake_review": 1, "draft": 1}
    assert counters.status_counts(users["clerk"]) == {"intake_review": 1}
    assert counters.status_counts(users["sales_head"]) == {"intake_review": 1, "draft": 1}
    assert counters.status_counts(users["outsider"]) == {}
    assert counters.stored_counts() == counters.computed_counts()


def test_route_counts_under_stored_status_even_from_a_stale_copy(users, order) -> None:
    from gendan.accounts.models import Department
    from gendan.orders import counters
    from gendan.orders.actions import route_order

    stale = Order.objects.get(pk=order.pk)
    transition_order(order=order, name="submit", user=users["clerk"])
    route_order(stale, Department.objects.get(code="production"))
    assert counters.stored_counts() == counters.computed_counts()
