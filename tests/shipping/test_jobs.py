"""The 发货通知 task opens N working days before the delivery date, once per order."""

import datetime as dt

import pytest

from gendan.orders.models import Order
from gendan.orders.status import Status
from gendan.shipping.jobs import open_shipping_notice_tasks, open_shipping_notices
from gendan.tasks.models import Task
from gendan.workdays.calendar import add_working_days
from tests.purchasing.helpers import set_status
from tests.shipping.helpers import mill, notice

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)


def _due_on(world, day: dt.date) -> None:
    Order.objects.filter(pk=world.order.pk).update(requested_date=day, promised_date=None)


def _notice_tasks() -> list[Task]:
    return list(Task.objects.filter(kind="shipping_notice"))


def test_the_task_opens_n_working_days_before_delivery(world, settings) -> None:
    settings.GENDAN = {**settings.GENDAN, "SHIPPING_NOTICE_DAYS": 3}
    _due_on(world, add_working_days(MONDAY, 4))
    assert open_shipping_notice_tasks(today=MONDAY) == 0
    _due_on(world, add_working_days(MONDAY, 3))
    assert open_shipping_notice_tasks(today=MONDAY) == 1
    [task] = _notice_tasks()
    assert task.order_id == world.order.pk and task.assignee == world.clerk
    assert task.department.code == "sales"
    assert world.order.number in task.title


def test_the_promised_date_counts_before_the_requested_one(world, settings) -> None:
    settings.GENDAN = {**settings.GENDAN, "SHIPPING_NOTICE_DAYS": 2}
    Order.objects.filter(pk=world.order.pk).update(
        requested_date=MONDAY, promised_date=MONDAY + dt.timedelta(days=30)
    )
    assert open_shipping_notice_tasks(today=MONDAY) == 0


def test_running_twice_opens_one_task(world) -> None:
    _due_on(world, MONDAY)
    assert open_shipping_notice_tasks(today=MONDAY) == 1
    assert open_shipping_notice_tasks(today=MONDAY) == 0
    open_shipping_notices.enqueue()  # the periodic job, run inline in tests
    assert len(_notice_tasks()) == 1


def test_orders_already_noticed_or_not_running_get_no_task(staff) -> None:
    noticed = mill(staff)
    _due_on(noticed, MONDAY)
    notice(noticed, {1: "10"})
    held = Order.objects.get(pk=noticed.order.pk)
    assert open_shipping_notice_tasks(today=MONDAY) == 0
    set_status(held, Status.ON_HOLD)
    Task.objects.all().delete()
    assert open_shipping_notice_tasks(today=MONDAY) == 0
    assert _notice_tasks() == []


def test_a_notice_task_without_an_order_hides_no_order(world) -> None:
    """NOT IN over a NULL would exclude every order: tasks without an order are left out."""
    from gendan.tasks.actions import due_at_for, open_task
    from tests.factories import department

    open_task(
        user=None,
        title="Stray",
        due_at=due_at_for(working_days=1),
        department=department("sales"),
        kind="shipping_notice",
    )
    _due_on(world, MONDAY)
    assert open_shipping_notice_tasks(today=MONDAY) == 1
