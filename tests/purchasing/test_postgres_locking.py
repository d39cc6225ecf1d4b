"""Concurrent purchasing on PostgreSQL: plans committed twice, stock wanted by two orders,
receipts racing for the same open quantity. Each worker has its own connection."""

from decimal import Decimal
from functools import partial

import pytest

from gendan.core.errors import Blocked
from gendan.purchasing.actions import create_purchase_orders, receive
from gendan.purchasing.models import Material, MaterialReservation, PurchaseOrder
from tests.concurrency.threads import run_together
from tests.purchasing.helpers import (
    add_extra_users,
    bom,
    material,
    order_for,
    paper_product,
    price,
    supplier,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
D = Decimal


@pytest.fixture
def setup(users):
    staff = add_extra_users(users)
    product = paper_product()
    pulp = material("PULP", stock="10")
    bom(product, pulp, "1")
    price(supplier("PM", lead=3), pulp, "4800")
    return staff, product, pulp


def test_a_plan_committed_twice_at_once_is_bought_once(setup) -> None:
    staff, product, _pulp = setup
    order = order_for(staff["clerk"], product, quantity="30")
    outcomes = run_together(
        [
            partial(create_purchase_orders, order=order, user=staff[name])
            for name in ("buyer", "procurement_head")
        ]
    )
    errors = [o.error for o in outcomes if o.error is not None]
    assert len(errors) == 1 and isinstance(errors[0], Blocked)
    assert PurchaseOrder.objects.filter(order=order).count() == 1
    assert PurchaseOrder.objects.get(order=order).lines.get().quantity == D("20")


def test_free_stock_goes_to_one_order_only(setup) -> None:
    staff, product, pulp = setup
    first = order_for(staff["clerk"], product, quantity="10")
    second = order_for(staff["clerk"], product, quantity="10")
    outcomes = run_together(
        [partial(create_purchase_orders, order=o, user=staff["buyer"]) for o in (first, second)]
    )
    assert [o.error for o in outcomes] == [None, None]
    reserved = sum(r.quantity for r in MaterialReservation.objects.filter(material=pulp))
    assert reserved == D("10")
    assert PurchaseOrder.objects.count() == 1  # the order that found no free stock buys


def test_racing_receipts_cannot_exceed_the_open_quantity(setup) -> None:
    staff, product, pulp = setup
    order = order_for(staff["clerk"], product, quantity="40")
    line = create_purchase_orders(order=order, user=staff["buyer"])[0].lines.get()
    assert line.quantity == D("30")
    outcomes = run_together(
        [
            partial(receive, line=line, user=staff[name], quantity="20")
            for name in ("buyer", "logistics_reviewer")
        ]
    )
    errors = [o.error for o in outcomes if o.error is not None]
    assert len(errors) == 1 and isinstance(errors[0], Blocked)
    assert Material.objects.get(pk=pulp.pk).stock_on_hand == D("30")
