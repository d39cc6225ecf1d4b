"""Who may act in production. Visibility is the querysets' `for_user`; these answer "may they".

The production department (reviewers as planners, the head as supervisor) drafts and changes
plans; only the production head approves them (seed 003: 生产主管审核批准). Progress is
reported by the work order's owner, its team's leader or members, and the production
department. Auditors and other read-only roles never change anything.
"""

from typing import TYPE_CHECKING

from gendan.accounts.models import Role
from gendan.orders.permissions import is_management

if TYPE_CHECKING:
    from gendan.accounts.models import User
    from gendan.production.models import WorkOrder

PRODUCTION = "production"


def _active_writer(user: "User") -> bool:
    return user.is_authenticated and user.is_active and not user.is_read_only


def in_production(user: "User") -> bool:
    return user.role in (Role.REVIEWER, Role.HEAD) and PRODUCTION in user.department_codes()


def is_production_head(user: "User") -> bool:
    return user.role == Role.HEAD and PRODUCTION in user.department_codes()


def can_plan(user: "User") -> bool:
    """Draft a production plan and change planned dates."""
    return _active_writer(user) and (in_production(user) or is_management(user))


def can_approve_plan(user: "User") -> bool:
    return _active_writer(user) and is_production_head(user)


def can_report_progress(user: "User", work_order: "WorkOrder") -> bool:
    if not _active_writer(user):
        return False
    if in_production(user) or is_management(user) or work_order.owner_id == user.pk:
        return True
    team = work_order.team
    return team is not None and (
        team.leader_id == user.pk or team.members.filter(pk=user.pk).exists()
    )


def can_edit_production_master_data(user: "User") -> bool:
    """Work centres, teams and routings: the production department's head, administrators."""
    return _active_writer(user) and (
        is_production_head(user) or is_management(user) or user.is_superuser
    )
