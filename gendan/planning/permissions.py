"""Who may do what in planning. Order visibility stays `Order.objects.for_user`.

Planners are the production department (reviewers plan, the head supervises) and management:
they re-plan, apply a plan to the work orders and add capacity. Anyone who may act on an order
they see may ask for its promise date to be computed again (it changes no business record).
"""

from typing import TYPE_CHECKING

from gendan.production.permissions import can_plan

if TYPE_CHECKING:
    from gendan.accounts.models import User


def can_replan(user: "User") -> bool:
    return can_plan(user)


def can_apply_plan(user: "User") -> bool:
    return can_plan(user)


def can_view_gantt(user: "User") -> bool:
    """The work-centre Gantt: planners, management and auditors."""
    return user.is_authenticated and user.is_active and (can_plan(user) or user.sees_all)


def can_ask_promise(user: "User") -> bool:
    return user.is_authenticated and user.is_active and not user.is_read_only
