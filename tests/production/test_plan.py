"""Drafting and approving the production plan of an order."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.accounts.models import Role
from gendan.core.errors import Blocked, NotPermitted
from gendan.ledger.models import LedgerEntry
from gendan.orders.models import Order, OrderRoute
from gendan.orders.status import Status
from gendan.production.actions import approve_production_plan, default_start, draft_production_plan
from gendan.production.models import PlanStatus, WorkOrder, WorkOrderStatus
from gendan.purchasing.actions import create_purchase_orders
from gendan.purchasing.planning import purchase_plan
from gendan.tasks.models import Task, TaskState
from gendan.workdays.calendar import add_working_days
from tests.factories import UserFactory
from tests.production.helpers import routing, team, work_centre
from tests.purchasing.helpers import (
    bom,
    local,
    material,
    order_for,
    paper_product,
    price,
    supplier,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def mill(staff):
    leader = UserFactory(username="leader", role=Role.CLERK, departments=["production"])
    crew = team("A", leader=leader)
    pm = work_centre(
        "PM1",
        hours_per_shift=D("8"),
        shifts_per_day=3,
        day_starts_at=dt.time(0),
        runs_on_rest_days=True,
        default_team=crew,
    )
    winder = work_centre("WD1", shifts_per_day=1)
    product = paper_product()
    routing(product, [("Papermaking", pm, 60, "3"), ("Winding", winder, 30, "8")])
    return {"product": product, "pm": pm, "winder": winder, "team": crew, "leader": leader}


def _draft(staff, mill, **kw) -> Order:
    order = order_for(staff["clerk"], mill["product"], quantity="30", **kw)
    draft_production_plan(
        order=order, user=staff["production_reviewer"], start=local(2026, 9, 30, 0)
    )
    return order


def test_draft_makes_one_work_order_per_operation_with_dates_team_and_owner(staff, mill) -> None:
    order = _draft(staff, mill)
    paper, winding = WorkOrder.objects.filter(order=order).order_by("sequence")
    assert (paper.name, paper.work_centre, paper.quantity) == ("Papermaking", mill["pm"], D("30"))
    # 60 + 30 x 3 = 150 minutes on the continuous paper machine from 00:00
    assert (paper.planned_start, paper.planned_end) == (
        local(2026, 9, 30, 0),
        local(2026, 9, 30, 2, 30),
    )
    # 30 + 30 x 8 = 270 minutes on the winder (08:00-16:00 on working days)
    assert (winding.planned_start, winding.planned_end) == (
        local(2026, 9, 30, 8),
        local(2026, 9, 30, 12, 30),
    )
    assert paper.team == mill["team"] and paper.owner == mill["leader"]
    assert winding.team is None and winding.owner is None
    assert {paper.status, winding.status} == {WorkOrderStatus.DRAFT}
    assert paper.number.startswith("WO-")


def test_draft_routes_the_order_to_production_and_asks_the_head_to_approve(staff, mill) -> None:
    order = _draft(staff, mill)
    assert OrderRoute.objects.filter(order=order, department__code="production").exists()
    plan = order.production_plan
    assert plan.status == PlanStatus.DRAFT
    assert plan.approval_task.assignee == staff["production_head"]
    assert LedgerEntry.objects.filter(order=order, data__event="production_plan_drafted").exists()


def test_redraft_replaces_the_draft_work_orders(staff, mill) -> None:
    order = _draft(staff, mill)
    first_numbers = set(WorkOrder.objects.filter(order=order).values_list("number", flat=True))
    draft_production_plan(
        order=order, user=staff["production_reviewer"], start=local(2026, 10, 8, 0)
    )
    work_orders = WorkOrder.objects.filter(order=order)
    assert work_orders.count() == 2
    assert not first_numbers & set(work_orders.values_list("number", flat=True))
    assert Task.objects.filter(kind="production_plan_approval", order=order).count() == 1


def test_plan_waits_for_the_materials(staff, mill) -> None:
    pulp = material("PULP")
    bom(mill["product"], pulp, "1")
    price(supplier("PM", lead=5), pulp, "4800")
    order = order_for(staff["clerk"], mill["product"])
    today = timezone.localdate()
    po = create_purchase_orders(order=order, user=staff["gm"], today=today)[0]
    assert po.expected_date == add_working_days(today, 5)
    arrival_next_day = po.expected_date + dt.timedelta(days=1)
    assert default_start(order) == timezone.make_aware(
        dt.datetime.combine(arrival_next_day, dt.time.min)
    )


def test_product_without_routing_cannot_be_planned(staff, mill) -> None:
    order = order_for(staff["clerk"], paper_product("NOROUTE"))
    with pytest.raises(Blocked) as refused:
        draft_production_plan(order=order, user=staff["production_reviewer"])
    assert "NOROUTE" in refused.value.fields["routing"][0]


def test_draft_orders_in_intake_cannot_be_planned(staff, mill) -> None:
    order = order_for(staff["clerk"], mill["product"], status=Status.DRAFT)
    with pytest.raises(Blocked):
        draft_production_plan(order=order, user=staff["production_reviewer"])


@pytest.mark.parametrize("name", ["clerk", "buyer", "outsider", "auditor"])
def test_only_production_drafts_plans(staff, mill, name) -> None:
    order = order_for(staff["clerk"], mill["product"])
    with pytest.raises(NotPermitted):
        draft_production_plan(order=order, user=staff[name])


@pytest.mark.parametrize(
    "name",
    ["production_reviewer", "clerk", "sales_head", "gm", "admin", "auditor", "procurement_head"],
)
def test_only_the_production_head_approves(staff, mill, name) -> None:
    order = _draft(staff, mill)
    with pytest.raises(NotPermitted):
        approve_production_plan(plan=order.production_plan, user=staff[name])
    order.production_plan.refresh_from_db()
    assert order.production_plan.status == PlanStatus.DRAFT


def test_approval_releases_work_orders_and_gives_owners_their_tasks(staff, mill) -> None:
    order = _draft(staff, mill)
    plan = approve_production_plan(
        plan=order.production_plan, user=staff["production_head"], note="OK, PM1 free that night"
    )
    assert (plan.status, plan.approved_by) == (PlanStatus.APPROVED, staff["production_head"])
    paper, winding = WorkOrder.objects.filter(order=order).order_by("sequence")
    assert {paper.status, winding.status} == {WorkOrderStatus.RELEASED}
    assert paper.task.assignee == mill["leader"]
    assert paper.task.due_at == paper.planned_end
    assert winding.task.assignee is None and winding.task.department.code == "production"
    plan.approval_task.refresh_from_db()
    assert plan.approval_task.state == TaskState.DONE
    entry = LedgerEntry.objects.get(order=order, data__event="production_plan_approved")
    assert entry.actor == staff["production_head"]
    with pytest.raises(Blocked):
        approve_production_plan(plan=plan, user=staff["production_head"])


def test_approved_plan_is_not_redrafted(staff, mill) -> None:
    order = _draft(staff, mill)
    approve_production_plan(plan=order.production_plan, user=staff["production_head"])
    with pytest.raises(Blocked, match="approved"):
        draft_production_plan(order=order, user=staff["production_reviewer"])


def test_purchase_plan_needs_the_materials_the_day_before_production_starts(staff, mill) -> None:
    order = _draft(staff, mill)
    assert purchase_plan(order).need_by == dt.date(2026, 9, 29)
