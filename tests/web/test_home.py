"""The home page: my tasks, overdue in red, orders by status, emergencies, notifications."""

import datetime as dt

import pytest
from django.utils import timezone

from gendan.notifications.actions import notify
from gendan.orders.status import Priority, Status
from gendan.tasks.actions import open_task
from tests.factories import make_order
from tests.web.helpers import queries_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["clerk", "sales_head", "technical_reviewer", "gm", "admin", "auditor", "outsider"]
)
def test_home_renders_for_every_role(client_for, order, name):
    response = client_for(name).get("/")

    assert response.status_code == 200
    assert response.context["user"].username == name


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_home_lists_my_open_tasks_with_overdue_ones_in_red(client_for, users, order):
    now = timezone.now()
    late = open_task(
        user=users["clerk"],
        order=order,
        title="Send samples",
        assignee=users["clerk"],
        due_at=now - dt.timedelta(hours=2),
    )
    fine = open_task(
        user=users["clerk"],
        order=order,
        title="Call the buyer",
        assignee=users["clerk"],
        due_at=now + dt.timedelta(days=1),
    )
    open_task(
        user=users["clerk"],
        order=order,
        title="Someone else's",
        assignee=users["other_clerk"],
        due_at=now + dt.timedelta(days=1),
    )

    response = client_for("clerk").get("/")

    assert [t.pk for t in response.context["tasks"]] == [late.pk, fine.pk]
    assert response.context["overdue_count"] == 1
    html = response.content.decode()
    assert f'class="is-overdue" data-task="{late.pk}"' in html
    assert f'class="" data-task="{fine.pk}"' in html
    assert "Someone else&#x27;s" not in html and "Someone else's" not in html


def test_home_shows_open_emergency_orders_the_user_may_see(client_for, users):
    mine = make_order(user=users["clerk"], priority=Priority.EMERGENCY)
    make_order(user=users["other_clerk"], priority=Priority.EMERGENCY)
    make_order(user=users["clerk"])

    response = client_for("clerk").get("/")

    assert [o.number for o in response.context["emergencies"]] == [mine.number]


def test_home_counts_orders_by_status(client_for, users):
    make_order(user=users["clerk"])
    make_order(user=users["clerk"])

    response = client_for("gm").get("/")

    counts = dict(response.context["status_counts"])
    assert counts[Status.DRAFT] == 2
    assert 'href="/orders/?status=draft"' in response.content.decode()


def test_home_shows_recent_notifications_and_the_unread_badge(client_for, users):
    notify([users["clerk"]], "Order SO-1 is now confirmed", "/orders/SO-1/")

    html = client_for("clerk").get("/").content.decode()

    assert "Order SO-1 is now confirmed" in html
    assert 'data-testid="unread-count">1<' in html


def test_home_runs_the_same_number_of_queries_for_3_and_30_orders(client_for, users):
    def add(count: int) -> None:
        for number in range(count):
            order = make_order(
                user=users["clerk"],
                priority=Priority.EMERGENCY if number % 2 else Priority.NORMAL,
            )
            open_task(
                user=users["clerk"],
                order=order,
                title=f"task {number}",
                assignee=users["clerk"],
                due_at=timezone.now() - dt.timedelta(hours=number),
            )
            notify([users["clerk"]], f"note {number}")

    add(3)
    client = client_for("clerk")
    few = queries_for(client, "/")
    add(27)

    assert queries_for(client, "/") == few


def test_home_stays_within_its_query_budget(client_for, order, django_assert_max_num_queries):
    client = client_for("clerk")
    client.get("/")

    with django_assert_max_num_queries(9):
        client.get("/")
