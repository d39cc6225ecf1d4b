"""The credit rules (I4), each with its boundary cases, and the reasons they give in words."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.accounts.models import User
from gendan.credit.decision import customer_position, decide
from gendan.credit.models import (
    CreditAssessment,
    CreditDocument,
    CreditResolution,
    CreditResult,
    CreditSettings,
    DocumentKind,
    Invoice,
)
from gendan.customers.models import CreditRating, Customer
from gendan.orders.actions import transition_order
from gendan.orders.models import Order
from tests.factories import CustomerFactory, make_order

pytestmark = pytest.mark.django_db

NEEDS = CreditResult.NEEDS_GUARANTEE_OR_PREPAYMENT
ORDER_AMOUNT = Decimal("94500")  # make_order: 30 t at ¥3,150


def invoice(
    customer: Customer,
    amount: str,
    *,
    days_late: int = -10,
    paid: str = "0",
    user: User,
    order: Order | None = None,
) -> Invoice:
    """An invoice due `days_late` days ago (negative: due in the future)."""
    today = timezone.localdate()
    due = today - dt.timedelta(days=days_late)
    return Invoice.objects.create(
        number=f"INV-{Invoice.objects.count() + 1}",
        customer=customer,
        order=order,
        amount=Decimal(amount),
        paid_amount=Decimal(paid),
        issue_date=min(due, today) - dt.timedelta(days=30),
        due_date=due,
        created_by=user,
    )


def test_customer_within_limit_and_paying_on_time_passes(users) -> None:
    order = make_order(user=users["clerk"])
    decision = decide(order)
    assert decision.result == CreditResult.PASS
    assert decision.cleared and decision.reasons == []
    assert decision.position.exposure == ORDER_AMOUNT


def test_exposure_exactly_at_the_limit_passes(users) -> None:
    customer = CustomerFactory(credit_limit=ORDER_AMOUNT)
    order = make_order(user=users["clerk"], customer=customer)
    assert decide(order).result == CreditResult.PASS


def test_exposure_over_the_limit_needs_cover_of_the_excess_in_words(users) -> None:
    customer = CustomerFactory(credit_limit=Decimal("1000000"))
    order = make_order(user=users["clerk"], customer=customer)
    invoice(customer, "1135500", days_late=-20, user=users["clerk"])  # not yet due
    decision = decide(order)
    assert decision.result == NEEDS
    assert decision.reasons == [
        "Exposure ¥1,230,000 would exceed the credit limit ¥1,000,000 by ¥230,000"
    ]
    assert decision.required_cover == Decimal("230000")


def test_exceeding_the_limit_by_exactly_the_block_share_still_needs_cover(users) -> None:
    customer = CustomerFactory(credit_limit=Decimal("200000"))
    order = make_order(user=users["clerk"], customer=customer)  # 94,500
    invoice(customer, "205500", user=users["clerk"])  # exposure 300,000 = limit + 50%
    assert decide(order).result == NEEDS


def test_exceeding_the_limit_by_more_than_the_block_share_blocks(users) -> None:
    customer = CustomerFactory(credit_limit=Decimal("200000"))
    order = make_order(user=users["clerk"], customer=customer)
    invoice(customer, "205500.01", user=users["clerk"])
    decision = decide(order)
    assert decision.result == CreditResult.BLOCKED
    assert "more than 50% over the limit blocks new orders" in decision.summary


def test_overdue_invoice_needs_cover_and_says_how_much_and_how_late(users) -> None:
    customer = CustomerFactory()
    order = make_order(user=users["clerk"], customer=customer)
    invoice(customer, "100000", paid="44000", days_late=47, user=users["clerk"])
    decision = decide(order)
    assert decision.result == NEEDS
    assert decision.reasons == ["¥56,000 overdue for 47 days"]
    assert decision.required_cover == ORDER_AMOUNT


def test_invoice_late_within_the_grace_days_is_not_overdue(users) -> None:
    customer = CustomerFactory()
    order = make_order(user=users["clerk"], customer=customer)
    invoice(customer, "10000", days_late=5, user=users["clerk"])  # grace: 5 days
    assert decide(order).result == CreditResult.PASS
    Invoice.objects.update(due_date=timezone.localdate() - dt.timedelta(days=6))
    assert decide(order).result == NEEDS


def test_invoice_ninety_days_late_needs_cover_ninety_one_blocks(users) -> None:
    customer = CustomerFactory()
    order = make_order(user=users["clerk"], customer=customer)
    invoice(customer, "10000", days_late=90, user=users["clerk"])
    assert decide(order).result == NEEDS
    Invoice.objects.update(due_date=timezone.localdate() - dt.timedelta(days=91))
    decision = decide(order)
    assert decision.result == CreditResult.BLOCKED
    assert decision.summary == (
        "Credit check blocks the order: ¥10,000 overdue for 91 days "
        "(more than 90 days late blocks new orders)."
    )


def test_overdue_amount_reaching_the_block_amount_blocks(users) -> None:
    customer = CustomerFactory(credit_limit=Decimal("10000000"))
    order = make_order(user=users["clerk"], customer=customer)
    late = invoice(customer, "499999.99", days_late=10, user=users["clerk"])
    assert decide(order).result == NEEDS
    Invoice.objects.filter(pk=late.pk).update(amount=Decimal("500000"))
    assert decide(order).result == CreditResult.BLOCKED


def test_thresholds_come_from_the_settings(users) -> None:
    customer = CustomerFactory()
    order = make_order(user=users["clerk"], customer=customer)
    invoice(customer, "10000", days_late=20, user=users["clerk"])
    CreditSettings.load()
    CreditSettings.objects.update(grace_days=30)
    assert decide(order).result == CreditResult.PASS
    CreditSettings.objects.update(grace_days=0, block_days_late=10)
    assert decide(order).result == CreditResult.BLOCKED


def test_new_customer_without_assessment_needs_cover_and_names_missing_documents(
    users,
) -> None:
    customer = CustomerFactory(credit_limit=Decimal("0"))
    order = make_order(user=users["clerk"], customer=customer)
    CreditDocument.objects.create(
        customer=customer,
        kind=DocumentKind.BUSINESS_LICENCE,
        file="credit/licence.pdf",
        valid_until=timezone.localdate() - dt.timedelta(days=1),
        uploaded_by=users["clerk"],
    )
    decision = decide(order)
    assert decision.result == NEEDS
    expired = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert decision.reasons == [
        f"{customer} is a new customer without a credit assessment (Business licence expired "
        f"on {expired}, Financial statements is missing)"
    ]
    assert decision.required_cover == ORDER_AMOUNT


def test_assessed_customer_with_zero_limit_must_pay_in_advance(users) -> None:
    customer = CustomerFactory(credit_limit=Decimal("0"), credit_rating=CreditRating.C)
    CreditAssessment.objects.create(
        customer=customer,
        rating=CreditRating.C,
        limit=0,
        assessed_on=timezone.localdate(),
        assessor=users["gm"],
    )
    decision = decide(make_order(user=users["clerk"], customer=customer))
    assert (decision.result, decision.reasons) == (NEEDS, ["The credit limit is ¥0"])


def test_rating_d_is_cash_business_only(users) -> None:
    customer = CustomerFactory(credit_rating=CreditRating.D)
    decision = decide(make_order(user=users["clerk"], customer=customer))
    assert decision.result == NEEDS
    assert decision.reasons == ["Rating D allows cash business only"]


def test_cover_clears_the_check_only_once_it_reaches_what_is_needed(users) -> None:
    customer = CustomerFactory(credit_limit=Decimal("1000000"))
    order = make_order(user=users["clerk"], customer=customer)
    invoice(customer, "1135500", user=users["clerk"])
    CreditResolution.objects.create(
        order=order,
        kind="prepayment",
        amount=Decimal("229999.99"),
        received_on=timezone.localdate(),
        recorded_by=users["gm"],
    )
    decision = decide(order)
    assert not decision.cleared and decision.missing_cover == Decimal("0.01")
    CreditResolution.objects.create(
        order=order,
        kind="guarantee",
        amount=Decimal("0.01"),
        received_on=timezone.localdate(),
        recorded_by=users["gm"],
    )
    decision = decide(order)
    assert decision.cleared and decision.resolved
    assert decision.summary == "Credit secured: ¥230,000 received (needed ¥230,000)."


def test_exposure_leaves_out_finished_orders_and_counts_invoiced_orders_once(users) -> None:
    customer = CustomerFactory()
    first = make_order(user=users["clerk"], customer=customer)
    second = make_order(user=users["clerk"], customer=customer)
    cancelled = make_order(user=users["clerk"], customer=customer)
    transition_order(order=cancelled, name="cancel", user=users["sales_head"], reason="gone")
    invoice(customer, "50000", user=users["clerk"], order=first)
    position = customer_position(customer)
    # first: 94,500 of which 50,000 invoiced; second: 94,500; cancelled: nothing.
    assert position.open_orders_amount == Decimal("139000")
    assert position.receivables == Decimal("50000")
    assert position.exposure == Decimal("189000")
    assert decide(second).position.exposure == Decimal("189000")


def test_paid_invoices_weigh_nothing(users) -> None:
    customer = CustomerFactory()
    order = make_order(user=users["clerk"], customer=customer)
    invoice(customer, "80000", paid="80000", days_late=200, user=users["clerk"])
    decision = decide(order)
    assert decision.result == CreditResult.PASS
    assert decision.position.receivables == 0 and decision.position.max_days_late == 0
