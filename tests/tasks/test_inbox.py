"""The inbox read in pieces (`inbox_first`, `inbox_counts`): the same tasks, in the same order
(emergencies first, then by deadline) and the same counts as the inbox queryset, for a user
with their own tasks and the unassigned tasks of two departments."""

import datetime as dt

import pytest
from django.utils import timezone

from gendan.accounts.models import Department, Role, User
from gendan.emergency.ordering import emergency_first
from gendan.orders.status import Priority
from gendan.tasks.actions import open_task
from gendan.tasks.models import Task, TaskState
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(users: dict[str, User]) -> User:
    """A head of two departments: three pieces to merge (own, sales, technical)."""
    return UserFactory(username="two_desks", role=Role.HEAD, departments=["sales", "technical"])


@pytest.fixture
def tasks(users: dict[str, User], head: User) -> dict[str, Task]:
    """Open tasks of the head (own and both departments, normal and emergency, late and not),
    and tasks outside the inbox: another person's, a done one, another department's."""
    now = timezone.now()
    sales = Department.objects.get(code="sales")
    technical = Department.objects.get(code="technical")
    production = Department.objects.get(code="production")
    rows = {
        "own late": ({"assignee": head}, -3, Priority.NORMAL),
        "own urgent": ({"assignee": head}, 30, Priority.EMERGENCY),
        "own later": ({"assignee": head}, 50, Priority.NORMAL),
        "sales late": ({"department": sales}, -5, Priority.NORMAL),
        "sales urgent": ({"department": sales}, 10, Priority.EMERGENCY),
        "sales soon": ({"department": sales}, 2, Priority.NORMAL),
        "technical urgent late": ({"department": technical}, -1, Priority.EMERGENCY),
        "technical soon": ({"department": technical}, 4, Priority.NORMAL),
        "technical later": ({"department": technical}, 60, Priority.NORMAL),
        "someone else's in sales": (
            {"department": sales, "assignee": users["clerk"]},
            1,
            Priority.EMERGENCY,
        ),
        "production": ({"department": production}, -2, Priority.EMERGENCY),
        "done in sales": ({"department": sales}, -4, Priority.EMERGENCY),
    }
    made = {
        title: open_task(
            user=None,
            title=title,
            due_at=now + dt.timedelta(hours=hours),
            priority=priority,
            **owner,
        )
        for title, (owner, hours, priority) in rows.items()
    }
    Task.objects.filter(pk=made["done in sales"].pk).update(state=TaskState.DONE)
    return made


def titles(rows: list[Task]) -> list[str]:
    return [task.title for task in rows]


def test_inbox_first_merges_the_pieces_emergencies_first_then_by_deadline(
    head: User, tasks: dict[str, Task]
) -> None:
    assert titles(Task.objects.inbox_first(head, 20)) == [
        "technical urgent late",
        "sales urgent",
        "own urgent",
        "sales late",
        "own late",
        "sales soon",
        "technical soon",
        "own later",
        "technical later",
    ]
    assert titles(Task.objects.inbox_first(head, 4)) == [
        "technical urgent late",
        "sales urgent",
        "own urgent",
        "sales late",
    ]


@pytest.mark.parametrize("name", ["clerk", "sales_head", "technical_reviewer", "gm", "outsider"])
@pytest.mark.parametrize("limit", [1, 3, 12])
def test_inbox_first_is_the_inbox_in_emergency_first_order(
    users: dict[str, User], tasks: dict[str, Task], name: str, limit: int
) -> None:
    user = users[name]
    expected = list(emergency_first(Task.objects.inbox(user)).values_list("pk", flat=True))
    rows = Task.objects.inbox_first(user, limit)
    assert [task.pk for task in rows] == expected[:limit]
    assert all(task.order_id is None or task.order.customer for task in rows)


def test_inbox_first_is_in_emergency_first_order_for_the_two_desk_head(
    head: User, tasks: dict[str, Task]
) -> None:
    expected = list(emergency_first(Task.objects.inbox(head)).values_list("pk", flat=True))
    assert len(expected) == 9
    assert [task.pk for task in Task.objects.inbox_first(head, 12)] == expected


@pytest.mark.parametrize("name", ["clerk", "sales_head", "technical_reviewer", "gm", "outsider"])
def test_inbox_counts_are_the_inbox_and_its_overdue_tasks(
    users: dict[str, User], tasks: dict[str, Task], name: str
) -> None:
    inbox = Task.objects.inbox(users[name])
    assert Task.objects.inbox_counts(users[name]) == (inbox.count(), inbox.overdue().count())


def test_inbox_counts_add_up_every_piece(head: User, tasks: dict[str, Task]) -> None:
    # Own: 3 (1 late); sales: 3 (1 late); technical: 3 (1 late).
    assert Task.objects.inbox_counts(head) == (9, 3)


@pytest.mark.parametrize("name", ["clerk", "sales_head", "technical_reviewer", "gm", "outsider"])
def test_inbox_stays_within_the_tasks_the_user_may_see(
    users: dict[str, User], head: User, tasks: dict[str, Task], name: str
) -> None:
    open_task(user=None, title="own", due_at=timezone.now(), assignee=users[name])
    for user in (users[name], head):
        inbox = set(Task.objects.inbox(user).values_list("pk", flat=True))
        visible = set(Task.objects.for_user(user).values_list("pk", flat=True))
        assert inbox and inbox <= visible


def test_an_inactive_user_has_an_empty_inbox(head: User, tasks: dict[str, Task]) -> None:
    head.is_active = False
    assert not Task.objects.inbox(head).exists()
    assert Task.objects.inbox_first(head, 12) == []
    assert Task.objects.inbox_counts(head) == (0, 0)
