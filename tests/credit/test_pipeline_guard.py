"""The credit check in the pipeline: `approve_intake` refuses with the reason in words until
finance secures the order; submit opens finance's task, securing the order closes it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.core.errors import Blocked
from gendan.credit import actions
from gendan.credit.models import Invoice
from gendan.orders.actions import transition_order
from gendan.orders.pipeline import available_transitions
from gendan.orders.status import Status
from gendan.tasks.models import Task, TaskState
from tests.factories import CustomerFactory, make_order

pytestmark = pytest.mark.django_db


def overdue(customer, amount: str, days: int, user) -> Invoice:
    today = timezone.localdate()
    return Invoice.objects.create(
        number=f"L-{days}-{amount}",
        customer=customer,
        amount=Decimal(amount),
        issue_date=today - dt.timedelta(days=days + 30),
        due_date=today - dt.timedelta(days=days),
        created_by=user,
    )


def submitted(users, **header):
    order = make_order(user=users["clerk"], **header)
    return transition_order(order=order, name="submit", user=users["clerk"])


def test_blocked_customer_cannot_pass_intake_review(users, finance) -> None:
    customer = CustomerFactory()
    overdue(customer, "56000", 120, finance)
    order = submitted(users, customer=customer)
    with pytest.raises(Blocked) as refused:
        transition_order(order=order, name="approve_intake", user=users["sales_head"])
    assert refused.value.messages == [
        "Credit check blocks the order: ¥56,000 overdue for 120 days "
        "(more than 90 days late blocks new orders)."
    ]
    order.refresh_from_db()
    assert order.status == Status.INTAKE_REVIEW


def test_a_guarantee_does_not_unblock_a_blocked_customer(users, finance) -> None:
    customer = CustomerFactory()
    overdue(customer, "56000", 120, finance)
    order = submitted(users, customer=customer)
    actions.record_resolution(
        user=finance,
        order=order,
        kind="guarantee",
        amount="1000000",
        received_on=timezone.localdate(),
    )
    with pytest.raises(Blocked):
        transition_order(order=order, name="approve_intake", user=users["sales_head"])


def test_needs_prepayment_until_finance_records_it(users, finance) -> None:
    customer = CustomerFactory()
    overdue(customer, "56000", 47, finance)
    order = submitted(users, customer=customer)
    task = Task.objects.get(order=order, kind="credit_check")
    assert task.department.code == "finance" and task.state == TaskState.OPEN

    step = next(
        a
        for a in available_transitions(order, users["sales_head"])
        if a.transition.name == "approve_intake"
    )
    assert step.blockers == [
        "Credit check needs a guarantee or prepayment of ¥94,500: ¥56,000 overdue for 47 "
        "days. Finance records the guarantee or prepayment on the order's intake page."
    ]

    actions.record_resolution(
        user=finance,
        order=order,
        kind="prepayment",
        amount="94500",
        received_on=timezone.localdate(),
        reference="BOC 2026-0001",
    )
    task.refresh_from_db()
    assert task.state == TaskState.DONE and task.completed_by == finance
    entry = order.ledger.get(data__credit_resolution__isnull=False)
    assert entry.summary == (
        "Prepayment received: ¥94,500. Credit secured: ¥94,500 received (needed ¥94,500)."
    )
    order = transition_order(order=order, name="approve_intake", user=users["sales_head"])
    assert order.status == Status.DEPARTMENT_REVIEW


def test_order_within_credit_opens_no_finance_task(users) -> None:
    order = submitted(users)
    assert not Task.objects.filter(order=order, kind="credit_check").exists()


def test_raising_the_limit_by_assessment_finishes_the_finance_task(users, finance) -> None:
    """Finance may clear an order by a new assessment instead of a prepayment: the order's
    credit task is then done too, not left open for ever."""
    customer = CustomerFactory(credit_limit=Decimal("50000"), credit_rating="B")
    order = submitted(users, customer=customer)  # ¥94,500 against a ¥50,000 limit
    task = Task.objects.get(order=order, kind="credit_check")
    assert task.state == TaskState.OPEN

    actions.record_assessment(user=finance, customer=customer, rating="B", limit="40000")
    task.refresh_from_db()
    assert task.state == TaskState.OPEN  # a lower limit clears nothing

    actions.record_assessment(user=finance, customer=customer, rating="A", limit="500000")
    task.refresh_from_db()
    assert task.state == TaskState.DONE and task.completed_by == finance
    order = transition_order(order=order, name="approve_intake", user=users["sales_head"])
    assert order.status == Status.DEPARTMENT_REVIEW
