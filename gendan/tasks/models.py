"""Tasks: work assigned to a department or a person, with a deadline (K5)."""

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import Department, Role
from gendan.emergency.ordering import emergency_first, emergency_rank
from gendan.orders.status import Priority

if TYPE_CHECKING:
    from gendan.accounts.models import User


class TaskState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TaskQuerySet(models.QuerySet["Task"]):
    def for_user(self, user: "User") -> "TaskQuerySet":
        """The one door for task visibility (P3): own tasks, own orders' tasks, and for
        reviewers and heads the tasks routed to their departments."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all:
            return self
        visible = Q(assignee=user) | Q(order__clerk=user)
        if user.role in (Role.REVIEWER, Role.HEAD):
            visible |= Q(department__in=user.department_ids())
        return self.filter(visible)

    def open(self) -> "TaskQuerySet":
        return self.filter(state=TaskState.OPEN)

    def overdue(self) -> "TaskQuerySet":
        return self.open().filter(due_at__lt=timezone.now())

    def inbox(self, user: "User") -> "TaskQuerySet":
        """What is waiting for this user: assigned to them, or unassigned in their departments
        (for reviewers and heads).

        Always within `for_user(user)` (own tasks and, for reviewers and heads, their
        departments' tasks are visible to them), so it needs no further restriction; leaving
        that out spares a join of every waiting task with its order.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        mine = Q(assignee=user)
        if user.role in (Role.REVIEWER, Role.HEAD):
            mine |= Q(assignee__isnull=True, department__in=user.department_ids())
        return self.open().filter(mine)

    def inbox_parts(self, user: "User") -> list["TaskQuerySet"]:
        """The inbox as disjoint pieces, each read in order from one partial index: the user's
        own open tasks, then the unassigned open tasks of each of their departments (reviewers
        and heads). A reviewer's inbox holds some ten thousand department tasks at a million
        orders; one piece at a time, the first rows and the counts come from the index alone.
        """
        if not user.is_authenticated or not user.is_active:
            return []
        parts = [self.open().filter(assignee=user)]
        if user.role in (Role.REVIEWER, Role.HEAD):
            parts += [
                self.open().filter(assignee__isnull=True, department=department)
                for department in user.department_ids()
            ]
        return parts

    def inbox_counts(self, user: "User") -> tuple[int, int]:
        """(open, overdue) tasks in the user's inbox, in one query."""
        now = timezone.now()
        pieces = [
            part.order_by()
            .values("state")
            .annotate(total=Count("pk"), late=Count("pk", filter=Q(due_at__lt=now)))
            .values_list("total", "late")
            for part in self.inbox_parts(user)
        ]
        if not pieces:
            return 0, 0
        rows = pieces[0].union(*pieces[1:], all=True).order_by() if len(pieces) > 1 else pieces[0]
        totals = list(rows)
        return sum(total for total, _late in totals), sum(late for _total, late in totals)

    def inbox_first(self, user: "User", limit: int) -> list["Task"]:
        """The first `limit` tasks of the inbox in the order of `emergency_first(inbox)`
        (emergencies first, then by deadline), with their order, customer, department and
        assignee.

        Each piece gives its own first `limit` rows by a short index scan, merged here: one
        query for a clerk, two for a reviewer of one department (sorting the whole inbox took
        ~20 ms for a reviewer at a million orders).
        """
        rows: list[Task] = []
        for part in self.inbox_parts(user):
            rows += emergency_first(part, "due_at", "id").select_related(
                "order", "order__customer", "department", "assignee"
            )[:limit]
        rows.sort(key=lambda task: (task.priority != Priority.EMERGENCY, task.due_at, task.pk))
        return rows[:limit]


class Task(models.Model):
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.CASCADE,
        related_name="tasks",
        null=True,
        blank=True,
        verbose_name=_("order"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    #: What kind of work this is; later steps (reviews, inspections...) use their own kinds.
    kind = models.CharField(_("kind"), max_length=40, default="general")
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="tasks",
        null=True,
        blank=True,
        verbose_name=_("department"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tasks",
        null=True,
        blank=True,
        verbose_name=_("assigned to"),
    )
    priority = models.CharField(
        _("priority"), max_length=12, choices=Priority.choices, default=Priority.NORMAL
    )
    due_at = models.DateTimeField(_("due"))
    #: True when the deadline counts clock hours (emergencies), not working days.
    due_in_hours = models.BooleanField(_("deadline in hours"), default=False)
    state = models.CharField(
        _("state"), max_length=12, choices=TaskState.choices, default=TaskState.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[TaskQuerySet] = TaskQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False) | Q(assignee__isnull=False),
                name="task_has_an_owner",
            )
        ]
        indexes = [
            models.Index(fields=["assignee", "state", "due_at"], name="task_assignee_inbox"),
            models.Index(fields=["department", "state", "due_at"], name="task_department_inbox"),
            models.Index(fields=["state", "due_at"], name="task_state_due"),
            # The inbox's pieces in the inbox's order (emergencies first, then by deadline),
            # open tasks only: see `TaskQuerySet.inbox_parts`.
            models.Index(
                F("assignee"),
                emergency_rank(),
                F("due_at"),
                F("id"),
                condition=Q(state=TaskState.OPEN),
                name="task_open_assignee_rank",
            ),
            models.Index(
                F("department"),
                emergency_rank(),
                F("due_at"),
                F("id"),
                condition=Q(state=TaskState.OPEN, assignee__isnull=True),
                name="task_open_department_rank",
            ),
        ]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.state == TaskState.OPEN and self.due_at < timezone.now()

    @property
    def owner_label(self) -> str:
        return str(self.assignee or self.department)
