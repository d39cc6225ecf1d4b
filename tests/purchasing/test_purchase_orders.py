"""Committing the purchase plan: purchase orders per supplier, reservations, the ledger."""

import datetime as dt
from decimal import Decimal

import pytest

from gendan.core.errors import Blocked, NotPermitted
from gendan.ledger.models import LedgerEntry
from gendan.orders.models import OrderRoute
from gendan.orders.status import Priority, Status
from gendan.purchasing.actions import (
    cancel_purchase_order,
    change_expected_date,
    create_purchase_orders,
    issue_material,
)
from gendan.purchasing.models import MaterialReservation, PurchaseOrder, PurchaseOrderStatus
from tests.purchasing.helpers import bom, material, order_for, paper_product, price, supplier

pytestmark = pytest.mark.django_db
D = Decimal
ORDER_DAY = dt.date(2026, 9, 30)


@pytest.fixture
def mill(staff):
    product = paper_product()
    pulp, starch, cores = material("PULP", stock="10"), material("STARCH"), material("CORE")
    bom(product, pulp, "1.1", scrap="0.05")
    bom(product, starch, "0.02")
    bom(product, cores, "0.5", scrap="0.1")
    pulp_mill, chem = supplier("PM", lead=3, rating="4"), supplier("CH", lead=5)
    price(pulp_mill, pulp, "4800")
    price(chem, starch, "3000")
    price(chem, cores, "20")
    return {"product": product, "pulp": pulp, "starch": starch, "cores": cores}


def _events(order):
    return list(
        LedgerEntry.objects.filter(order=order).order_by("id").values_list("data__event", flat=True)
    )


def test_plan_becomes_one_purchase_order_per_supplier(staff, mill) -> None:
    order = order_for(staff["clerk"], mill["product"], quantity="30")
    placed = create_purchase_orders(order=order, user=staff["buyer"], today=ORDER_DAY)
    by_supplier = {po.supplier.code: po for po in placed}
    assert set(by_supplier) == {"PM", "CH"}
    pm_line = by_supplier["PM"].lines.get()
    assert (pm_line.material.code, pm_line.quantity, pm_line.unit_price) == (
        "PULP",
        D("24.650"),
        D("4800.00"),
    )
    ch_lines = {line.material.code: line.quantity for line in by_supplier["CH"].lines.all()}
    assert ch_lines == {"STARCH": D("0.600"), "CORE": D("16.500")}
    assert all(po.status == PurchaseOrderStatus.OPEN for po in placed)
    assert by_supplier["PM"].number.startswith("PO-2026-")


def test_expected_date_is_order_date_plus_lead_time_in_working_days(staff, mill) -> None:
    order = order_for(staff["clerk"], mill["product"])
    placed = create_purchase_orders(order=order, user=staff["buyer"], today=ORDER_DAY)
    dates = {po.supplier.code: po.expected_date for po in placed}
    # National Day 2026: 1-7 October off, Saturday 10 October a make-up working day.
    assert dates == {"PM": dt.date(2026, 10, 10), "CH": dt.date(2026, 10, 13)}
    line = placed[0].lines.first()
    assert line.promised_date == line.expected_date


def test_committing_reserves_the_stock_used_and_writes_the_ledger(staff, mill) -> None:
    order = order_for(staff["clerk"], mill["product"])
    create_purchase_orders(order=order, user=staff["buyer"], today=ORDER_DAY)
    assert MaterialReservation.objects.get(order=order, material=mill["pulp"]).quantity == D("10")
    events = _events(order)
    assert events.count("purchase_order_placed") == 2
    assert "stock_reserved" in events
    assert OrderRoute.objects.filter(order=order, department__code="procurement").exists()


def test_committing_twice_buys_nothing_more(staff, mill) -> None:
    order = order_for(staff["clerk"], mill["product"])
    create_purchase_orders(order=order, user=staff["buyer"], today=ORDER_DAY)
    with pytest.raises(Blocked, match="Nothing to buy"):
        create_purchase_orders(order=order, user=staff["buyer"], today=ORDER_DAY)
    assert PurchaseOrder.objects.filter(order=order).count() == 2


def test_buyer_may_choose_another_supplier_that_quotes_the_material(staff, mill) -> None:
    other = supplier("PM2", lead=20)
    price(other, mill["pulp"], "4500")
    order = order_for(staff["clerk"], mill["product"])
    placed = create_purchase_orders(
        order=order,
        user=staff["buyer"],
        today=ORDER_DAY,
        supplier_overrides={mill["pulp"].pk: other},
    )
    assert "PM2" in {po.supplier.code for po in placed}


def test_supplier_without_a_price_cannot_be_chosen(staff, mill) -> None:
    order = order_for(staff["clerk"], mill["product"])
    stranger = supplier("NOPRICE")
    with pytest.raises(Blocked) as refused:
        create_purchase_orders(
            order=order, user=staff["buyer"], supplier_overrides={mill["pulp"].pk: stranger}
        )
    assert "suppliers" in refused.value.fields
    assert not PurchaseOrder.objects.exists()


def test_material_nobody_quotes_blocks_the_whole_plan(staff, mill) -> None:
    bom(mill["product"], material("DYE"), "0.001")
    order = order_for(staff["clerk"], mill["product"])
    with pytest.raises(Blocked) as refused:
        create_purchase_orders(order=order, user=staff["buyer"])
    assert any("DYE" in message for message in refused.value.fields["suppliers"])
    assert not PurchaseOrder.objects.exists()
    assert not MaterialReservation.objects.exists()


@pytest.mark.parametrize("name", ["clerk", "production_head", "auditor", "outsider"])
def test_only_procurement_and_management_place_purchase_orders(staff, mill, name) -> None:
    order = order_for(staff["clerk"], mill["product"])
    with pytest.raises(NotPermitted):
        create_purchase_orders(order=order, user=staff[name])


def test_management_may_place_purchase_orders(staff, mill) -> None:
    order = order_for(staff["clerk"], mill["product"])
    assert create_purchase_orders(order=order, user=staff["gm"])


def test_orders_not_yet_confirmed_are_not_bought_for(staff, mill) -> None:
    order = order_for(staff["clerk"], mill["product"], status=Status.DEPARTMENT_REVIEW)
    with pytest.raises(Blocked, match="confirmed"):
        create_purchase_orders(order=order, user=staff["buyer"])


def test_emergency_orders_are_bought_for_during_review(staff, mill) -> None:
    order = order_for(
        staff["clerk"],
        mill["product"],
        status=Status.DEPARTMENT_REVIEW,
        priority=Priority.EMERGENCY,
    )
    assert create_purchase_orders(order=order, user=staff["buyer"])


def test_moving_the_expected_date_keeps_the_promise_and_logs_before_after(staff, mill) -> None:
    order = order_for(staff["clerk"], mill["product"])
    po = create_purchase_orders(order=order, user=staff["buyer"], today=ORDER_DAY)[0]
    line = po.lines.first()
    promised = line.promised_date
    later = promised + dt.timedelta(days=7)
    line = change_expected_date(
        line=line, user=staff["buyer"], expected_date=later, reason="Ship delayed at port"
    )
    assert (line.promised_date, line.expected_date) == (promised, later)
    entry = LedgerEntry.objects.get(order=order, data__event="expected_date_changed")
    assert entry.changes == {"expected_date": [promised.isoformat(), later.isoformat()]}
    assert entry.body == "Ship delayed at port"
    po.refresh_from_db()
    assert po.expected_date >= later


def test_moving_the_expected_date_needs_a_reason(staff, mill) -> None:
    order = order_for(staff["clerk"], mill["product"])
    line = create_purchase_orders(order=order, user=staff["buyer"])[0].lines.first()
    with pytest.raises(Blocked) as refused:
        change_expected_date(
            line=line, user=staff["buyer"], expected_date=line.expected_date, reason=" "
        )
    assert "reason" in refused.value.fields


def test_cancelling_closes_the_open_quantity(staff, mill) -> None:
    order = order_for(staff["clerk"], mill["product"])
    po = create_purchase_orders(order=order, user=staff["buyer"])[0]
    po = cancel_purchase_order(purchase_order=po, user=staff["buyer"], reason="Wrong supplier")
    assert po.status == PurchaseOrderStatus.CANCELLED
    assert all(line.open_quantity == 0 for line in po.lines.all())
    with pytest.raises(Blocked):
        cancel_purchase_order(purchase_order=po, user=staff["buyer"], reason="again")


def test_issuing_material_lowers_stock_and_the_reservation(staff, mill) -> None:
    order = order_for(staff["clerk"], mill["product"])
    create_purchase_orders(order=order, user=staff["buyer"])
    pulp = issue_material(
        order=order, material=mill["pulp"], user=staff["logistics_reviewer"], quantity="4"
    )
    assert pulp.stock_on_hand == D("6")
    assert MaterialReservation.objects.get(order=order, material=pulp).quantity == D("6")
    with pytest.raises(Blocked) as refused:
        issue_material(order=order, material=pulp, user=staff["logistics_reviewer"], quantity="7")
    assert "quantity" in refused.value.fields
