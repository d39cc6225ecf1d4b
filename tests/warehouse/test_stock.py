"""The shipping interface: only conforming goods taken into the warehouse can be issued."""

from decimal import Decimal

import pytest

from gendan.accounts.models import User
from gendan.core.errors import Blocked
from gendan.ledger.models import LedgerEntry
from gendan.orders.models import Order
from gendan.warehouse.models import LineStock, StockIssue
from gendan.warehouse.stock import available_to_ship, issue_for_shipment

pytestmark = pytest.mark.django_db


def test_nothing_received_nothing_available(order: Order) -> None:
    assert available_to_ship(order.lines.first()) == 0


def test_issue_takes_from_stock_and_writes_the_ledger(order: Order, users: dict[str, User]) -> None:
    line = order.lines.first()
    LineStock.objects.create(order=order, order_line=line, received_quantity=Decimal("10"))
    issue_for_shipment(order_line=line, quantity=Decimal("4"), user=users["gm"], reference="SH-1")
    assert available_to_ship(line) == Decimal("6")
    assert StockIssue.objects.get().reference == "SH-1"
    entry = LedgerEntry.objects.filter(order=order, data__event="goods_issued").get()
    assert entry.data["step"] == "warehouse"


def test_issue_more_than_available_is_refused_and_says_how_much(
    order: Order, users: dict[str, User]
) -> None:
    line = order.lines.first()
    LineStock.objects.create(order=order, order_line=line, received_quantity=Decimal("3"))
    with pytest.raises(Blocked) as refused:
        issue_for_shipment(
            order_line=line, quantity=Decimal("5"), user=users["gm"], reference="SH-1"
        )
    assert "Only 3" in refused.value.fields["quantity"][0]
    assert available_to_ship(line) == Decimal("3")
    assert not StockIssue.objects.exists()
