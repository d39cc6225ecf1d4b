"""Receipts, partial ones too: stock, reservation, line and purchase order status, ledger."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.core.errors import Blocked, NotPermitted
from gendan.ledger.models import LedgerEntry
from gendan.notifications.models import Notification
from gendan.purchasing.actions import create_purchase_orders, receive
from gendan.purchasing.models import MaterialReservation, PurchaseOrderStatus
from tests.purchasing.helpers import bom, material, order_for, paper_product, price, supplier

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def po_line(staff):
    product = paper_product()
    pulp = material("PULP")
    bom(product, pulp, "1")
    price(supplier("PM", lead=3), pulp, "4800")
    order = order_for(staff["clerk"], product, quantity="30")
    po = create_purchase_orders(
        order=order, user=staff["buyer"], today=timezone.localdate() - dt.timedelta(days=20)
    )[0]
    return po.lines.get()


def test_partial_receipts_add_up_until_the_line_is_complete(staff, po_line) -> None:
    today = timezone.localdate()
    receive(
        line=po_line,
        user=staff["logistics_reviewer"],
        quantity="12",
        received_on=today - dt.timedelta(days=2),
    )
    po_line.refresh_from_db()
    assert (po_line.received_quantity, po_line.open_quantity) == (D("12"), D("18"))
    assert po_line.completed_on is None
    assert po_line.purchase_order.status == PurchaseOrderStatus.PARTIAL

    receive(line=po_line, user=staff["buyer"], quantity="18", received_on=today)
    po_line.refresh_from_db()
    po_line.purchase_order.refresh_from_db()
    assert po_line.received_quantity == D("30")
    assert po_line.completed_on == today
    assert po_line.purchase_order.status == PurchaseOrderStatus.RECEIVED
    assert [(r.quantity, r.received_on) for r in po_line.receipts.order_by("id")] == [
        (D("12"), today - dt.timedelta(days=2)),
        (D("18"), today),
    ]


def test_receipt_raises_stock_and_reserves_it_for_the_order(staff, po_line) -> None:
    receive(line=po_line, user=staff["buyer"], quantity="12")
    po_line.material.refresh_from_db()
    assert po_line.material.stock_on_hand == D("12")
    order = po_line.purchase_order.order
    assert MaterialReservation.objects.get(order=order, material=po_line.material).quantity == D(
        "12"
    )


def test_each_receipt_is_a_ledger_entry_and_tells_the_clerk(staff, po_line) -> None:
    receive(line=po_line, user=staff["logistics_reviewer"], quantity="12")
    order = po_line.purchase_order.order
    entry = LedgerEntry.objects.get(order=order, data__event="goods_received")
    assert entry.data["quantity"] == "12.000"
    assert entry.data["complete"] is False
    assert entry.actor == staff["logistics_reviewer"]


def test_receipt_after_the_promised_date_is_marked_late(staff, po_line) -> None:
    receive(line=po_line, user=staff["buyer"], quantity="30")
    entry = LedgerEntry.objects.get(data__event="goods_received")
    assert entry.data["late"] is True


def test_more_than_the_open_quantity_is_refused(staff, po_line) -> None:
    receive(line=po_line, user=staff["buyer"], quantity="25")
    with pytest.raises(Blocked) as refused:
        receive(line=po_line, user=staff["buyer"], quantity="5.001")
    assert "5.000" in refused.value.fields["quantity"][0]
    po_line.refresh_from_db()
    assert po_line.received_quantity == D("25")


@pytest.mark.parametrize("quantity", ["0", "-3", "abc"])
def test_quantity_must_be_positive(staff, po_line, quantity) -> None:
    with pytest.raises(Blocked) as refused:
        receive(line=po_line, user=staff["buyer"], quantity=quantity)
    assert "quantity" in refused.value.fields


def test_receipt_cannot_be_dated_in_the_future(staff, po_line) -> None:
    with pytest.raises(Blocked) as refused:
        receive(
            line=po_line,
            user=staff["buyer"],
            quantity="1",
            received_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert "received_on" in refused.value.fields


def test_nothing_is_received_on_a_completed_purchase_order(staff, po_line) -> None:
    receive(line=po_line, user=staff["buyer"], quantity="30")
    with pytest.raises(Blocked):
        receive(line=po_line, user=staff["buyer"], quantity="1")


@pytest.mark.parametrize("name", ["clerk", "production_head", "auditor"])
def test_only_procurement_and_warehouse_receive(staff, po_line, name) -> None:
    with pytest.raises(NotPermitted):
        receive(line=po_line, user=staff[name], quantity="1")


def test_clerk_is_notified_of_receipts(staff, po_line, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        receive(line=po_line, user=staff["logistics_reviewer"], quantity="3")
    assert Notification.objects.filter(user=staff["clerk"]).exists()
    assert Notification.objects.filter(user=staff["buyer"]).exists()
