"""The shipping notice (发货通知单): sales asks logistics to ship, within what is left of each
line (tolerance included); logistics gets a task; the clerk's notice task is done."""

import datetime as dt

import pytest
from django.utils import timezone

from gendan.core.errors import Blocked, NotPermitted
from gendan.ledger.models import LedgerEntry
from gendan.orders.status import Status
from gendan.shipping.actions import cancel_notice
from gendan.shipping.jobs import open_shipping_notice_tasks
from gendan.shipping.models import NoticeState, ShippingNotice
from gendan.shipping.selectors import line_progress
from gendan.tasks.models import Task, TaskState
from tests.purchasing.helpers import set_status
from tests.shipping.helpers import D, mill, notice

pytestmark = pytest.mark.django_db


def test_a_notice_opens_a_logistics_task_due_on_the_shipping_day(world) -> None:
    day = timezone.localdate() + dt.timedelta(days=3)
    sent = notice(world, {1: "12.5"}, ship_on=day, consignee="王经理 139 0000 0000")
    assert sent.number.startswith("SN-") and sent.state == NoticeState.OPEN
    assert sent.delivery_place == world.order.delivery_place
    [line] = sent.lines.all()
    assert line.quantity == D("12.5") and line.order_line == world.line()
    task = sent.task
    assert task.department.code == "logistics" and task.kind == "shipment"
    assert timezone.localtime(task.due_at).date() == day
    entry = LedgerEntry.objects.get(order=world.order, data__event="shipping_notice_issued")
    assert entry.data == {
        "step": "shipping",
        "event": "shipping_notice_issued",
        "notice": sent.number,
        "ship_on": day.isoformat(),
        "lines": {"1": "12.5"},
    }


def test_notices_add_up_to_at_most_the_line_and_its_tolerance(world) -> None:
    notice(world, {1: "20"})
    assert line_progress(world.order)[0].to_notice == D("10")
    with pytest.raises(Blocked) as refused:
        notice(world, {1: "10.91"})  # 30 t ± 3 %: at most 30.9 t in all
    assert "line_1" in refused.value.fields
    notice(world, {1: "10.9"})
    assert ShippingNotice.objects.count() == 2


def test_a_notice_needs_a_day_and_some_goods(world) -> None:
    with pytest.raises(Blocked) as refused:
        notice(world, {1: "0"}, ship_on=timezone.localdate() - dt.timedelta(days=1))
    assert set(refused.value.fields) == {"ship_on", "lines"}
    with pytest.raises(Blocked) as refused:
        notice(world, {7: "3"})
    assert "lines" in refused.value.fields
    assert not ShippingNotice.objects.exists()


def test_only_sales_issues_notices(world) -> None:
    from gendan.shipping.actions import issue_notice

    for name in ("other_clerk", "logistics_reviewer", "production_head", "auditor"):
        with pytest.raises(NotPermitted):
            issue_notice(
                order=world.order,
                user=world.staff[name],
                ship_on=timezone.localdate(),
                quantities={1: "5"},
            )
    assert not ShippingNotice.objects.exists()


def test_no_notice_before_the_order_is_confirmed(staff) -> None:
    world = mill(staff)
    set_status(world.order, Status.CONTRACT)
    with pytest.raises(Blocked):
        notice(world, {1: "5"})


def test_issuing_the_notice_completes_the_clerks_notice_task(world) -> None:
    Task.objects.filter(order=world.order).delete()
    assert open_shipping_notice_tasks(today=world.order.requested_date) == 1
    task = Task.objects.get(order=world.order, kind="shipping_notice")
    assert task.assignee == world.clerk and task.state == TaskState.OPEN
    notice(world, {1: "30"})
    task.refresh_from_db()
    assert task.state == TaskState.DONE and task.completed_by == world.clerk


def test_cancelling_a_notice_frees_its_quantity_and_cancels_the_task(world) -> None:
    sent = notice(world, {1: "30"})
    with pytest.raises(Blocked):
        cancel_notice(notice=sent, user=world.clerk, reason=" ")
    cancelled = cancel_notice(notice=sent, user=world.clerk, reason="Customer postponed")
    assert cancelled.state == NoticeState.CANCELLED
    assert Task.objects.get(pk=sent.task.pk).state == TaskState.CANCELLED
    assert line_progress(world.order)[0].to_notice == D("30")
    with pytest.raises(NotPermitted):
        cancel_notice(notice=notice(world), user=world.staff["logistics_reviewer"], reason="x")
