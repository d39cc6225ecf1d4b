"""Who may assign and do work. Visibility is `Task.objects.for_user`; these answer "may act"."""

from typing import TYPE_CHECKING

from gendan.accounts.models import Role
from gendan.orders.permissions import can_edit_order, is_management

if TYPE_CHECKING:
    from gendan.accounts.models import User
    from gendan.orders.models import Order
    from gendan.tasks.models import Task


def may_assign_work(user: "User", order: "Order") -> bool:
    """Whoever may edit the order, and any department head, may open tasks on it."""
    if user.is_read_only:
        return False
    return can_edit_order(user, order) or user.role == Role.HEAD


def may_work_on(user: "User", task: "Task") -> bool:
    """The assignee, the task's department, the order's clerk and management."""
    if user.is_read_only:
        return False
    if task.assignee_id == user.pk or is_management(user):
        return True
    if task.department_id in user.department_ids() and user.role in (Role.HEAD, Role.REVIEWER):
        return True
    return task.order is not None and task.order.clerk_id == user.pk
