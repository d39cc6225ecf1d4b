"""The problem builder turns the database into the engine's problem correctly."""

import datetime as dt
from decimal import Decimal

import pytest

from gendan.accounts.models import User
from gendan.orders.status import Priority, Status
from gendan.planning.builder import OUTSOURCED, build, op_id
from gendan.planning.materials import Source
from gendan.planning.models import Outsourcing
from gendan.production.actions import draft_production_plan
from gendan.production.models import WorkOrder, WorkOrderStatus
from gendan.workdays.models import CalendarOverride
from tests.planning.factory import (
    bom,
    centre,
    local,
    material,
    order_of,
    product,
    purchase,
    routing,
)

# 2026-09-30 is a Wednesday; 1-7 October is the National Day holiday; Saturday 10 October is
# a make-up working day. Units are 15 minutes from midnight of the 30th.
NOW = local(2026, 9, 30, 7, 0)
DAY = 96


@pytest.fixture(autouse=True)
def _no_frozen_window(settings: pytest.FixtureRequest) -> None:
    settings.GENDAN = {**settings.GENDAN, "PLANNING_FROZEN_HOURS": 0}  # type: ignore[attr-defined]


@pytest.fixture
def mill(staff: dict[str, User]) -> dict[str, object]:
    pm1 = centre("PM1", shifts=3, hours="8", starts=dt.time(0, 0), rest_days=True)
    wnd = centre("WND", shifts=1, hours="8")
    wnd2 = centre("WND2", units=2, shifts=1, hours="8")
    paper = product("CM120")
    routing(paper, [(pm1, 0, "6"), (wnd, 0, "12")], alternatives={1: [wnd2]})
    return {"pm1": pm1, "wnd": wnd, "wnd2": wnd2, "paper": paper}


def test_shift_calendars_skip_the_national_day_holiday(staff: dict[str, User], mill: dict) -> None:
    built = build(now=NOW)
    windows = built.problem.centre("WND").windows
    assert windows is not None
    # Tuesday's shift, Wednesday 30 September 08:00-16:00, then nothing until Thursday 8
    # October.
    assert windows[:3] == ((-64, -32), (32, 64), (8 * DAY + 32, 8 * DAY + 64))
    # Saturday 10 October is a make-up working day, Sunday 11 October is not.
    starts = [s for s, _e in windows]
    assert 10 * DAY + 32 in starts
    assert 11 * DAY + 32 not in starts
    # The paper machine runs on rest days, three shifts back to back: one open window.
    pm1 = built.problem.centre("PM1").windows
    assert pm1 is not None and pm1[0][0] == -DAY and len(pm1) == 1


def test_company_override_closes_a_working_day(staff: dict[str, User], mill: dict) -> None:
    CalendarOverride.objects.create(
        date=dt.date(2026, 10, 9), is_working_day=False, note="shutdown"
    )
    windows = build(now=NOW).problem.centre("WND").windows
    assert windows is not None
    assert 9 * DAY + 32 not in [s for s, _e in windows]


def test_order_becomes_a_chain_with_alternative_centres_and_split_lots(
    staff: dict[str, User], mill: dict
) -> None:
    order = order_of(staff["clerk"], mill["paper"], tons="10", requested_date=dt.date(2026, 10, 20))
    built = build(now=NOW)
    engine = built.problem.order(order.number)
    line = order.lines.get()
    steps = [
        op_id(line=line.pk, routing_op=rop.pk)
        for rop in mill["paper"].routings.get().operations.all()
    ]
    assert [op.id for op in engine.operations] == steps
    # 10 t x 6 min = 1 h on PM1; 10 t x 12 min = 2 h on WND, split over WND2's two units = 1 h.
    assert dict(engine.operations[0].durations) == {"PM1": 4}
    assert dict(engine.operations[1].durations) == {"WND": 8, "WND2": 4}
    # Delivered by 20 October: done by the end of that day.
    assert engine.due == 21 * DAY
    assert engine.release == 0


def test_release_waits_for_a_late_purchase_order(staff: dict[str, User], mill: dict) -> None:
    pulp = material("PULP", stock="0", lead=40)
    bom(mill["paper"], pulp, "1.1")
    order = order_of(staff["clerk"], mill["paper"], tons="10", requested_date=dt.date(2026, 10, 20))
    # Promised for 28 September, the supplier now expects 9 October.
    line = purchase(order, pulp, "11", dt.date(2026, 10, 9), staff["buyer"])
    line.promised_date = dt.date(2026, 9, 28)
    line.save()
    built = build(now=NOW)
    # Usable the day after it arrives (incoming inspection): 10 October 00:00.
    assert built.problem.order(order.number).release == 10 * DAY
    (wait,) = built.waits[order.number]
    assert wait.source == Source.PURCHASE_ORDER
    assert wait.reference == line.purchase_order.number
    assert wait.short == Decimal("11.0")


def test_shortage_without_purchase_order_waits_for_the_supplier_lead_time(
    staff: dict[str, User], mill: dict
) -> None:
    pulp = material("PULP", stock="4", lead=3)
    bom(mill["paper"], pulp, "1")
    order = order_of(staff["clerk"], mill["paper"], tons="10", requested_date=dt.date(2026, 10, 20))
    built = build(now=NOW)
    (wait,) = built.waits[order.number]
    assert wait.source == Source.LEAD_TIME
    assert wait.short == Decimal("6")
    # Three working days after 30 September skip the holiday: 8, 9, 10 October; usable on the 11th.
    assert wait.arrives == dt.date(2026, 10, 10)
    assert built.problem.order(order.number).release == 11 * DAY


def test_free_stock_goes_to_the_earlier_order_first(staff: dict[str, User], mill: dict) -> None:
    pulp = material("PULP", stock="10", lead=3)
    bom(mill["paper"], pulp, "1")
    late = order_of(staff["clerk"], mill["paper"], tons="10", requested_date=dt.date(2026, 10, 30))
    early = order_of(staff["clerk"], mill["paper"], tons="10", requested_date=dt.date(2026, 10, 15))
    built = build(now=NOW)
    assert early.number not in built.waits
    assert built.waits[late.number][0].short == Decimal("10")


def test_work_orders_replace_the_routing_and_a_running_one_stays_put(
    staff: dict[str, User], mill: dict
) -> None:
    order = order_of(staff["clerk"], mill["paper"], tons="10", requested_date=dt.date(2026, 10, 20))
    draft_production_plan(order=order, user=staff["planner"], start=local(2026, 9, 30, 6))
    first, second = WorkOrder.objects.filter(order=order).order_by("sequence")
    WorkOrder.objects.filter(pk=first.pk).update(
        status=WorkOrderStatus.IN_PROGRESS,
        actual_start=local(2026, 9, 30, 6),
        good_quantity=Decimal("5"),
    )
    built = build(now=NOW)
    engine = built.problem.order(order.number)
    assert [op.id for op in engine.operations] == [f"w{first.pk}", f"w{second.pk}"]
    running = built.problem.plan.get(order.number, f"w{first.pk}")
    # Started at 06:00 (unit 24); 5 t left at 6 min/t = 30 min from now (07:00, unit 28).
    assert (running.start, running.end) == (24, 30)
    assert built.problem.is_pinned(order.number, f"w{first.pk}")
    assert not built.problem.is_pinned(order.number, f"w{second.pk}")


def test_emergency_and_key_account_orders_weigh_more(staff: dict[str, User], mill: dict) -> None:
    normal = order_of(staff["clerk"], mill["paper"], requested_date=dt.date(2026, 10, 20))
    urgent = order_of(
        staff["clerk"],
        mill["paper"],
        priority=Priority.EMERGENCY,
        requested_date=dt.date(2026, 10, 20),
    )
    built = build(now=NOW)
    assert built.problem.order(urgent.number).weight > built.problem.order(normal.number).weight


def test_orders_outside_planning_are_left_out_unless_asked(
    staff: dict[str, User], mill: dict
) -> None:
    draft = order_of(staff["clerk"], mill["paper"], status=Status.DRAFT)
    assert draft.number not in build(now=NOW).orders
    assert draft.number in build(now=NOW, include=[draft]).orders


def test_order_without_routing_is_reported_not_planned(staff: dict[str, User], mill: dict) -> None:
    order = order_of(staff["clerk"], product("NOROUTE"))
    built = build(now=NOW)
    assert order.number not in built.orders
    assert "NOROUTE" in built.unplanned[order.number]


def test_step_longer_than_a_shift_is_cut_into_shift_sized_parts(
    staff: dict[str, User], mill: dict
) -> None:
    order = order_of(
        staff["clerk"], mill["paper"], tons="100", requested_date=dt.date(2026, 11, 30)
    )
    engine = build(now=NOW).problem.order(order.number)
    # 100 t x 12 min = 20 h on WND (8 h a day): three parts; WND2 needs 10 h over 2 units.
    parts = [op for op in engine.operations if op.id.count(".")]
    assert len(parts) == 3
    assert all(max(op.durations.values()) <= 32 for op in parts)


def test_outsourced_step_runs_at_the_outside_shop(staff: dict[str, User], mill: dict) -> None:
    order = order_of(staff["clerk"], mill["paper"], requested_date=dt.date(2026, 10, 20))
    rop = mill["paper"].routings.get().operations.get(sequence=20)
    Outsourcing.objects.create(
        order=order,
        order_line=order.lines.get(),
        routing_operation=rop,
        lead_hours=48,
        cost=Decimal("3000"),
        reason="rush",
        created_by=staff["planner"],
    )
    engine = build(now=NOW).problem.order(order.number)
    assert dict(engine.operations[1].durations) == {OUTSOURCED: 48 * 4}
