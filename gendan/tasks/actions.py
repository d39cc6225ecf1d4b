"""Opening, completing, reassigning and cancelling tasks; reminders and escalation."""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import Department, Role, User
from gendan.core.errors import Blocked, NotPermitted
from gendan.ledger.models import Kind
from gendan.ledger.record import record
from gendan.notifications.actions import notify
from gendan.orders.actions import route_order
from gendan.orders.models import Order
from gendan.orders.permissions import can_edit_order, is_management
from gendan.orders.status import Priority
from gendan.tasks.models import Task, TaskState
from gendan.tasks.permissions import may_assign_work, may_work_on
from gendan.workdays.calendar import deadline_in_hours, deadline_in_working_days


def due_at_for(
    *, working_days: int | None = None, hours: int | None = None, start: dt.datetime | None = None
) -> dt.datetime:
    """A deadline counted in working days (normal work) or clock hours (emergencies)."""
    start = start or timezone.now()
    if (working_days is None) == (hours is None):
        raise ValueError("give either working_days or hours")
    if hours is not None:
        return deadline_in_hours(start, hours)
    assert working_days is not None
    return deadline_in_working_days(start, working_days)


def _owners(task: Task) -> list[User]:
    if task.assignee is not None:
        return [task.assignee]
    return list(
        User.objects.filter(
            departments=task.department, role__in=[Role.HEAD, Role.REVIEWER], is_active=True
        )
    )


def open_task(
    *,
    user: User | None,
    title: str,
    due_at: dt.datetime,
    order: Order | None = None,
    department: Department | None = None,
    assignee: User | None = None,
    description: str = "",
    kind: str = "general",
    priority: Priority | str | None = None,
    due_in_hours: bool = False,
) -> Task:
    """Assign work. A task on an order routes the order to the task's department."""
    errors: dict[str, list[str]] = {}
    if department is None and assignee is None:
        errors["department"] = [_("Assign the task to a department or a person.")]
    if not title.strip():
        errors["title"] = [_("Give the task a title.")]
    if errors:
        raise Blocked(fields=errors)
    if user is not None and order is not None and not may_assign_work(user, order):
        raise NotPermitted(_("Your role may not assign work on this order."))
    if priority is None:
        priority = order.priority if order is not None else Priority.NORMAL
    with transaction.atomic():
        task = Task.objects.create(
            order=order,
            title=title.strip(),
            description=description,
            kind=kind,
            department=department,
            assignee=assignee,
            priority=priority,
            due_at=due_at,
            due_in_hours=due_in_hours,
            created_by=user,
        )
        if order is not None:
            if department is not None:
                route_order(order, department)
            record(
                order=order,
                kind=Kind.TASK,
                actor=user,
                summary=_("Task opened for %(owner)s: %(title)s (due %(due)s)")
                % {
                    "owner": task.owner_label,
                    "title": task.title,
                    "due": timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M"),
                },
                data={"task": task.pk, "event": "opened"},
            )
        owners = _owners(task)
        url = task.order.get_absolute_url() if task.order else ""
        message = _("New task: %(title)s") % {"title": task.title}
        transaction.on_commit(lambda: notify(owners, message, url))
    return task


def complete_task(*, task: Task, user: User, outcome: str = "") -> Task:
    if not may_work_on(user, task):
        raise NotPermitted(_("This task is not yours to complete."))
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if locked.state != TaskState.OPEN:
            raise Blocked(
                _("The task is already %(state)s.") % {"state": locked.get_state_display()}
            )
        locked.state = TaskState.DONE
        locked.completed_by = user
        locked.completed_at = timezone.now()
        locked.outcome = outcome.strip()
        locked.save(update_fields=["state", "completed_by", "completed_at", "outcome"])
        if locked.order is not None:
            late = locked.completed_at > locked.due_at
            record(
                order=locked.order,
                kind=Kind.TASK,
                actor=user,
                summary=(_("Task done late: %(title)s") if late else _("Task done: %(title)s"))
                % {"title": locked.title},
                body=locked.outcome,
                data={"task": locked.pk, "event": "done", "late": late},
            )
    return locked


def cancel_task(*, task: Task, user: User, reason: str) -> Task:
    if not (is_management(user) or (task.order is not None and can_edit_order(user, task.order))):
        raise NotPermitted(_("Your role may not cancel this task."))
    if not reason.strip():
        raise Blocked(fields={"reason": [_("Give the reason for cancelling.")]})
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if locked.state != TaskState.OPEN:
            raise Blocked(
                _("The task is already %(state)s.") % {"state": locked.get_state_display()}
            )
        locked.state = TaskState.CANCELLED
        locked.outcome = reason.strip()
        locked.save(update_fields=["state", "outcome"])
        if locked.order is not None:
            record(
                order=locked.order,
                kind=Kind.TASK,
                actor=user,
                summary=_("Task cancelled: %(title)s") % {"title": locked.title},
                body=locked.outcome,
                data={"task": locked.pk, "event": "cancelled"},
            )
    return locked


def remind_due_tasks(*, within: dt.timedelta = dt.timedelta(hours=24)) -> int:
    """Remind owners once of open tasks falling due soon. Safe to run as often as wanted."""
    now = timezone.now()
    due_soon = Task.objects.open().filter(
        reminded_at__isnull=True, due_at__gt=now, due_at__lte=now + within
    )
    count = 0
    for task in due_soon.select_related("order", "assignee", "department"):
        with transaction.atomic():
            claimed = Task.objects.filter(pk=task.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:
                continue
            message = _("Due %(due)s: %(title)s") % {
                "due": timezone.localtime(task.due_at).strftime("%m-%d %H:%M"),
                "title": task.title,
            }
            owners = _owners(task)
            url = task.order.get_absolute_url() if task.order else ""
            transaction.on_commit(lambda o=owners, m=message, u=url: notify(o, m, u))
            count += 1
    return count


def escalate_overdue_tasks() -> int:
    """Tell the department head (and the order's clerk) once about each overdue task."""
    now = timezone.now()
    overdue = Task.objects.overdue().filter(escalated_at__isnull=True)
    count = 0
    for task in overdue.select_related("order", "order__clerk", "department", "assignee"):
        with transaction.atomic():
            claimed = Task.objects.filter(pk=task.pk, escalated_at__isnull=True).update(
                escalated_at=now
            )
            if not claimed:
                continue
            heads = list(
                User.objects.filter(
                    Q(departments=task.department_id) if task.department_id else Q(pk__in=[]),
                    role=Role.HEAD,
                    is_active=True,
                )
            )
            recipients = heads + ([task.order.clerk] if task.order else [])
            message = _("Overdue since %(due)s: %(title)s (%(owner)s)") % {
                "due": timezone.localtime(task.due_at).strftime("%m-%d %H:%M"),
                "title": task.title,
                "owner": task.owner_label,
            }
            if task.order is not None:
                record(
                    order=task.order,
                    kind=Kind.TASK,
                    actor=None,
                    summary=_("Escalated: %(message)s") % {"message": message},
                    data={"task": task.pk, "event": "escalated"},
                )
            url = task.order.get_absolute_url() if task.order else ""
            transaction.on_commit(lambda r=recipients, m=message, u=url: notify(r, m, u))
            count += 1
    return count
