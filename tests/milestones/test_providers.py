"""Purchasing and production steps read planned and actual dates from their records."""

import datetime as dt

import pytest
from django.utils import timezone

from gendan.milestones.chain import Light, milestone_chain
from gendan.orders.status import Status
from gendan.production.actions import (
    approve_production_plan,
    draft_production_plan,
    report_progress,
)
from gendan.production.models import WorkOrder
from gendan.purchasing.actions import change_expected_date, create_purchase_orders, receive
from tests.production.helpers import routing, team, work_centre
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


def chain_of(order, today=None):
    return {m.step.key: m for m in milestone_chain(order, today)}


def test_an_order_with_nothing_bought_or_planned_has_no_steps(staff) -> None:
    order = order_for(staff["clerk"], paper_product(), quantity="5")

    assert milestone_chain(order) == []


def test_purchase_steps_follow_the_purchase_order_lines(staff) -> None:
    today = timezone.localdate()
    product = paper_product()
    pulp = material("PULP")
    bom(product, pulp, "1")
    price(supplier("PM", lead=3), pulp, "4800")
    order = order_for(staff["clerk"], product, quantity="30")
    line = create_purchase_orders(
        order=order, user=staff["buyer"], today=today - dt.timedelta(days=20)
    )[0].lines.get()

    chain = chain_of(order)
    assert chain["purchase"].step.done
    assert chain["purchase"].step.actual == today - dt.timedelta(days=20)
    receipt = chain["receipt"]
    assert not receipt.step.done
    assert receipt.step.planned == line.promised_date
    assert receipt.light is Light.RED  # the supplier's date has passed and nothing came

    receive(line=line, user=staff["buyer"], quantity="12", received_on=today)
    assert chain_of(order)["receipt"].step.detail == "1 of 1 lines still open"

    receive(line=line, user=staff["buyer"], quantity="18", received_on=today)
    receipt = chain_of(order)["receipt"]
    assert receipt.step.done and receipt.step.actual == today
    assert receipt.light is Light.AMBER  # arrived, but after the promised date
    assert receipt.days_late == (today - line.promised_date).days


def test_a_later_expected_date_turns_the_receipt_red_before_its_planned_date(staff) -> None:
    today = timezone.localdate()
    product = paper_product()
    pulp = material("PULP")
    bom(product, pulp, "1")
    price(supplier("PM", lead=10), pulp, "4800")
    order = order_for(staff["clerk"], product, quantity="30")
    line = create_purchase_orders(order=order, user=staff["buyer"], today=today)[0].lines.get()
    assert chain_of(order)["receipt"].light is Light.GREEN

    change_expected_date(
        line=line,
        user=staff["buyer"],
        expected_date=line.promised_date + dt.timedelta(days=4),
        reason="Mill outage at the supplier",
    )

    receipt = chain_of(order)["receipt"]
    assert receipt.light is Light.RED
    assert receipt.step.forecast == line.promised_date + dt.timedelta(days=4)
    assert receipt.days_late == 4


def test_production_steps_follow_the_plan_and_its_work_orders(staff) -> None:
    crew = team("A", leader=staff["production_head"])
    pm = work_centre("PM1", shifts_per_day=3, day_starts_at=dt.time(0), runs_on_rest_days=True)
    product = paper_product()
    routing(product, [("Papermaking", pm, 60, "3")], team_=crew)
    order = order_for(staff["clerk"], product, quantity="30")
    start = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=5), dt.time.min)
    )
    plan = draft_production_plan(order=order, user=staff["production_reviewer"], start=start)

    chain = chain_of(order)
    assert not chain["production_plan"].step.done
    assert not chain["production"].step.done
    assert chain["production"].light is Light.GREEN

    approve_production_plan(plan=plan, user=staff["production_head"])
    set_status(order, Status.IN_EXECUTION)
    work = WorkOrder.objects.get(order=order)
    assert chain_of(order)["production_plan"].step.done

    report_progress(
        work_order=work, user=staff["production_head"], good_quantity="30", finished=True
    )
    production = chain_of(order)["production"]
    assert production.step.done
    assert production.step.actual == timezone.localdate()
    assert production.light is Light.GREEN  # finished before its planned end
