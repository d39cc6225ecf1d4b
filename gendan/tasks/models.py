"""Tasks: work assigned to a department or a person, with a deadline (K5)."""

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import Department, Role
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
        (for reviewers and heads)."""
        mine = Q(assignee=user)
        if user.role in (Role.REVIEWER, Role.HEAD):
            mine |= Q(assignee__isnull=True, department__in=user.department_ids())
        return self.open().filter(mine)


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
