"""C2: the order confirmation, as a PDF kept with the order and e-mailed where configured."""

import io

import pytest
from django.core import mail
from pypdf import PdfReader

from gendan.contracts.actions import issue_confirmation
from gendan.core.errors import Blocked, NotPermitted
from gendan.customers.models import Contact
from gendan.ledger.models import Kind
from tests.contracts.helpers import at_contract, confirmed

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_confirmation_pdf_is_e_mailed_to_the_customer(
    in_review, staff, django_capture_on_commit_callbacks
) -> None:
    Contact.objects.create(
        customer=in_review.customer, name="Mr Li", email="li@box.example", is_primary=True
    )
    order = confirmed(in_review, staff)
    with django_capture_on_commit_callbacks(execute=True):
        confirmation = issue_confirmation(order=order, user=staff["clerk"], language="zh-hans")
    (sent,) = [m for m in mail.outbox if m.to == ["li@box.example"]]
    (name, content, mimetype) = sent.attachments[0]
    assert mimetype == "application/pdf" and name == f"QR-{order.number}.pdf"
    text = _text(content)
    assert "订单确认书" in text and order.number in text
    confirmation.refresh_from_db()
    assert confirmation.emailed_at is not None
    entry = order.ledger.get(data__event="confirmation.sent")
    assert entry.kind == Kind.COMMUNICATION and entry.counterpart == "li@box.example"


def test_without_an_address_the_confirmation_is_issued_not_mailed(
    in_review, staff, django_capture_on_commit_callbacks
) -> None:
    order = confirmed(in_review, staff)
    with django_capture_on_commit_callbacks(execute=True):
        confirmation = issue_confirmation(order=order, user=staff["clerk"], language="en")
    assert confirmation.emailed_to == "" and not [m for m in mail.outbox if m.attachments]
    assert "Order confirmation" in _text(confirmation.document.file.read())


def test_confirmation_only_once_confirmed_and_by_sales(in_review, staff) -> None:
    order = at_contract(in_review, staff)
    with pytest.raises(Blocked):
        issue_confirmation(order=order, user=staff["clerk"])
    with pytest.raises(NotPermitted):
        issue_confirmation(order=order, user=staff["technical_reviewer"])
