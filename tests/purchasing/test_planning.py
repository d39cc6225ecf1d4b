"""The purchase plan: BOM explosion with scrap, stock netting, reservations, open orders."""

import datetime as dt
from decimal import Decimal

import pytest

from gendan.orders.status import Status
from gendan.purchasing.actions import create_purchase_orders
from gendan.purchasing.models import MaterialReservation
from gendan.purchasing.planning import purchase_plan
from tests.purchasing.helpers import bom, material, order_for, paper_product, price, supplier

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def mill(staff):
    product = paper_product()
    pulp = material("PULP", stock="10")
    starch = material("STARCH", stock="5")
    bom(product, pulp, "1.1", scrap="0.05")
    bom(product, starch, "0.02")
    sup = supplier("S1", lead=5)
    price(sup, pulp, "4800")
    price(sup, starch, "3000")
    return {"product": product, "pulp": pulp, "starch": starch, "supplier": sup}


def _line(plan, code):
    return next(line for line in plan.lines if line.material.code == code)


def test_gross_requirement_includes_scrap_and_nets_stock(staff, mill) -> None:
    order = order_for(staff["clerk"], mill["product"], quantity="30")
    plan = purchase_plan(order)
    pulp = _line(plan, "PULP")
    # 30 t x 1.1 t/t x 1.05 = 34.65 t; 10 t in stock
    assert pulp.gross == D("34.650")
    assert pulp.from_stock == D("10")
    assert pulp.to_buy == D("24.650")
    starch = _line(plan, "STARCH")
    assert starch.gross == D("0.600")
    assert (starch.from_stock, starch.to_buy) == (D("0.600"), D("0"))
    assert [line.material.code for line in plan.lines_to_buy] == ["PULP"]


def test_requirements_of_several_lines_add_up(staff, mill) -> None:
    order = order_for(staff["clerk"], mill["product"], quantity="10", lines=2)
    pulp = _line(purchase_plan(order), "PULP")
    assert pulp.gross == D("23.100")
    assert [s.position for s in pulp.sources] == [1, 2]


def test_gross_requirement_is_rounded_up_not_down(staff) -> None:
    product = paper_product("P-ROUND")
    mat = material("FILLER")
    bom(product, mat, "0.3333", scrap="0.01")
    order = order_for(staff["clerk"], product, quantity="1")
    # 1 x 0.3333 x 1.01 = 0.336633 → 0.337, never 0.336 (which would under-order)
    assert _line(purchase_plan(order), "FILLER").gross == D("0.337")


def test_stock_reserved_for_another_open_order_is_not_free(staff, mill) -> None:
    other = order_for(staff["clerk"], mill["product"], quantity="1")
    MaterialReservation.objects.create(order=other, material=mill["pulp"], quantity=D("6"))
    order = order_for(staff["clerk"], mill["product"], quantity="30")
    pulp = _line(purchase_plan(order), "PULP")
    assert pulp.free_stock == D("4")
    assert pulp.to_buy == D("30.650")


def test_reservations_of_closed_or_cancelled_orders_free_the_stock(staff, mill) -> None:
    other = order_for(staff["clerk"], mill["product"], quantity="1", status=Status.CANCELLED)
    MaterialReservation.objects.create(order=other, material=mill["pulp"], quantity=D("6"))
    order = order_for(staff["clerk"], mill["product"], quantity="30")
    assert _line(purchase_plan(order), "PULP").free_stock == D("10")


def test_committed_plan_leaves_nothing_to_buy_and_shows_what_is_on_order(staff, mill) -> None:
    order = order_for(staff["clerk"], mill["product"], quantity="30")
    create_purchase_orders(order=order, user=staff["buyer"])
    plan = purchase_plan(order)
    pulp = _line(plan, "PULP")
    assert (pulp.reserved, pulp.on_order, pulp.to_buy) == (D("10"), D("24.650"), D("0"))
    assert _line(plan, "STARCH").reserved == D("0.600")
    assert plan.lines_to_buy == []


def test_stock_committed_to_one_order_is_not_offered_to_the_next(staff, mill) -> None:
    first = order_for(staff["clerk"], mill["product"], quantity="30")
    create_purchase_orders(order=first, user=staff["buyer"])
    second = order_for(staff["clerk"], mill["product"], quantity="5")
    pulp = _line(purchase_plan(second), "PULP")
    assert pulp.free_stock == D("0")
    assert pulp.to_buy == D("5.775")


def test_products_without_bill_of_materials_are_listed(staff, mill) -> None:
    order = order_for(staff["clerk"], paper_product("NOBOM"), quantity="3")
    plan = purchase_plan(order)
    assert plan.lines == []
    assert [p.code for p in plan.products_without_bom] == ["NOBOM"]


def test_minimum_order_quantity_raises_the_proposed_quantity(staff, mill) -> None:
    mill["pulp"].supplier_prices.update(min_order_quantity=D("50"))
    order = order_for(staff["clerk"], mill["product"], quantity="30")
    pulp = _line(purchase_plan(order), "PULP")
    assert pulp.to_buy == D("24.650")
    assert pulp.order_quantity == D("50")
    assert pulp.amount == D("240000.00")


def test_need_date_defaults_to_promised_then_requested_date(staff, mill) -> None:
    order = order_for(staff["clerk"], mill["product"], requested_date=dt.date(2026, 12, 1))
    assert purchase_plan(order).need_by == dt.date(2026, 12, 1)
    order.promised_date = dt.date(2026, 11, 20)
    assert purchase_plan(order).need_by == dt.date(2026, 11, 20)
