"""Progress reports: actuals, scrap, hours, delay causes, finishing; plan vs actual."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.accounts.models import Role
from gendan.core.errors import Blocked, NotPermitted
from gendan.ledger.models import LedgerEntry
from gendan.notifications.models import Notification
from gendan.orders.status import Status
from gendan.production import hooks
from gendan.production.actions import (
    approve_production_plan,
    change_work_order_plan,
    draft_production_plan,
    report_progress,
)
from gendan.production.guards import production_complete
from gendan.production.models import DelayCause, WorkOrder, WorkOrderStatus
from gendan.production.selectors import plan_vs_actual
from gendan.tasks.models import TaskState
from tests.factories import UserFactory
from tests.production.helpers import routing, team, work_centre
from tests.purchasing.helpers import order_for, paper_product, set_status

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def released(staff):
    """An order in execution with an approved two-step plan starting in two days."""
    leader = UserFactory(username="leader", role=Role.CLERK, departments=["production"])
    member = UserFactory(username="member", role=Role.CLERK, departments=["production"])
    crew = team("A", leader=leader)
    crew.members.add(member)
    pm = work_centre("PM1", shifts_per_day=3, day_starts_at=dt.time(0), runs_on_rest_days=True)
    winder = work_centre("WD1", runs_on_rest_days=True)
    product = paper_product()
    routing(product, [("Papermaking", pm, 60, "3"), ("Winding", winder, 30, "8")], team_=crew)
    order = order_for(staff["clerk"], product, quantity="30")
    start = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=2), dt.time.min)
    )
    plan = draft_production_plan(order=order, user=staff["production_reviewer"], start=start)
    approve_production_plan(plan=plan, user=staff["production_head"])
    order = set_status(order, Status.IN_EXECUTION)
    paper, winding = WorkOrder.objects.filter(order=order).order_by("sequence")
    return {"order": order, "paper": paper, "winding": winding, "leader": leader, "member": member}


def test_progress_adds_up_good_quantity_scrap_and_hours(staff, released) -> None:
    paper = released["paper"]
    report_progress(
        work_order=paper,
        user=released["leader"],
        good_quantity="12.5",
        scrap_quantity="0.4",
        hours="4",
    )
    report_progress(
        work_order=paper,
        user=released["member"],
        good_quantity="10",
        scrap_quantity="0.6",
        hours="3.5",
    )
    paper.refresh_from_db()
    assert (paper.good_quantity, paper.scrap_quantity, paper.hours_worked) == (
        D("22.500"),
        D("1.000"),
        D("7.50"),
    )
    assert paper.status == WorkOrderStatus.IN_PROGRESS
    assert paper.actual_start is not None and paper.actual_end is None
    assert paper.remaining_quantity == D("7.500")
    assert paper.scrap_rate == D("0.0426")
    assert (
        LedgerEntry.objects.filter(order=released["order"], data__event="progress_reported").count()
        == 2
    )


def test_finishing_ends_the_work_order_and_closes_its_task(staff, released) -> None:
    paper = released["paper"]
    report_progress(
        work_order=paper,
        user=released["leader"],
        good_quantity="30",
        scrap_quantity="1",
        hours="2.5",
        finished=True,
    )
    paper.refresh_from_db()
    assert paper.status == WorkOrderStatus.DONE
    assert paper.actual_end is not None and paper.actual_end >= paper.actual_start
    paper.task.refresh_from_db()
    assert paper.task.state == TaskState.DONE
    with pytest.raises(Blocked):
        report_progress(work_order=paper, user=released["leader"], good_quantity="1")


def test_last_work_order_finished_completes_production_and_tells_the_clerk(
    staff, released, django_capture_on_commit_callbacks
) -> None:
    order = released["order"]
    report_progress(
        work_order=released["paper"],
        user=released["leader"],
        good_quantity="30",
        hours="2.5",
        finished=True,
    )
    assert production_complete(order, staff["clerk"]) == (
        f"Work orders not finished yet: {released['winding'].number}."
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_progress(
            work_order=released["winding"],
            user=staff["production_reviewer"],
            good_quantity="29.6",
            hours="4.5",
            finished=True,
        )
    assert production_complete(order, staff["clerk"]) is None
    assert LedgerEntry.objects.filter(order=order, data__event="production_complete").exists()
    assert Notification.objects.filter(
        user=staff["clerk"], message__contains="Production complete"
    ).exists()


def test_work_order_behind_plan_needs_the_cause_of_delay(staff, released) -> None:
    paper = released["paper"]
    yesterday = timezone.now() - dt.timedelta(days=1)
    change_work_order_plan(
        work_order=paper,
        user=staff["production_reviewer"],
        planned_start=yesterday - dt.timedelta(hours=3),
        planned_end=yesterday,
        reason="Brought forward",
    )
    with pytest.raises(Blocked) as refused:
        report_progress(work_order=paper, user=released["leader"], good_quantity="5", hours="2")
    assert "delay_cause" in refused.value.fields
    with pytest.raises(Blocked) as refused:
        report_progress(
            work_order=paper,
            user=released["leader"],
            good_quantity="5",
            hours="2",
            delay_cause=DelayCause.EQUIPMENT,
        )
    assert "note" in refused.value.fields
    report = report_progress(
        work_order=paper,
        user=released["leader"],
        good_quantity="5",
        hours="2",
        delay_cause=DelayCause.EQUIPMENT,
        note="Paper break on PM1, felt changed",
    )
    assert report.delay_cause == DelayCause.EQUIPMENT
    entry = LedgerEntry.objects.filter(data__event="progress_reported").latest("id")
    assert entry.data["delay_cause"] == "equipment" and entry.data["late"] is True


def test_plan_vs_actual_flags_a_late_finish(staff, released) -> None:
    paper = released["paper"]
    two_days_ago = timezone.localdate() - dt.timedelta(days=2)
    change_work_order_plan(
        work_order=paper,
        user=staff["production_reviewer"],
        planned_start=timezone.make_aware(dt.datetime.combine(two_days_ago, dt.time(0))),
        planned_end=timezone.make_aware(dt.datetime.combine(two_days_ago, dt.time(2, 30))),
        reason="As actually started",
    )
    report_progress(
        work_order=paper,
        user=released["leader"],
        good_quantity="28",
        scrap_quantity="2",
        hours="6",
        work_date=two_days_ago,
        finished=True,
        delay_cause=DelayCause.MATERIAL,
        note="Starch arrived late",
    )
    row = plan_vs_actual(released["order"])[0]
    assert row.work_order == paper
    assert (row.planned_quantity, row.good_quantity, row.scrap_quantity) == (
        D("30.000"),
        D("28.000"),
        D("2.000"),
    )
    # Reported for a past day: from 00:00 of that day for 6 hours → 3.5 h after planned end.
    assert row.actual_start == timezone.make_aware(dt.datetime.combine(two_days_ago, dt.time(0)))
    assert row.late is True and row.delay_hours == D("3.5")
    assert row.completion == D("93.3")
    assert row.planned_hours == D("2.50")


def test_progress_waits_for_release_to_execution(staff, released) -> None:
    set_status(released["order"], Status.CONFIRMED)
    with pytest.raises(Blocked, match="released to execution"):
        report_progress(work_order=released["paper"], user=released["leader"], hours="1")


def test_unapproved_work_orders_take_no_progress(staff) -> None:
    product = paper_product("P2")
    routing(product, [("Sheeting", work_centre("SH1"), 0, "10")])
    order = order_for(staff["clerk"], product, status=Status.IN_EXECUTION)
    draft_production_plan(order=order, user=staff["production_reviewer"])
    wo = WorkOrder.objects.get(order=order)
    with pytest.raises(Blocked):
        report_progress(work_order=wo, user=staff["production_head"], hours="1")


@pytest.mark.parametrize("name", ["clerk", "buyer", "outsider", "auditor"])
def test_only_the_team_and_production_report_progress(staff, released, name) -> None:
    with pytest.raises(NotPermitted):
        report_progress(work_order=released["paper"], user=staff[name], hours="1")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"good_quantity": "-1"}, "good_quantity"),
        ({"hours": "x"}, "hours"),
        ({}, "good_quantity"),
        ({"hours": "1", "work_date": timezone.localdate() + dt.timedelta(days=1)}, "work_date"),
        ({"hours": "1", "delay_cause": "weather", "note": "rain"}, "delay_cause"),
    ],
)
def test_invalid_reports_are_refused_field_by_field(staff, released, values, field) -> None:
    with pytest.raises(Blocked) as refused:
        report_progress(work_order=released["paper"], user=released["leader"], **values)
    assert field in refused.value.fields
    released["paper"].refresh_from_db()
    assert released["paper"].status == WorkOrderStatus.RELEASED


def test_finish_guards_from_later_steps_can_hold_a_work_order(staff, released, monkeypatch) -> None:
    monkeypatch.setattr(hooks, "FINISH_GUARDS", [lambda wo: "Reel 3 is quarantined."])
    with pytest.raises(Blocked, match="quarantined"):
        report_progress(
            work_order=released["paper"],
            user=released["leader"],
            good_quantity="30",
            hours="3",
            finished=True,
        )
    released["paper"].refresh_from_db()
    assert released["paper"].status == WorkOrderStatus.RELEASED
    assert not released["paper"].progress_reports.exists()
