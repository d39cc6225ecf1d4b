"""Who may act in purchasing. Visibility is the querysets' `for_user`; these answer "may they".

Procurement (reviewers and the head) buys; procurement and the warehouse (logistics) receive;
procurement, warehouse and quality report supplier incidents; management may do all of it.
Auditors and other read-only roles never change anything.
"""

from typing import TYPE_CHECKING

from gendan.accounts.models import Role
from gendan.orders.permissions import is_management

if TYPE_CHECKING:
    from gendan.accounts.models import User

PROCUREMENT = "procurement"
LOGISTICS = "logistics"
QUALITY = "quality"
DEPARTMENT_ROLES = (Role.REVIEWER, Role.HEAD)


def _in_departments(user: "User", *codes: str) -> bool:
    return user.role in DEPARTMENT_ROLES and bool(user.department_codes() & set(codes))


def _active_writer(user: "User") -> bool:
    return user.is_authenticated and user.is_active and not user.is_read_only


def is_procurement_head(user: "User") -> bool:
    return user.role == Role.HEAD and PROCUREMENT in user.department_codes()


def can_buy(user: "User") -> bool:
    """Create, change and cancel purchase orders; escalate supplier incidents."""
    return _active_writer(user) and (_in_departments(user, PROCUREMENT) or is_management(user))


def can_receive(user: "User") -> bool:
    return _active_writer(user) and (
        _in_departments(user, PROCUREMENT, LOGISTICS) or is_management(user)
    )


def can_issue_material(user: "User") -> bool:
    """Hand reserved material to production (the warehouse's job)."""
    return can_receive(user)


def can_report_incident(user: "User") -> bool:
    return _active_writer(user) and (
        _in_departments(user, PROCUREMENT, LOGISTICS, QUALITY) or is_management(user)
    )


def can_edit_purchasing_master_data(user: "User") -> bool:
    """Suppliers, materials and supplier prices: procurement and administrators."""
    return _active_writer(user) and (
        _in_departments(user, PROCUREMENT) or is_management(user) or user.is_superuser
    )


def can_edit_bom(user: "User") -> bool:
    """Bills of materials: the technical department, procurement's head and administrators."""
    return _active_writer(user) and (
        _in_departments(user, "technical")
        or is_procurement_head(user)
        or is_management(user)
        or user.is_superuser
    )
