"""Who may act in quality. Visibility is the querysets' `for_user`; these answer "may they".

The quality department (reviewers as inspectors, the head) records inspections and decides
rework or scrap; only the quality head grants a concession (seed 003: 让步接收由质量主管批准).
Inspection standards are kept by the quality head and administrators. Management may
record inspections and decide rework or scrap, never concessions. Auditors never change
anything.
"""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import Role
from gendan.orders.permissions import is_management

if TYPE_CHECKING:
    from gendan.accounts.models import User

QUALITY = "quality"


def _active_writer(user: "User") -> bool:
    return user.is_authenticated and user.is_active and not user.is_read_only


def in_quality(user: "User") -> bool:
    return user.role in (Role.REVIEWER, Role.HEAD) and QUALITY in user.department_codes()


def is_quality_head(user: "User") -> bool:
    return user.role == Role.HEAD and QUALITY in user.department_codes()


def can_inspect(user: "User") -> bool:
    return _active_writer(user) and (in_quality(user) or is_management(user))


def can_decide(user: "User") -> bool:
    """Decide rework or scrap of nonconforming goods."""
    return can_inspect(user)


def can_grant_concession(user: "User") -> bool:
    return _active_writer(user) and is_quality_head(user)


#: Why a page or the API refuses a change of a standard to someone else.
STANDARDS_REFUSAL = _("Only the quality head and administrators may change inspection standards.")


def can_edit_standards(user: "User") -> bool:
    """Add, edit, deactivate or reactivate inspection standards: the pages and the API."""
    return _active_writer(user) and (
        is_quality_head(user) or is_management(user) or user.is_superuser
    )
