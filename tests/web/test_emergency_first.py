"""Emergency orders first in every queue (U6): the tasks page, the home page's inbox and the
order list's default order put emergencies on top, keeping their own order within."""

import datetime as dt

import pytest
from django.utils import timezone

from gendan.accounts.models import Department
from gendan.orders.models import Order
from gendan.orders.status import Priority
from gendan.tasks.actions import open_task
from tests.factories import make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(users):  # type: ignore[no-untyped-def]
    """For the clerk: a normal task due in an hour, an emergency task due in two days, a
    normal one due tomorrow; the same three for the production department."""
    normal = make_order(user=users["clerk"])
    urgent = make_order(user=users["clerk"], priority=Priority.EMERGENCY)
    production = Department.objects.get(code="production")
    now = timezone.now()
    rows = [
        ("Due soon", normal, dt.timedelta(hours=1)),
        ("Rush order", urgent, dt.timedelta(days=2)),
        ("Due tomorrow", normal, dt.timedelta(days=1)),
    ]
    for title, order, due in rows:
        open_task(
            user=users["sales_head"],
            order=order,
            title=title,
            assignee=users["clerk"],
            due_at=now + due,
        )
        open_task(
            user=users["sales_head"],
            order=order,
            title=f"{title} (production)",
            department=production,
            due_at=now + due,
        )
        # The same again overdue, for the overdue tab.
        open_task(
            user=users["sales_head"],
            order=order,
            title=f"{title} (late)",
            assignee=users["clerk"],
            due_at=now - dt.timedelta(days=3) + due,
        )
    return {"normal": normal, "urgent": urgent}


def titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [task.title for task, _ in response.context["rows"]]


def test_my_tasks_list_emergencies_first_then_by_due_date(client_for, queue):
    mine = [t for t in titles(client_for("clerk").get("/tasks/")) if "(" not in t]
    assert mine == ["Rush order", "Due soon", "Due tomorrow"]


def test_department_tab_lists_emergencies_first(client_for, queue):
    department = titles(client_for("production_head").get("/tasks/?tab=department"))
    assert department == [
        "Rush order (production)",
        "Due soon (production)",
        "Due tomorrow (production)",
    ]


def test_overdue_tab_lists_emergencies_first(client_for, queue):
    overdue = titles(client_for("clerk").get("/tasks/?tab=overdue"))
    assert overdue == ["Rush order (late)", "Due soon (late)", "Due tomorrow (late)"]


def test_home_inbox_lists_emergencies_first(client_for, queue):
    tasks = [t.title for t in client_for("clerk").get("/").context["tasks"]]
    assert tasks[0] == "Rush order (late)"
    assert tasks.index("Rush order") < tasks.index("Due soon (late)")
    normal = [t for t in tasks if "Rush" not in t]
    assert normal == ["Due soon (late)", "Due tomorrow (late)", "Due soon", "Due tomorrow"]


def numbers(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [order.number for order in response.context["page"].rows]


def test_order_list_puts_emergencies_first_by_default_then_newest(client_for, users):
    old_urgent = make_order(user=users["clerk"], priority=Priority.EMERGENCY)
    older, newer = make_order(user=users["clerk"]), make_order(user=users["clerk"])
    now = timezone.now()
    for order, days in ((old_urgent, 5), (older, 2), (newer, 1)):
        Order.objects.filter(pk=order.pk).update(created_at=now - dt.timedelta(days=days))

    client = client_for("clerk")
    assert numbers(client.get("/orders/")) == [old_urgent.number, newer.number, older.number]
    # A column the user chose sorts by that column alone.
    by_date = numbers(client.get("/orders/?sort=-created"))
    assert by_date == [newer.number, older.number, old_urgent.number]
