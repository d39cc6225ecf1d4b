"""Tasks and notifications over the API."""

import datetime as dt

import pytest
from django.utils import timezone

from gendan.accounts.models import Department
from gendan.notifications.models import Notification
from gendan.tasks.actions import open_task
from gendan.tasks.models import Task, TaskState
from tests.api.conftest import API

pytestmark = pytest.mark.django_db


def _task(users, *, who="clerk", order=None, department=None, assignee=None, hours=24, **kw):
    return open_task(
        user=users[who],
        title=kw.pop("title", "Check the width"),
        due_at=timezone.now() + dt.timedelta(hours=hours),
        order=order,
        department=department,
        assignee=assignee,
        **kw,
    )


def _ids(client, query="") -> list[int]:
    response = client.get(f"{API}/tasks/?{query}")
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_tasks_list_goes_through_visibility(api_for, users) -> None:
    mine = _task(users, assignee=users["clerk"])
    theirs = _task(users, who="other_clerk", assignee=users["other_clerk"])
    assert _ids(api_for("clerk")) == [mine.pk]
    assert set(_ids(api_for("gm"))) == {mine.pk, theirs.pk}
    assert _ids(api_for("outsider")) == []


def test_inbox_shows_unassigned_department_tasks_to_reviewers(api_for, users) -> None:
    technical = Department.objects.get(code="technical")
    for_dept = _task(users, department=technical)
    _task(users, assignee=users["clerk"])
    assert _ids(api_for("technical_reviewer"), "mine=true") == [for_dept.pk]
    assert _ids(api_for("clerk"), "mine=true") != [for_dept.pk]


def test_overdue_state_and_department_filters(api_for, users) -> None:
    late = _task(users, assignee=users["clerk"], hours=-2)
    soon = _task(users, assignee=users["clerk"], hours=5)
    technical = _task(users, department=Department.objects.get(code="technical"))
    gm = api_for("gm")
    assert _ids(gm, "overdue=true") == [late.pk]
    assert _ids(gm, "department=technical") == [technical.pk]
    soon.state = TaskState.DONE
    soon.save()
    assert set(_ids(gm, "state=open")) == {late.pk, technical.pk}


def test_open_task_due_in_working_days_for_a_person(api_for, users) -> None:
    payload = {"title": "Call the customer", "assignee": users["clerk"].pk, "working_days": 2}
    response = api_for("clerk").post(f"{API}/tasks/", payload, format="json")
    assert response.status_code == 201, response.json()
    task = Task.objects.get(pk=response.json()["id"])
    assert task.created_by == users["clerk"] and not task.due_in_hours
    assert timezone.localtime(task.due_at).time() == dt.time(18, 0)


def test_open_task_due_in_hours(api_for, users) -> None:
    payload = {"title": "Urgent", "department": "production", "hours": 2}
    response = api_for("gm").post(f"{API}/tasks/", payload, format="json")
    assert response.status_code == 201, response.json()
    task = Task.objects.get(pk=response.json()["id"])
    assert task.due_in_hours
    assert abs((task.due_at - timezone.now()) - dt.timedelta(hours=2)) < dt.timedelta(minutes=1)


def test_open_task_needs_exactly_one_deadline(api_for, users) -> None:
    payload = {"title": "x", "department": "production", "hours": 2, "working_days": 1}
    response = api_for("gm").post(f"{API}/tasks/", payload, format="json")
    assert response.status_code == 400 and "hours" in response.json()
    response = api_for("gm").post(f"{API}/tasks/", {"title": "x", "department": "production"})
    assert response.status_code == 400 and "due_at" in response.json()


def test_open_task_on_an_order_routes_it_to_the_department(api_for, users, order) -> None:
    payload = {"title": "Check width", "department": "technical", "hours": 4}
    payload["order"] = order.number
    response = api_for("clerk").post(f"{API}/tasks/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["order"] == order.number
    assert api_for("technical_reviewer").get(f"{API}/orders/{order.number}/").status_code == 200


def test_open_task_on_an_invisible_order_is_refused(api_for, order) -> None:
    payload = {"title": "x", "department": "technical", "hours": 2, "order": order.number}
    response = api_for("other_clerk").post(f"{API}/tasks/", payload, format="json")
    assert response.status_code == 400 and "order" in response.json()
    assert not Task.objects.exists()


def test_complete_own_task(api_for, users) -> None:
    task = _task(users, assignee=users["clerk"])
    response = api_for("clerk").post(
        f"{API}/tasks/{task.pk}/complete/", {"outcome": "done"}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "done"
    again = api_for("clerk").post(f"{API}/tasks/{task.pk}/complete/", {}, format="json")
    assert again.status_code == 409


def test_someone_elses_task_is_404(api_for, users) -> None:
    task = _task(users, who="other_clerk", assignee=users["other_clerk"])
    response = api_for("clerk").post(f"{API}/tasks/{task.pk}/complete/", {}, format="json")
    assert response.status_code == 404
    assert api_for("clerk").get(f"{API}/tasks/{task.pk}/").status_code == 404


def test_cancel_needs_a_reason_and_management(api_for, users) -> None:
    task = _task(users, assignee=users["clerk"])
    url = f"{API}/tasks/{task.pk}/cancel/"
    assert api_for("gm").post(url, {}, format="json").status_code == 400
    assert api_for("clerk").post(url, {"reason": "x"}, format="json").status_code == 403
    response = api_for("gm").post(url, {"reason": "not needed"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "cancelled"


def test_auditor_cannot_complete(api_for, users) -> None:
    task = _task(users, assignee=users["clerk"])
    response = api_for("auditor").post(f"{API}/tasks/{task.pk}/complete/", {}, format="json")
    assert response.status_code == 403


def test_notifications_are_private_and_can_be_marked_read(api_for, users) -> None:
    mine = Notification.objects.create(user=users["clerk"], message="hello")
    Notification.objects.create(user=users["clerk"], message="second")
    Notification.objects.create(user=users["gm"], message="not yours")
    client = api_for("clerk")
    listed = client.get(f"{API}/notifications/?unread=true").json()["results"]
    assert {row["message"] for row in listed} == {"hello", "second"}
    marked = client.post(f"{API}/notifications/read/", {"ids": [mine.pk]}, format="json")
    assert marked.json() == {"marked": 1}
    assert [
        r["message"] for r in client.get(f"{API}/notifications/?unread=true").json()["results"]
    ] == ["second"]
    assert client.post(f"{API}/notifications/read/", {}, format="json").json() == {"marked": 1}
    assert Notification.objects.filter(user=users["gm"], read_at__isnull=True).count() == 1
