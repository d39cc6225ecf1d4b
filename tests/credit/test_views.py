"""The credit page of a customer: who sees it (others get 404), finance's forms, errors shown
on the form fields."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gendan.credit import actions
from gendan.credit.models import CreditDocument, Invoice
from tests.factories import CustomerFactory, make_order

pytestmark = pytest.mark.django_db


def page(code: str) -> str:
    return reverse("credit:customer", args=[code])


@pytest.fixture
def customer_with_order(users):
    order = make_order(user=users["clerk"])
    return order.customer, order


@pytest.mark.parametrize("who", ["clerk", "sales_head", "gm", "auditor", "admin"])
def test_people_entitled_see_the_credit_page(client_for, customer_with_order, who) -> None:
    customer, order = customer_with_order
    response = client_for(who).get(page(customer.code))
    assert response.status_code == 200
    assert 'data-testid="exposure">¥94,500.00<' in response.content.decode()
    assert order.number in response.content.decode()


def test_finance_sees_the_credit_page(finance, customer_with_order) -> None:
    client = Client()
    client.force_login(finance)
    assert client.get(page(customer_with_order[0].code)).status_code == 200


@pytest.mark.parametrize("who", ["other_clerk", "outsider", "technical_reviewer"])
def test_others_get_404(client_for, customer_with_order, who) -> None:
    assert client_for(who).get(page(customer_with_order[0].code)).status_code == 404


def test_unknown_customer_is_404(client_for, users) -> None:
    assert client_for("gm").get(page("NOPE")).status_code == 404


def test_finance_records_an_assessment_from_the_page(finance) -> None:
    customer = CustomerFactory(credit_limit=Decimal("0"))
    client = Client()
    client.force_login(finance)
    response = client.post(
        reverse("credit:add_assessment", args=[customer.code]),
        {"rating": "A", "limit": "2000000", "assessed_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.credit_limit == Decimal("2000000")


def test_clerk_may_not_assess(client_for, customer_with_order) -> None:
    customer, _order = customer_with_order
    response = client_for("clerk").post(
        reverse("credit:add_assessment", args=[customer.code]),
        {"rating": "A", "limit": "9", "assessed_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 403


def test_invoice_errors_show_on_the_form(finance) -> None:
    customer = CustomerFactory()
    client = Client()
    client.force_login(finance)
    today = timezone.localdate()
    response = client.post(
        reverse("credit:add_invoice", args=[customer.code]),
        {
            "number": "FP-1",
            "amount": "100",
            "issue_date": today.isoformat(),
            "due_date": (today - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 409
    assert "The due date cannot be before the issue date." in response.content.decode()
    assert not Invoice.objects.exists()


def test_payment_posted_from_the_page_reduces_the_open_amount(finance) -> None:
    customer = CustomerFactory()
    today = timezone.localdate()
    invoice = actions.create_invoice(
        user=finance,
        customer=customer,
        number="FP-7",
        amount="1000",
        issue_date=today,
        due_date=today,
    )
    client = Client()
    client.force_login(finance)
    response = client.post(
        reverse("credit:add_payment", args=[customer.code]),
        {"invoice": invoice.pk, "amount": "400", "paid_on": today.isoformat()},
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.outstanding == Decimal("600")


def test_document_upload_and_download_respect_visibility(client_for, customer_with_order) -> None:
    customer, _order = customer_with_order
    response = client_for("clerk").post(
        reverse("credit:add_document", args=[customer.code]),
        {
            "kind": "financial_statements",
            "file": SimpleUploadedFile("fs.pdf", b"%PDF statements"),
            "valid_until": "",
        },
    )
    assert response.status_code == 302
    doc = CreditDocument.objects.get()
    url = reverse("credit:document", args=[doc.pk])
    assert b"".join(client_for("clerk").get(url).streaming_content) == b"%PDF statements"
    assert client_for("outsider").get(url).status_code == 404


def _credit_page_queries(client: Client, code: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(page(code)).status_code == 200
    return len(queries)


def test_credit_page_reads_invoices_and_payments_in_a_fixed_number_of_queries(
    users, finance
) -> None:
    customer = CustomerFactory()
    make_order(user=users["clerk"], customer=customer)
    today = timezone.localdate()
    client = as_finance(finance)

    def add_invoices(count: int) -> None:
        for _ in range(count):
            invoice = actions.create_invoice(
                user=finance,
                customer=customer,
                number=f"Q-{Invoice.objects.count() + 1}",
                amount="100",
                issue_date=today,
                due_date=today,
            )
            actions.record_payment(user=finance, invoice=invoice, amount="10", paid_on=today)

    add_invoices(2)
    _credit_page_queries(client, customer.code)  # settings rows are created on first use
    few = _credit_page_queries(client, customer.code)
    add_invoices(10)
    assert _credit_page_queries(client, customer.code) == few
    assert few <= 40


def as_finance(finance) -> Client:
    client = Client()
    client.force_login(finance)
    return client
