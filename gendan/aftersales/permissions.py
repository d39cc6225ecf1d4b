"""Who may act in after-sales. Visibility is the querysets' `for_user`; these answer "may they".

Clerks and sales take general cases (seed 003: sales solve general problems at once); the
after-sales department owns the process; quality makes return visits; management may do all.
Auditors never change anything.
"""

from typing import TYPE_CHECKING

from django.conf import settings

from gendan.accounts.models import Role
from gendan.orders.permissions import is_management

if TYPE_CHECKING:
    from gendan.accounts.models import User
    from gendan.aftersales.models import ServiceCase

AFTERSALES = "aftersales"
QUALITY = "quality"
DEPARTMENT_ROLES = (Role.REVIEWER, Role.HEAD)


def _sales() -> str:
    return str(settings.GENDAN["SALES_DEPARTMENT"])


def _writer(user: "User") -> bool:
    return user.is_authenticated and user.is_active and not user.is_read_only


def _in(user: "User", *codes: str) -> bool:
    return user.role in DEPARTMENT_ROLES and bool(user.department_codes() & set(codes))


def is_aftersales_staff(user: "User") -> bool:
    return _in(user, AFTERSALES)


def is_sales_head(user: "User") -> bool:
    return user.role == Role.HEAD and _sales() in user.department_codes()


def can_open_case(user: "User") -> bool:
    return _writer(user) and (
        user.role == Role.CLERK or _in(user, AFTERSALES, _sales(), QUALITY) or is_management(user)
    )


def may_own_cases(user: "User") -> bool:
    """Who may be a case's owner: clerks, sales and after-sales people, management."""
    return (
        user.is_active
        and not user.is_read_only
        and (user.role == Role.CLERK or _in(user, AFTERSALES, _sales()) or is_management(user))
    )


def can_work_on_case(user: "User", case: "ServiceCase") -> bool:
    """Escalate and resolve: the owner, after-sales, the sales head, management."""
    return _writer(user) and (
        case.owner_id == user.pk
        or is_aftersales_staff(user)
        or is_sales_head(user)
        or is_management(user)
    )


def can_record_meeting(user: "User", case: "ServiceCase") -> bool:
    """Who works on the case, and the heads of the departments it was escalated to."""
    if can_work_on_case(user, case):
        return True
    involved = {d.pk for d in case.involved_departments.all()}
    return _writer(user) and user.role == Role.HEAD and bool(involved & set(user.department_ids()))


def can_record_visit(user: "User") -> bool:
    return _writer(user) and (
        user.role == Role.CLERK or _in(user, AFTERSALES, QUALITY, _sales()) or is_management(user)
    )
