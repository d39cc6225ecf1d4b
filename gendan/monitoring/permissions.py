"""Who may act on rectification notices and read the supervision page. Visibility of notices
is `RectificationNotice.objects.for_user`; these answer "may they"."""

from typing import TYPE_CHECKING

from gendan.accounts.models import Role
from gendan.orders.permissions import is_management

if TYPE_CHECKING:
    from gendan.accounts.models import User
    from gendan.monitoring.models import RectificationNotice


def can_supervise(user: "User") -> bool:
    """The supervision page (M3): management, department heads and auditors."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.sees_all or user.role == Role.HEAD or is_management(user))
    )


def can_run_checks(user: "User") -> bool:
    """Start the checks by hand (besides the periodic job): management only."""
    return (
        user.is_authenticated and user.is_active and not user.is_read_only and is_management(user)
    )


def can_resolve(user: "User", notice: "RectificationNotice") -> bool:
    """The owner, the head of the notice's department (or any of its reviewers when the notice
    has no owner), and management."""
    if not user.is_authenticated or not user.is_active or user.is_read_only:
        return False
    if is_management(user) or (notice.owner_id is not None and notice.owner_id == user.pk):
        return True
    if notice.department_id is None or notice.department_id not in user.department_ids():
        return False
    return user.role == Role.HEAD or (user.role == Role.REVIEWER and notice.owner_id is None)
