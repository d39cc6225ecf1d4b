"""Credit actions: who may do what, field-level refusals, and the ledger they write."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gendan.core.errors import Blocked, NotPermitted
from gendan.credit import actions
from gendan.credit.models import CreditAssessment, CreditDocument, Invoice
from gendan.customers.models import CreditRating
from gendan.ledger.models import LedgerEntry
from gendan.ledger.record import subject_of
from tests.factories import CustomerFactory, make_order

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_assessment_sets_the_customers_rating_and_limit_and_is_logged(users, finance) -> None:
    customer = CustomerFactory(credit_limit=Decimal("0"))
    assessment = actions.record_assessment(
        user=finance, customer=customer, rating="B", limit="800000", notes="Audited 2025 accounts"
    )
    customer.refresh_from_db()
    assert (customer.credit_rating, customer.credit_limit) == ("B", Decimal("800000"))
    assert assessment.assessor == finance
    entry = LedgerEntry.objects.get(subject=subject_of(customer))
    assert entry.changes == {
        "credit_rating": [CreditRating.NEW, "B"],
        "credit_limit": ["0.00", "800000.00"],
    }
    assert entry.summary.endswith("rating B, limit ¥800,000")


@pytest.mark.parametrize("who", ["clerk", "sales_head", "technical_reviewer", "auditor"])
def test_only_finance_or_management_may_assess(users, who) -> None:
    with pytest.raises(NotPermitted):
        actions.record_assessment(
            user=users[who], customer=CustomerFactory(), rating="A", limit="1"
        )
    assert not CreditAssessment.objects.exists()


def test_assessment_refuses_unrated_and_future_dates_field_by_field(finance) -> None:
    with pytest.raises(Blocked) as refused:
        actions.record_assessment(
            user=finance,
            customer=CustomerFactory(),
            rating=CreditRating.NEW,
            limit="-5",
            assessed_on=TODAY() + dt.timedelta(days=1),
        )
    assert set(refused.value.fields) == {"rating", "limit", "assessed_on"}


def test_invoice_due_before_issue_and_duplicate_numbers_are_refused(finance) -> None:
    customer = CustomerFactory()
    actions.create_invoice(
        user=finance,
        customer=customer,
        number="FP-001",
        amount="1000",
        issue_date=TODAY(),
        due_date=TODAY(),
    )
    with pytest.raises(Blocked) as refused:
        actions.create_invoice(
            user=finance,
            customer=customer,
            number="FP-001",
            amount="0",
            issue_date=TODAY(),
            due_date=TODAY() - dt.timedelta(days=1),
        )
    assert refused.value.fields["number"] == ["Invoice FP-001 is already registered."]
    assert "amount" in refused.value.fields
    assert refused.value.fields["due_date"] == ["The due date cannot be before the issue date."]
    assert Invoice.objects.count() == 1


def test_invoice_for_another_customers_order_is_refused(users, finance) -> None:
    order = make_order(user=users["clerk"])
    with pytest.raises(Blocked) as refused:
        actions.create_invoice(
            user=finance,
            customer=CustomerFactory(),
            number="FP-9",
            amount="10",
            issue_date=TODAY(),
            due_date=TODAY(),
            order=order,
        )
    assert "order" in refused.value.fields


def test_invoice_of_an_order_appears_in_the_orders_ledger(users, finance) -> None:
    order = make_order(user=users["clerk"])
    actions.create_invoice(
        user=finance,
        customer=order.customer,
        number="FP-2",
        amount="94500",
        issue_date=TODAY(),
        due_date=TODAY() + dt.timedelta(days=30),
        order=order,
    )
    assert order.ledger.filter(summary__startswith="Invoice FP-2").exists()


def test_partial_payments_then_the_rest_settle_the_invoice(finance) -> None:
    invoice = actions.create_invoice(
        user=finance,
        customer=CustomerFactory(),
        number="FP-3",
        amount="100000",
        issue_date=TODAY(),
        due_date=TODAY(),
    )
    actions.record_payment(user=finance, invoice=invoice, amount="44000", paid_on=TODAY())
    invoice.refresh_from_db()
    assert invoice.outstanding == Decimal("56000") and not invoice.is_settled
    with pytest.raises(Blocked) as refused:
        actions.record_payment(user=finance, invoice=invoice, amount="56000.01", paid_on=TODAY())
    assert refused.value.fields["amount"] == ["Only ¥56,000 is still open on invoice FP-3."]
    actions.record_payment(user=finance, invoice=invoice, amount="56000", paid_on=TODAY())
    invoice.refresh_from_db()
    assert invoice.is_settled and invoice.payments.count() == 2
    summaries = LedgerEntry.objects.filter(subject=subject_of(invoice)).values_list(
        "summary", flat=True
    )
    assert any("paid in full" in s for s in summaries)
    with pytest.raises(Blocked):
        actions.record_payment(user=finance, invoice=invoice, amount="1", paid_on=TODAY())


def test_payment_in_the_future_is_refused(finance) -> None:
    invoice = actions.create_invoice(
        user=finance,
        customer=CustomerFactory(),
        number="FP-4",
        amount="10",
        issue_date=TODAY(),
        due_date=TODAY(),
    )
    with pytest.raises(Blocked) as refused:
        actions.record_payment(
            user=finance, invoice=invoice, amount="5", paid_on=TODAY() + dt.timedelta(days=1)
        )
    assert refused.value.fields == {"paid_on": ["This date lies in the future."]}


def test_clerk_adds_documents_outsider_may_not(users) -> None:
    customer = CustomerFactory()
    doc = actions.upload_document(
        user=users["clerk"],
        customer=customer,
        kind="business_licence",
        file=SimpleUploadedFile("licence.pdf", b"%PDF-1.4 licence"),
        valid_until=TODAY() + dt.timedelta(days=365),
    )
    assert doc.file.read() == b"%PDF-1.4 licence"
    assert LedgerEntry.objects.filter(subject=subject_of(customer)).count() == 1
    with pytest.raises(NotPermitted):
        actions.upload_document(
            user=users["outsider"],
            customer=customer,
            kind="business_licence",
            file=SimpleUploadedFile("x.pdf", b"x"),
        )
    assert CreditDocument.objects.count() == 1


def test_resolution_is_finance_only(users) -> None:
    order = make_order(user=users["clerk"])
    with pytest.raises(NotPermitted):
        actions.record_resolution(
            user=users["sales_head"],
            order=order,
            kind="prepayment",
            amount="1",
            received_on=TODAY(),
        )
