"""Who may identify, flag, confirm and decide emergency orders."""

import datetime as dt

import pytest

from gendan.accounts.models import User
from gendan.core.errors import Blocked, NotPermitted
from gendan.emergency import actions
from gendan.emergency.models import Basis, CaseStatus, EmergencyCase
from gendan.orders.status import Priority, Status
from tests.emergency.scenario import MONDAY, mill, rush_order
from tests.planning.conftest import Clock


@pytest.fixture
def shop(staff: dict[str, User], clock: Clock) -> dict[str, object]:
    clock.now = MONDAY
    return mill(staff)


def _confirmed(staff: dict[str, User], shop: dict, capture) -> EmergencyCase:
    order = rush_order(staff, shop["paper"])
    case = actions.identify_emergency(
        order=order, user=staff["clerk"], basis=Basis.CUSTOMER_DATE, reason="Line restart."
    )
    with capture(execute=True):
        return actions.confirm_with_customer(case=case, user=staff["clerk"], note="ok")


def test_only_management_flags_an_order_for_a_key_customer(
    staff: dict[str, User], shop: dict
) -> None:
    order = rush_order(staff, shop["paper"], requested_date=dt.date(2026, 12, 20))
    for name in ("clerk", "sales_head", "production_head"):
        with pytest.raises(NotPermitted):
            actions.identify_emergency(
                order=order, user=staff[name], basis=Basis.MANAGEMENT_FLAG, reason="Key account."
            )
    assert not EmergencyCase.objects.exists()
    case = actions.identify_emergency(
        order=order, user=staff["gm"], basis=Basis.MANAGEMENT_FLAG, reason="Key account."
    )
    assert case.basis == Basis.MANAGEMENT_FLAG
    order.refresh_from_db()
    assert order.priority == Priority.EMERGENCY


def test_another_clerk_may_not_identify_an_order_she_does_not_follow(
    staff: dict[str, User], shop: dict
) -> None:
    order = rush_order(staff, shop["paper"])
    with pytest.raises(NotPermitted):
        actions.identify_emergency(
            order=order, user=staff["other_clerk"], basis=Basis.CUSTOMER_DATE, reason="x"
        )
    with pytest.raises(NotPermitted):
        actions.identify_emergency(
            order=order, user=staff["auditor"], basis=Basis.CUSTOMER_DATE, reason="x"
        )


def test_short_lead_time_must_really_be_short(staff: dict[str, User], shop: dict) -> None:
    relaxed = rush_order(staff, shop["paper"], requested_date=dt.date(2026, 11, 30))
    with pytest.raises(Blocked) as refused:
        actions.identify_emergency(
            order=relaxed, user=staff["clerk"], basis=Basis.SHORT_LEAD_TIME, reason="hurry"
        )
    assert "basis" in refused.value.fields
    assert not EmergencyCase.objects.exists()


def test_reason_is_required(staff: dict[str, User], shop: dict) -> None:
    order = rush_order(staff, shop["paper"])
    with pytest.raises(Blocked) as refused:
        actions.identify_emergency(
            order=order, user=staff["clerk"], basis=Basis.CUSTOMER_DATE, reason="  "
        )
    assert "reason" in refused.value.fields


def test_an_order_is_identified_once(staff: dict[str, User], shop: dict) -> None:
    order = rush_order(staff, shop["paper"])
    actions.identify_emergency(
        order=order, user=staff["clerk"], basis=Basis.CUSTOMER_DATE, reason="a"
    )
    with pytest.raises(Blocked, match="already emergency"):
        actions.identify_emergency(
            order=order, user=staff["sales_head"], basis=Basis.CUSTOMER_DATE, reason="b"
        )


def test_only_the_sales_office_confirms_with_the_customer(
    staff: dict[str, User], shop: dict
) -> None:
    order = rush_order(staff, shop["paper"])
    case = actions.identify_emergency(
        order=order, user=staff["clerk"], basis=Basis.CUSTOMER_DATE, reason="a"
    )
    with pytest.raises(NotPermitted):
        actions.confirm_with_customer(case=case, user=staff["production_head"], note="ok")
    case.refresh_from_db()
    assert case.status == CaseStatus.IDENTIFIED


@pytest.mark.parametrize("name", ["clerk", "sales_head", "gm", "procurement_head", "auditor"])
def test_only_planners_and_the_production_head_choose_an_option(
    staff: dict[str, User], shop: dict, django_capture_on_commit_callbacks, name: str
) -> None:
    case = _confirmed(staff, shop, django_capture_on_commit_callbacks)
    option = case.options.first()
    with pytest.raises(NotPermitted):
        actions.choose_option(option=option, user=staff[name])
    case.refresh_from_db()
    assert case.status == CaseStatus.CONFIRMED and case.chosen_option is None


def test_production_head_may_choose_an_option(
    staff: dict[str, User], shop: dict, django_capture_on_commit_callbacks
) -> None:
    case = _confirmed(staff, shop, django_capture_on_commit_callbacks)
    option = case.options.get(kind="move_date")
    with django_capture_on_commit_callbacks(execute=True):
        case = actions.choose_option(option=option, user=staff["production_head"])
    assert case.status == CaseStatus.DECIDED
    case.order.refresh_from_db()
    assert case.order.promised_date == option.promise_date


def test_an_option_is_chosen_once(
    staff: dict[str, User], shop: dict, django_capture_on_commit_callbacks
) -> None:
    case = _confirmed(staff, shop, django_capture_on_commit_callbacks)
    first, second = list(case.options.all())[:2]
    with django_capture_on_commit_callbacks(execute=True):
        actions.choose_option(option=first, user=staff["planner"])
    with pytest.raises(Blocked):
        actions.choose_option(option=second, user=staff["planner"])


def test_identifying_puts_the_orders_open_tasks_first_in_every_queue(
    staff: dict[str, User], shop: dict
) -> None:
    from gendan.emergency.ordering import emergency_first
    from gendan.tasks.actions import open_task
    from gendan.tasks.models import Task

    order = rush_order(staff, shop["paper"], status=Status.INTAKE_REVIEW)
    earlier = open_task(
        user=None, title="earlier normal task", due_at=MONDAY, assignee=staff["clerk"]
    )
    later = open_task(
        user=None,
        title="later task on the rush order",
        due_at=MONDAY + dt.timedelta(days=3),
        order=order,
        assignee=staff["clerk"],
    )
    actions.identify_emergency(
        order=order, user=staff["clerk"], basis=Basis.CUSTOMER_DATE, reason="a"
    )
    later.refresh_from_db()
    assert later.priority == Priority.EMERGENCY
    inbox = list(emergency_first(Task.objects.inbox(staff["clerk"])))
    assert inbox.index(later) < inbox.index(earlier)
    assert inbox[-1] == earlier
