"""The tasks page and completing tasks."""

import datetime as dt

import pytest
from django.utils import timezone

from gendan.accounts.models import Department
from gendan.tasks.actions import due_at_for, open_task
from gendan.tasks.models import Task, TaskState
from tests.factories import make_order
from tests.web.helpers import queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(users, order):  # type: ignore[no-untyped-def]
    production = Department.objects.get(code="production")
    now = timezone.now()
    return {
        "mine": open_task(
            user=users["clerk"],
            order=order,
            title="Call the buyer",
            assignee=users["clerk"],
            due_at=now + dt.timedelta(days=1),
        ),
        "late": open_task(
            user=users["clerk"],
            order=order,
            title="Send samples",
            assignee=users["clerk"],
            due_at=now - dt.timedelta(hours=1),
        ),
        "production": open_task(
            user=users["clerk"],
            order=order,
            title="Check capacity",
            department=production,
            due_at=due_at_for(working_days=2),
        ),
    }


@pytest.mark.parametrize("tab", ["mine", "department", "overdue", "done", "nonsense"])
@pytest.mark.parametrize("name", ["clerk", "production_head", "gm", "auditor"])
def test_tasks_page_renders_every_tab_for_every_role(client_for, tasks, tab, name):
    assert client_for(name).get(f"/tasks/?tab={tab}").status_code == 200


def titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [task.title for task, _ in response.context["rows"]]


def test_tabs_show_my_tasks_my_departments_and_overdue(client_for, tasks):
    assert titles(client_for("clerk").get("/tasks/")) == ["Send samples", "Call the buyer"]
    assert titles(client_for("production_head").get("/tasks/?tab=department")) == ["Check capacity"]
    assert titles(client_for("clerk").get("/tasks/?tab=overdue")) == ["Send samples"]


def test_overdue_rows_are_red(client_for, tasks):
    html = client_for("clerk").get("/tasks/").content.decode()

    assert f'class="is-overdue" data-task="{tasks["late"].pk}"' in html


def test_completing_a_task_records_the_outcome_and_returns(client_for, tasks, users):
    task = tasks["production"]

    response = client_for("production_head").post(
        f"/tasks/{task.pk}/complete/",
        {"outcome": "PM2 can make it in week 48", "next": "/tasks/?tab=department"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/tasks/?tab=department"
    task.refresh_from_db()
    assert task.state == TaskState.DONE
    assert task.outcome == "PM2 can make it in week 48"
    assert task.completed_by == users["production_head"]


def test_complete_ignores_a_next_address_outside_the_site(client_for, tasks):
    response = client_for("clerk").post(
        f"/tasks/{tasks['mine'].pk}/complete/", {"next": "https://evil.example/"}
    )

    assert response["Location"] == "/tasks/"


def test_auditor_may_not_complete_a_task(client_for, tasks):
    response = client_for("auditor").post(f"/tasks/{tasks['mine'].pk}/complete/", {})

    assert response.status_code == 403
    assert Task.objects.get(pk=tasks["mine"].pk).state == TaskState.OPEN


def test_invisible_task_is_404(client_for, tasks):
    response = client_for("other_clerk").post(f"/tasks/{tasks['mine'].pk}/complete/", {})

    assert response.status_code == 404


def test_completing_twice_says_it_is_already_done(client_for, tasks):
    client = client_for("clerk")
    client.post(f"/tasks/{tasks['mine'].pk}/complete/", {})

    response = client.post(f"/tasks/{tasks['mine'].pk}/complete/", {}, follow=True)

    assert "already" in response.content.decode()


def test_tasks_page_runs_the_same_number_of_queries_for_3_and_30_tasks(client_for, users):
    def add(count: int) -> None:
        order = make_order(user=users["clerk"])
        for number in range(count):
            open_task(
                user=users["clerk"],
                order=order,
                title=f"t{number}",
                assignee=users["clerk"],
                due_at=due_at_for(hours=number + 1),
            )

    add(3)
    client = client_for("clerk")
    few = queries_for(client, "/tasks/")
    add(27)

    assert queries_for(client, "/tasks/") == few
