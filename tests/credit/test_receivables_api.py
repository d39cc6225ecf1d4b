"""The credit file's documents, invoices and payments through the REST API: the same actions
and rules as the credit page, field errors 400, a role that may not act 403, a customer the
caller may not see 404; a payment lowers the overdue figures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from gendan.credit import actions
from gendan.credit.models import CreditDocument, Invoice, Payment
from gendan.ledger.models import LedgerEntry
from tests.factories import make_order

pytestmark = pytest.mark.django_db
API = "/api/v1"


def api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def credit(code: str, suffix: str = "") -> str:
    return f"{API}/customers/{code}/credit/{suffix}"


def days_ago(n: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=n)).isoformat()


@pytest.fixture
def followed(users):
    """An order of `clerk`'s: its customer's credit file is visible to that clerk."""
    return make_order(user=users["clerk"])


@pytest.fixture
def late_invoice(finance, followed) -> Invoice:
    """¥30,000 due 40 days ago, unpaid: overdue (grace 5 days), 40 days late."""
    return actions.create_invoice(
        user=finance,
        customer=followed.customer,
        number="INV-LATE",
        amount="30000",
        issue_date=timezone.localdate() - dt.timedelta(days=70),
        due_date=timezone.localdate() - dt.timedelta(days=40),
    )


# --- documents ---------------------------------------------------------------------------------


def test_clerk_uploads_a_document_and_lists_it(users, followed) -> None:
    code = followed.customer.code
    url = credit(code, "documents/")
    before = api(users["clerk"]).get(credit(code)).json()["document_problems"]
    assert any("Business licence" in problem for problem in before)
    response = api(users["clerk"]).post(
        url,
        {
            "kind": "business_licence",
            "file": SimpleUploadedFile("licence.pdf", b"%PDF-1.4 licence"),
            "valid_until": "2030-01-31",
            "title": "Licence 2026",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["title"], body["valid_until"]) == (
        "business_licence",
        "Licence 2026",
        "2030-01-31",
    )
    assert body["valid_today"] is True and body["uploaded_by"]
    doc = CreditDocument.objects.get(pk=body["id"])
    assert doc.customer == followed.customer and doc.file.read() == b"%PDF-1.4 licence"
    assert LedgerEntry.objects.filter(data__credit_document=doc.pk).exists()  # through the action
    listed = api(users["gm"]).get(url).json()
    assert [row["id"] for row in listed] == [doc.pk]
    assert listed[0]["url"] == f"/credit/documents/{doc.pk}/"
    after = api(users["clerk"]).get(credit(code)).json()["document_problems"]
    assert not any("Business licence" in problem for problem in after)


def test_document_upload_field_errors(users, followed) -> None:
    url = credit(followed.customer.code, "documents/")
    response = api(users["clerk"]).post(
        url, {"kind": "passport", "valid_until": "soon"}, format="multipart"
    )
    assert response.status_code == 400
    assert {"kind", "file", "valid_until"} <= set(response.json())
    assert not CreditDocument.objects.exists()


@pytest.mark.parametrize("who", ["auditor", "technical_reviewer"])
def test_roles_that_may_not_add_documents_get_403(users, followed, who) -> None:
    response = api(users[who]).post(
        credit(followed.customer.code, "documents/"),
        {"kind": "other", "file": SimpleUploadedFile("x.pdf", b"x")},
        format="multipart",
    )
    # the auditor sees the file (403); the technical reviewer does not even see it (404)
    assert response.status_code == (403 if who == "auditor" else 404)
    assert not CreditDocument.objects.exists()


@pytest.mark.parametrize("suffix", ["documents/", "invoices/"])
@pytest.mark.parametrize("who", ["other_clerk", "outsider", "technical_reviewer"])
def test_who_may_not_see_the_credit_file_gets_404(users, followed, suffix, who) -> None:
    url = credit(followed.customer.code, suffix)
    assert api(users[who]).get(url).status_code == 404
    assert api(users[who]).post(url, {}).status_code == 404


def test_unknown_customer_is_404(users, finance) -> None:
    assert api(finance).get(credit("NOPE", "invoices/")).status_code == 404
    assert api(finance).get(credit("NOPE", "documents/")).status_code == 404


# --- invoices ----------------------------------------------------------------------------------


def test_finance_registers_an_invoice_against_an_order(users, followed) -> None:
    """Management counts as finance, and (unlike a finance reviewer) sees the draft order."""
    finance = users["gm"]
    code = followed.customer.code
    payload = {
        "number": "INV-100",
        "amount": "12500.00",
        "issue_date": days_ago(10),
        "due_date": days_ago(-20),
        "order": followed.number,
    }
    response = api(finance).post(credit(code, "invoices/"), payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["number"], body["order"], body["amount"], body["outstanding"]) == (
        "INV-100",
        followed.number,
        "12500.00",
        "12500.00",
    )
    assert body["days_late"] == 0 and body["overdue_amount"] == "0.00" and body["payments"] == []
    invoice = Invoice.objects.get(number="INV-100")
    assert invoice.customer == followed.customer and invoice.order == followed
    assert LedgerEntry.objects.filter(data__invoice=invoice.pk).exists()  # through the action
    listed = api(users["clerk"]).get(credit(code, "invoices/")).json()
    assert [row["number"] for row in listed] == ["INV-100"]


def test_invoice_field_errors(finance, followed) -> None:
    code = followed.customer.code
    url = credit(code, "invoices/")
    malformed = api(finance).post(url, {"amount": "0", "due_date": "tomorrow"}, format="json")
    assert malformed.status_code == 400
    assert {"number", "amount", "issue_date", "due_date"} <= set(malformed.json())
    refused = api(finance).post(
        url,
        {"number": "INV-9", "amount": "10", "issue_date": days_ago(1), "due_date": days_ago(5)},
        format="json",
    )
    assert refused.status_code == 400 and "due_date" in refused.json()  # the action's rule
    unknown = api(finance).post(
        url,
        {
            "number": "INV-9",
            "amount": "10",
            "issue_date": days_ago(1),
            "due_date": days_ago(-5),
            "order": "SO-NOPE",
        },
        format="json",
    )
    assert unknown.status_code == 400 and "order" in unknown.json()
    assert not Invoice.objects.exists()


def test_duplicate_invoice_number_is_a_field_error(finance, late_invoice) -> None:
    response = api(finance).post(
        credit(late_invoice.customer.code, "invoices/"),
        {"number": "INV-LATE", "amount": "5", "issue_date": days_ago(1), "due_date": days_ago(0)},
        format="json",
    )
    assert response.status_code == 400 and "already registered" in str(response.json()["number"])


@pytest.mark.parametrize("who", ["clerk", "sales_head", "auditor"])
def test_only_finance_registers_invoices_and_payments(users, late_invoice, who) -> None:
    code = late_invoice.customer.code
    invoice = api(users[who]).post(
        credit(code, "invoices/"),
        {"number": "INV-X", "amount": "5", "issue_date": days_ago(1), "due_date": days_ago(0)},
        format="json",
    )
    assert invoice.status_code == 403
    payment = api(users[who]).post(
        credit(code, f"invoices/{late_invoice.pk}/payments/"),
        {"amount": "100", "paid_on": days_ago(0)},
        format="json",
    )
    assert payment.status_code == 403
    assert Invoice.objects.count() == 1 and not Payment.objects.exists()


def test_invoice_list_shows_overdue_and_days_late(users, late_invoice) -> None:
    rows = api(users["clerk"]).get(credit(late_invoice.customer.code, "invoices/")).json()
    assert len(rows) == 1
    assert (rows[0]["days_late"], rows[0]["overdue_amount"], rows[0]["settled"]) == (
        40,
        "30000.00",
        False,
    )


# --- payments ----------------------------------------------------------------------------------


def test_payments_change_the_overdue_figure(users, finance, late_invoice) -> None:
    code = late_invoice.customer.code
    url = credit(code, f"invoices/{late_invoice.pk}/payments/")
    file = api(users["clerk"]).get(credit(code)).json()  # the clerk follows the open order
    assert (file["overdue_amount"], file["max_days_late"]) == ("30000.00", 40)
    decision = file["open_orders"][0]
    assert decision["result"] == "needs_cover" and "overdue for 40 days" in decision["summary"]
    assert decision["result_label"] == "Needs guarantee or prepayment"

    part = api(finance).post(
        url, {"amount": "10000", "paid_on": days_ago(1), "reference": "B-1"}, format="json"
    )
    assert part.status_code == 201, part.json()
    body = part.json()
    assert (body["paid_amount"], body["outstanding"], body["overdue_amount"]) == (
        "10000.00",
        "20000.00",
        "20000.00",
    )
    assert [p["reference"] for p in body["payments"]] == ["B-1"]
    assert api(finance).get(credit(code)).json()["overdue_amount"] == "20000.00"

    rest = api(finance).post(url, {"amount": "20000", "paid_on": days_ago(0)}, format="json")
    assert rest.status_code == 201
    assert (rest.json()["settled"], rest.json()["days_late"], rest.json()["overdue_amount"]) == (
        True,
        0,
        "0.00",
    )
    file = api(users["clerk"]).get(credit(code)).json()
    assert (file["overdue_amount"], file["max_days_late"], file["receivables"]) == (
        "0.00",
        0,
        "0.00",
    )
    assert "overdue" not in file["open_orders"][0]["summary"]


def test_overpayment_is_refused_with_a_field_error(finance, late_invoice) -> None:
    url = credit(late_invoice.customer.code, f"invoices/{late_invoice.pk}/payments/")
    response = api(finance).post(url, {"amount": "30000.01", "paid_on": days_ago(0)}, format="json")
    assert response.status_code == 400
    assert "Only ¥30,000 is still open" in str(response.json()["amount"])
    late_invoice.refresh_from_db()
    assert late_invoice.paid_amount == Decimal("0") and not Payment.objects.exists()


def test_payment_field_errors(finance, late_invoice) -> None:
    url = credit(late_invoice.customer.code, f"invoices/{late_invoice.pk}/payments/")
    malformed = api(finance).post(url, {"amount": "-5"}, format="json")
    assert malformed.status_code == 400 and {"amount", "paid_on"} <= set(malformed.json())
    future = api(finance).post(url, {"amount": "5", "paid_on": days_ago(-3)}, format="json")
    assert future.status_code == 400 and "paid_on" in future.json()
    assert not Payment.objects.exists()


def test_payment_on_another_customers_invoice_is_404(users, finance, late_invoice) -> None:
    other = make_order(user=users["clerk"])
    assert other.customer != late_invoice.customer
    url = credit(other.customer.code, f"invoices/{late_invoice.pk}/payments/")
    response = api(finance).post(url, {"amount": "5", "paid_on": days_ago(0)}, format="json")
    assert response.status_code == 404 and not Payment.objects.exists()


def test_a_settled_invoice_takes_no_more_payments(finance, late_invoice) -> None:
    url = credit(late_invoice.customer.code, f"invoices/{late_invoice.pk}/payments/")
    assert (
        api(finance)
        .post(url, {"amount": "30000", "paid_on": days_ago(0)}, format="json")
        .status_code
        == 201
    )
    again = api(finance).post(url, {"amount": "1", "paid_on": days_ago(0)}, format="json")
    assert again.status_code == 409 and Payment.objects.count() == 1


# --- schema ------------------------------------------------------------------------------------


def test_the_endpoints_are_in_the_schema(users) -> None:
    schema = api(users["gm"]).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    documents = paths["/api/v1/customers/{code}/credit/documents/"]
    assert {"get", "post"} <= set(documents)
    assert "multipart/form-data" in documents["post"]["requestBody"]["content"]
    assert {"get", "post"} <= set(paths["/api/v1/customers/{code}/credit/invoices/"])
    assert "post" in paths["/api/v1/customers/{code}/credit/invoices/{id}/payments/"]
