"""The order pipeline waits for production before shipping and for purchasing before closing
(the guards of docs/execution.md "Hooks for the next steps", wired in `orders.pipeline`)."""

import datetime as dt

import pytest
from django.utils import timezone

from gendan.core.errors import Blocked
from gendan.orders.actions import transition_order
from gendan.orders.pipeline import available_transitions
from gendan.orders.status import Status
from gendan.production.actions import (
    approve_production_plan,
    draft_production_plan,
    report_progress,
)
from gendan.production.models import WorkOrder
from gendan.purchasing.actions import (
    create_purchase_orders,
    handle_incident,
    receive,
    report_supplier_incident,
)
from tests.pipeline.helpers import waived
from tests.production.helpers import routing, work_centre
from tests.purchasing.helpers import (
    bom,
    material,
    order_for,
    paper_product,
    price,
    set_status,
    supplier,
)

pytestmark = pytest.mark.django_db


def blockers(order, user, name):
    return next(a.blockers for a in available_transitions(order, user) if a.transition.name == name)


@pytest.fixture
def in_production(staff):
    """An order in execution with an approved two-step production plan."""
    pm = work_centre("PM1", shifts_per_day=3, day_starts_at=dt.time(0), runs_on_rest_days=True)
    winder = work_centre("WD1", runs_on_rest_days=True)
    product = paper_product()
    routing(product, [("Papermaking", pm, 60, "3"), ("Winding", winder, 30, "8")])
    order = order_for(staff["clerk"], product, quantity="30")
    plan = draft_production_plan(order=order, user=staff["production_reviewer"])
    approve_production_plan(plan=plan, user=staff["production_head"])
    return set_status(order, Status.IN_EXECUTION)


def test_an_order_cannot_ship_before_its_work_orders_are_done(staff, in_production) -> None:
    logistics = staff["logistics_reviewer"]
    numbers = list(
        WorkOrder.objects.filter(order=in_production)
        .order_by("number")
        .values_list("number", flat=True)
    )
    expected = f"Work orders not finished yet: {', '.join(numbers)}."
    assert blockers(in_production, logistics, "ship")[0] == expected
    with waived(), pytest.raises(Blocked) as refused:  # shipping's guard aside
        transition_order(order=in_production, name="ship", user=logistics)
    assert refused.value.messages == [expected]
    in_production.refresh_from_db()
    assert in_production.status == Status.IN_EXECUTION


def test_an_order_ships_once_production_is_complete(staff, in_production) -> None:
    for work_order in WorkOrder.objects.filter(order=in_production).order_by("sequence"):
        report_progress(
            work_order=work_order,
            user=staff["production_reviewer"],
            good_quantity="30",
            hours="3",
            finished=True,
        )
    # Production no longer blocks; what is left is shipping's own guard (its tests ship).
    assert blockers(in_production, staff["logistics_reviewer"], "ship") == [
        "Not everything is shipped yet: line 1: 0 of 30 t."
    ]
    with waived():
        shipped = transition_order(
            order=in_production, name="ship", user=staff["logistics_reviewer"]
        )
    assert shipped.status == Status.SHIPPED


def test_a_made_here_order_without_a_production_plan_cannot_ship(staff) -> None:
    product = paper_product()
    routing(product, [("Papermaking", work_centre("PM1"), 60, "3")])
    order = order_for(staff["clerk"], product, status=Status.IN_EXECUTION)
    with pytest.raises(Blocked, match="no production plan"):
        transition_order(order=order, name="ship", user=staff["logistics_reviewer"])


def test_traded_goods_without_routing_ship_without_production(staff) -> None:
    order = order_for(staff["clerk"], paper_product(), status=Status.IN_EXECUTION)
    assert blockers(order, staff["logistics_reviewer"], "ship") == [
        "Not everything is shipped yet: line 1: 0 of 30 t."
    ]
    with waived():  # shipping's guard aside: no production stands in the way
        shipped = transition_order(order=order, name="ship", user=staff["logistics_reviewer"])
    assert shipped.status == Status.SHIPPED


@pytest.fixture
def bought(staff):
    """An order in its closure with one purchase order of 30 t of pulp, nothing received."""
    product = paper_product()
    pulp = material("PULP")
    bom(product, pulp, "1")
    price(supplier("PM", lead=3), pulp, "4800")
    order = order_for(staff["clerk"], product, quantity="30")
    po = create_purchase_orders(
        order=order, user=staff["buyer"], today=timezone.localdate() - dt.timedelta(days=20)
    )[0]
    return set_status(order, Status.CLOSING), po


def test_an_order_cannot_close_with_a_purchase_order_open(staff, bought) -> None:
    order, po = bought
    assert blockers(order, staff["gm"], "close") == [f"Purchase orders still open: {po.number}."]
    with pytest.raises(Blocked):
        transition_order(order=order, name="close", user=staff["gm"])
    order.refresh_from_db()
    assert order.status == Status.CLOSING


def test_an_order_closes_when_all_material_is_in_and_no_incident_is_open(staff, bought) -> None:
    order, po = bought
    receive(line=po.lines.get(), user=staff["buyer"], quantity="30")
    incident = report_supplier_incident(
        supplier=po.supplier,
        purchase_order=po,
        user=staff["buyer"],
        kind="quality",
        description="Two bales wet on arrival.",
    )
    assert blockers(order, staff["gm"], "close") == [
        "Resolve the open supplier incidents of this order."
    ]
    handle_incident(
        incident=incident, user=staff["buyer"], handling="Supplier credited.", resolve=True
    )
    closed = transition_order(order=order, name="close", user=staff["gm"])
    assert closed.status == Status.CLOSED
