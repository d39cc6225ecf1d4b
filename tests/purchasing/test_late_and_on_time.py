"""Late purchase order detection and the supplier on-time rate on a hand-made example."""

import datetime as dt
from decimal import Decimal

import pytest

from gendan.ledger.models import LedgerEntry
from gendan.purchasing.actions import change_expected_date, report_late_purchase_lines
from gendan.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderStatus,
)
from gendan.purchasing.selectors import late_lines, supplier_on_time_rate
from tests.purchasing.helpers import material, order_for, paper_product, supplier

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = dt.date(2026, 6, 15)


def _line(
    order,
    sup,
    mat,
    *,
    promised,
    quantity="10",
    received="0",
    completed=None,
    status=PurchaseOrderStatus.OPEN,
    expected=None,
    number=None,
):
    po = PurchaseOrder.objects.create(
        number=number or f"PO-T-{PurchaseOrder.objects.count() + 1}",
        order=order,
        supplier=sup,
        order_date=promised - dt.timedelta(days=10),
        expected_date=expected or promised,
        buyer=order.clerk,
        status=status,
    )
    return PurchaseOrderLine.objects.create(
        purchase_order=po,
        material=mat,
        quantity=D(quantity),
        unit_price=D("1"),
        promised_date=promised,
        expected_date=expected or promised,
        received_quantity=D(received),
        completed_on=completed,
    )


@pytest.fixture
def example(staff):
    """Supplier S's history as of 15 June 2026:
    L1 promised 1 Jun, received in full 31 May      → on time
    L2 promised 3 Jun, received in full 8 Jun       → late
    L3 promised 5 Jun, 4 of 10 received, still open → late (due, not in full)
    L4 promised 10 Jun, moved to 20 Jun, open       → late (the promise counts) but not flagged
                                                      late yet (expected date not passed)
    L5 promised 30 Jun, open                        → not due, left out
    L6 on a cancelled purchase order                → left out
    """
    order = order_for(staff["clerk"], paper_product())
    sup, mat = supplier("S"), material("PULP")
    lines = {
        "L1": _line(
            order,
            sup,
            mat,
            promised=dt.date(2026, 6, 1),
            received="10",
            completed=dt.date(2026, 5, 31),
            status=PurchaseOrderStatus.RECEIVED,
        ),
        "L2": _line(
            order,
            sup,
            mat,
            promised=dt.date(2026, 6, 3),
            received="10",
            completed=dt.date(2026, 6, 8),
            status=PurchaseOrderStatus.RECEIVED,
        ),
        "L3": _line(
            order,
            sup,
            mat,
            promised=dt.date(2026, 6, 5),
            received="4",
            status=PurchaseOrderStatus.PARTIAL,
        ),
        "L4": _line(order, sup, mat, promised=dt.date(2026, 6, 10), expected=dt.date(2026, 6, 20)),
        "L5": _line(order, sup, mat, promised=dt.date(2026, 6, 30)),
        "L6": _line(
            order, sup, mat, promised=dt.date(2026, 6, 2), status=PurchaseOrderStatus.CANCELLED
        ),
    }
    return {"order": order, "supplier": sup, "lines": lines}


def test_on_time_rate_counts_lines_received_in_full_by_the_promised_date(example) -> None:
    rate = supplier_on_time_rate(example["supplier"], today=TODAY)
    assert (rate.on_time, rate.due) == (1, 4)
    assert rate.rate == D("0.2500")
    assert rate.percent == D("25.0")


def test_on_time_rate_of_a_supplier_without_due_lines_is_unknown(staff) -> None:
    assert supplier_on_time_rate(supplier("NEW"), today=TODAY).rate is None


def test_late_lines_are_open_lines_past_their_expected_date(example) -> None:
    late = {line.pk for line in late_lines(TODAY)}
    lines = example["lines"]
    assert late == {lines["L3"].pk}


def test_late_lines_are_reported_once_per_expected_date(staff, example) -> None:
    assert report_late_purchase_lines(today=TODAY) == 1
    assert report_late_purchase_lines(today=TODAY) == 0
    entry = LedgerEntry.objects.get(data__event="purchase_order_late")
    assert entry.order == example["order"]
    assert entry.data["open_quantity"] == "6.000"
    # The supplier promises a new date; once that passes too, it is reported again.
    l3 = example["lines"]["L3"]
    change_expected_date(
        line=l3, user=staff["buyer"], expected_date=dt.date(2026, 6, 16), reason="Truck broke down"
    )
    assert report_late_purchase_lines(today=dt.date(2026, 6, 17)) == 1
    latest = LedgerEntry.objects.filter(data__event="purchase_order_late").order_by("-id")[0]
    assert latest.data["expected_date"] == "2026-06-16"
