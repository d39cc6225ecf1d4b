"""An emergency order from identification to the option chosen (U1-U6, S2)."""

import datetime as dt

import pytest

from gendan.accounts.models import User
from gendan.emergency import actions
from gendan.emergency.models import Basis, CaseStatus, EmergencyOption, OptionKind, OptionsState
from gendan.notifications.models import Notification
from gendan.orders.status import Priority, Status
from gendan.planning.models import CapacityAdjustment, PlanRun, RunKind
from gendan.production.models import WorkOrder
from gendan.tasks.models import Task, TaskState
from tests.emergency.scenario import MONDAY, mill, rush_order
from tests.planning.conftest import Clock
from tests.planning.factory import local


@pytest.fixture
def shop(staff: dict[str, User], clock: Clock) -> dict[str, object]:
    clock.now = MONDAY
    return mill(staff)


def _identified_and_confirmed(staff: dict[str, User], shop: dict, capture) -> object:
    order = rush_order(staff, shop["paper"], status=Status.INTAKE_REVIEW)
    case = actions.identify_emergency(
        order=order,
        user=staff["clerk"],
        basis=Basis.SHORT_LEAD_TIME,
        reason="Carton plant's line restarts Thursday; their stock runs out.",
    )
    with capture(execute=True):
        case = actions.confirm_with_customer(
            case=case, user=staff["clerk"], note="30 t CM120, Kunshan gate 2, by Wednesday."
        )
    case.refresh_from_db()
    return case


def test_emergency_from_identification_to_the_chosen_option(
    staff: dict[str, User], shop: dict, clock: Clock, django_capture_on_commit_callbacks
) -> None:
    order = rush_order(staff, shop["paper"], status=Status.INTAKE_REVIEW)

    # U1/U2: identified by its short lead time; the order goes first in every queue.
    with django_capture_on_commit_callbacks(execute=True):
        case = actions.identify_emergency(
            order=order,
            user=staff["clerk"],
            basis=Basis.SHORT_LEAD_TIME,
            reason="Carton plant's line restarts Thursday; their stock runs out.",
        )
    order.refresh_from_db()
    assert order.priority == Priority.EMERGENCY
    assert (case.lead_days, case.normal_cycle_days) == (3, 15)
    confirmation = case.confirmation_task
    assert confirmation.assignee == staff["clerk"] and confirmation.due_in_hours
    assert confirmation.due_at == MONDAY + dt.timedelta(hours=2)
    group = set(
        Notification.objects.filter(message__contains=order.number).values_list(
            "user__username", flat=True
        )
    )
    assert {"sales_head", "production_head", "gm", "procurement_head", "logistics_head"} <= group

    # U3: confirmed an hour later; the processing sheet goes to three departments at once.
    clock.advance(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        case = actions.confirm_with_customer(
            case=case, user=staff["clerk"], note="30 t CM120, Kunshan gate 2, by Wednesday."
        )
    confirmation.refresh_from_db()
    assert confirmation.state == TaskState.DONE
    sheet = Task.objects.filter(order=order, kind__in=[
        "emergency_production", "emergency_procurement", "emergency_logistics"
    ])  # fmt: skip
    assert sorted(t.department.code for t in sheet) == ["logistics", "procurement", "production"]
    assert all(t.created_at == clock.now and t.due_in_hours for t in sheet)
    assert all(t.priority == Priority.EMERGENCY for t in sheet)
    production = sheet.get(department__code="production")
    assert production.due_at == clock.now + dt.timedelta(hours=4)

    # U4: the worker computed production's options with their cost.
    case.refresh_from_db()
    assert case.options_state == OptionsState.READY
    options = {o.kind: o for o in case.options.all()}
    # Every other order keeps its date only if the rush order waits for Monday the 19th.
    assert options[OptionKind.MOVE_DATE].promise_date == dt.date(2026, 10, 19)
    assert not options[OptionKind.MOVE_DATE].meets_required
    # Overtime after Tuesday's shift lets the winder take the rush order on Tuesday.
    overtime = options[OptionKind.OVERTIME]
    assert overtime.meets_required and overtime.capacity["centre"] == "WND"
    assert overtime.cost > 0 and not overtime.broken_promises
    # Forcing the date without overtime: the rush order takes Thursday, B and C slip.
    expedite = options[OptionKind.EXPEDITE]
    assert expedite.meets_required
    slipped = {s["order"] for s in expedite.broken_promises}
    assert slipped == {shop["b"].number, shop["c"].number}
    assert expedite.cost > overtime.cost
    # Best first: meeting the date, then the cheapest.
    assert list(case.options.values_list("kind", flat=True)) == [
        OptionKind.OVERTIME, OptionKind.EXPEDITE, OptionKind.MOVE_DATE, OptionKind.OUTSOURCE
    ]  # fmt: skip

    # S2: the planner expedites; the plan is updated and the slipping orders' clerks are told.
    b_work_orders = list(WorkOrder.objects.filter(order=shop["b"]).order_by("sequence"))
    clock.advance(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        case = actions.choose_option(option=expedite, user=staff["planner"], note="Customer first.")
    assert case.status == CaseStatus.DECIDED and case.chosen_option == expedite
    production.refresh_from_db()
    assert production.state == TaskState.DONE and not case.answered_late
    run = PlanRun.objects.current()
    assert run.kind == RunKind.EMERGENCY
    order.refresh_from_db()
    assert order.promised_date == dt.date(2026, 10, 15)
    for wo in b_work_orders:
        wo.refresh_from_db()
    assert b_work_orders[-1].planned_end > local(2026, 10, 16)  # B's winding moved to Friday
    told_b = Notification.objects.get(user=staff["other_clerk"], message__contains=shop["b"].number)
    assert order.number in told_b.message and "after its date" in told_b.message
    assert Notification.objects.filter(
        user=staff["clerk"], message__contains=shop["c"].number
    ).exists()
    assert not Notification.objects.filter(message__contains=shop["a"].number).exists()
    assert shop["b"].ledger.filter(data__event="slipped_for_emergency").exists()


def test_overtime_option_books_the_extra_hours_and_keeps_every_promise(
    staff: dict[str, User], shop: dict, django_capture_on_commit_callbacks
) -> None:
    case = _identified_and_confirmed(staff, shop, django_capture_on_commit_callbacks)
    overtime = case.options.get(kind=OptionKind.OVERTIME)
    with django_capture_on_commit_callbacks(execute=True):
        actions.choose_option(option=overtime, user=staff["production_head"])
    extra = CapacityAdjustment.objects.get()
    assert extra.work_centre == shop["wnd"]
    assert extra.starts_at == local(2026, 10, 13, 16)
    assert not Notification.objects.filter(message__contains="after its date").exists()


def test_confirmation_deadline_counts_clock_hours_over_a_weekend(
    staff: dict[str, User], shop: dict, clock: Clock
) -> None:
    clock.now = local(2026, 10, 16, 17, 0)  # Friday evening
    order = rush_order(staff, shop["paper"], requested_date=dt.date(2026, 10, 20))
    case = actions.identify_emergency(
        order=order, user=staff["clerk"], basis=Basis.CUSTOMER_DATE, reason="Trade fair."
    )
    assert case.confirmation_due_at == local(2026, 10, 16, 19, 0)  # not Monday
    assert case.confirmation_task.due_at == local(2026, 10, 16, 19, 0)
    clock.now = local(2026, 10, 19, 8, 0)
    case.refresh_from_db()
    assert case.confirmed_late


def test_option_computed_on_an_old_plan_must_be_computed_again(
    staff: dict[str, User], shop: dict, django_capture_on_commit_callbacks
) -> None:
    from gendan.core.errors import Blocked
    from gendan.planning import actions as planning

    case = _identified_and_confirmed(staff, shop, django_capture_on_commit_callbacks)
    planning.replan(user=None)
    with pytest.raises(Blocked, match="compute them again"):
        actions.choose_option(option=case.options.first(), user=staff["planner"])
    assert EmergencyOption.objects.filter(case=case).count() >= 3
