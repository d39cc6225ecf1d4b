"""Plan changes: new dates or an alternative work centre, with the reason and before/after."""

import datetime as dt
from decimal import Decimal

import pytest

from gendan.core.errors import Blocked, NotPermitted
from gendan.ledger.models import LedgerEntry
from gendan.production.actions import (
    apply_schedule,
    change_work_order_plan,
    draft_production_plan,
    reschedule_plan,
)
from gendan.production.models import PlanChange, WorkOrder
from tests.production.helpers import routing, work_centre
from tests.purchasing.helpers import local, order_for, paper_product

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def planned(staff):
    sheeter, spare = work_centre("SH1"), work_centre("SH2")
    other = work_centre("XX")
    product = paper_product()
    route = routing(product, [("Sheeting", sheeter, 30, "15")])
    route.operations.get().alternative_work_centres.add(spare)
    order = order_for(staff["clerk"], product, quantity="10")
    draft_production_plan(
        order=order, user=staff["production_reviewer"], start=local(2026, 9, 30, 8)
    )
    wo = WorkOrder.objects.get(order=order)
    return {"order": order, "wo": wo, "spare": spare, "other": other}


def test_change_keeps_before_and_after_in_the_ledger_and_history(staff, planned) -> None:
    wo = planned["wo"]
    # 30 + 10 x 15 = 180 minutes: 08:00-11:00 on 30 September
    assert (wo.planned_start, wo.planned_end) == (local(2026, 9, 30, 8), local(2026, 9, 30, 11))
    change_work_order_plan(
        work_order=wo,
        user=staff["production_reviewer"],
        planned_start=local(2026, 10, 8, 8),
        planned_end=local(2026, 10, 8, 11),
        reason="Sheeter SH1 under repair",
        work_centre=planned["spare"],
    )
    entry = LedgerEntry.objects.get(order=planned["order"], data__event="work_order_rescheduled")
    assert entry.changes == {
        "planned_start": ["2026-09-30 08:00", "2026-10-08 08:00"],
        "planned_end": ["2026-09-30 11:00", "2026-10-08 11:00"],
        "work_centre": ["SH1", "SH2"],
    }
    assert entry.body == "Sheeter SH1 under repair"
    change = PlanChange.objects.get(work_order=wo)
    assert (change.before_end, change.after_end) == (local(2026, 9, 30, 11), local(2026, 10, 8, 11))
    assert change.end_shift == dt.timedelta(days=8)
    wo.refresh_from_db()
    assert wo.work_centre == planned["spare"]


def test_change_needs_a_reason_and_a_sane_slot(staff, planned) -> None:
    with pytest.raises(Blocked) as refused:
        change_work_order_plan(
            work_order=planned["wo"],
            user=staff["production_reviewer"],
            planned_start=local(2026, 10, 9),
            planned_end=local(2026, 10, 8),
            reason="",
        )
    assert set(refused.value.fields) == {"reason", "planned_end"}
    assert not PlanChange.objects.exists()


def test_only_the_operations_own_or_alternative_centres_are_allowed(staff, planned) -> None:
    with pytest.raises(Blocked) as refused:
        change_work_order_plan(
            work_order=planned["wo"],
            user=staff["production_reviewer"],
            planned_start=local(2026, 10, 8),
            planned_end=local(2026, 10, 9),
            reason="x",
            work_centre=planned["other"],
        )
    assert "work_centre" in refused.value.fields


@pytest.mark.parametrize("name", ["clerk", "buyer", "outsider"])
def test_only_production_changes_the_plan(staff, planned, name) -> None:
    with pytest.raises(NotPermitted):
        change_work_order_plan(
            work_order=planned["wo"],
            user=staff[name],
            planned_start=local(2026, 10, 8),
            planned_end=local(2026, 10, 9),
            reason="x",
        )


def test_unchanged_dates_write_nothing(staff, planned) -> None:
    wo = planned["wo"]
    change_work_order_plan(
        work_order=wo,
        user=staff["production_reviewer"],
        planned_start=wo.planned_start,
        planned_end=wo.planned_end,
        reason="no-op",
    )
    assert not LedgerEntry.objects.filter(data__event="work_order_rescheduled").exists()


def test_engine_dates_are_applied_through_one_entry(staff, planned) -> None:
    wo = planned["wo"]
    moved = apply_schedule(
        plan=wo.plan,
        user=staff["production_reviewer"],
        slots={wo.pk: (local(2026, 10, 9, 8), local(2026, 10, 9, 11))},
        reason="Capable-to-promise run",
    )
    assert moved == [wo]
    entry = LedgerEntry.objects.get(data__event="production_plan_rescheduled")
    assert entry.changes[f"{wo.number} planned_start"] == ["2026-09-30 08:00", "2026-10-09 08:00"]


def test_reschedule_plans_again_from_a_new_start(staff, planned) -> None:
    wo = planned["wo"]
    reschedule_plan(
        plan=wo.plan,
        user=staff["production_reviewer"],
        reason="Customer moved date",
        start=local(2026, 10, 1, 0),
    )
    wo.refresh_from_db()
    # 1-7 October are holidays: the sheeter starts on 8 October.
    assert (wo.planned_start, wo.planned_end) == (local(2026, 10, 8, 8), local(2026, 10, 8, 11))


def fixed_scheduler(steps, start):
    return {step.key: (start, start + dt.timedelta(hours=1)) for step in steps}


def test_the_scheduler_is_replaceable_by_setting(staff, planned, settings) -> None:
    settings.GENDAN = {
        **settings.GENDAN,
        "PRODUCTION_SCHEDULER": "tests.production.test_plan_changes.fixed_scheduler",
    }
    wo = planned["wo"]
    reschedule_plan(
        plan=wo.plan,
        user=staff["production_reviewer"],
        reason="engine",
        start=local(2026, 12, 1, 6),
    )
    wo.refresh_from_db()
    assert (wo.planned_start, wo.planned_end) == (local(2026, 12, 1, 6), local(2026, 12, 1, 7))
