from decimal import Decimal

import pytest

from gendan.ledger.audit import audited
from gendan.ledger.models import Kind, LedgerEntry
from gendan.ledger.record import subject_of
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_master_data_edit_records_before_and_after(users) -> None:
    customer = CustomerFactory(credit_limit=Decimal("100000"))
    customer.credit_limit = Decimal("250000")
    with audited(customer, user=users["sales_head"]):
        customer.save()
    entry = LedgerEntry.objects.get(subject=subject_of(customer))
    assert entry.kind == Kind.CHANGED
    assert entry.actor == users["sales_head"]
    assert entry.changes == {"credit_limit": ["100000.00", "250000.00"]}


def test_unchanged_save_records_nothing(users) -> None:
    customer = CustomerFactory()
    with audited(customer, user=users["sales_head"]):
        customer.save()
    assert not LedgerEntry.objects.filter(subject=subject_of(customer)).exists()


def test_failed_save_records_nothing_and_rolls_back(users) -> None:
    customer = CustomerFactory(name="Before")
    customer.name = "After"
    with pytest.raises(RuntimeError), audited(customer, user=users["sales_head"]):
        customer.save()
        raise RuntimeError("validation failed later")
    customer.refresh_from_db()
    assert customer.name == "Before"
    assert not LedgerEntry.objects.filter(subject=subject_of(customer)).exists()
