"""`emergencies_only`: the emergency rows by the rank `emergency_first` sorts on, and the home
page's emergency orders read with it (open ones only, newest first, at most ten)."""

import pytest
from django.utils import timezone

from gendan.core.views import HOME_EMERGENCIES
from gendan.emergency.ordering import emergencies_only
from gendan.orders.models import Order
from gendan.orders.status import Priority, Status
from gendan.tasks.actions import open_task
from gendan.tasks.models import Task
from tests.factories import make_order

pytestmark = pytest.mark.django_db


def test_emergencies_only_keeps_the_emergency_rows_of_orders_and_of_their_records(users):
    urgent = make_order(user=users["clerk"], priority=Priority.EMERGENCY)
    normal = make_order(user=users["clerk"])
    for order in (urgent, normal):
        open_task(
            user=None,
            title=order.number,
            due_at=timezone.now(),
            order=order,
            assignee=users["clerk"],
        )

    assert list(emergencies_only(Order.objects.all())) == [urgent]
    by_order = emergencies_only(Task.objects.all(), priority="order__priority")
    assert [task.title for task in by_order] == [urgent.number]


def test_home_shows_the_newest_open_emergencies_and_a_plus_past_ten(client_for, users):
    urgent = [
        make_order(user=users["clerk"], priority=Priority.EMERGENCY)
        for _ in range(HOME_EMERGENCIES + 2)
    ]
    make_order(user=users["clerk"])
    closed = urgent[-1]
    Order.objects.filter(pk=closed.pk).update(status=Status.CANCELLED)

    response = client_for("clerk").get("/")

    newest_open = sorted(urgent[:-1], key=lambda o: (o.created_at, o.pk), reverse=True)
    shown = [order.number for order in response.context["emergencies"]]
    assert shown == [order.number for order in newest_open[:HOME_EMERGENCIES]]
    assert closed.number not in response.content.decode()
    assert f'<span class="value">{HOME_EMERGENCIES}+</span>' in response.content.decode()
