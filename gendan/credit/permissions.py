"""Who may see and change credit information (I4).

Credit data is confidential (seed 000): finance, the sales heads, management and auditors see
every customer's credit file; a follow-up clerk sees it only for customers whose orders they
follow. Finance (and management) records assessments, invoices, payments and resolutions;
sales may add documents to the file, since they collect them from new customers.
"""

from typing import TYPE_CHECKING

from django.conf import settings

from gendan.accounts.models import Role
from gendan.orders.permissions import is_management, is_sales_head

if TYPE_CHECKING:
    from gendan.accounts.models import User
    from gendan.customers.models import Customer


def finance_department() -> str:
    """The finance department's code: `GENDAN["FINANCE_DEPARTMENT"]` (env
    `GENDAN_FINANCE_DEPARTMENT`, default the seeded "finance"), read at each use."""
    return str(settings.GENDAN.get("FINANCE_DEPARTMENT", "finance"))


def is_finance(user: "User") -> bool:
    """A finance reviewer or head, or management."""
    if not user.is_authenticated or not user.is_active or user.is_read_only:
        return False
    if is_management(user):
        return True
    return (
        user.role in (Role.REVIEWER, Role.HEAD) and finance_department() in user.department_codes()
    )


def can_manage_credit(user: "User") -> bool:
    """Assessments, invoices, payments, guarantees and prepayments."""
    return is_finance(user)


def can_add_documents(user: "User") -> bool:
    if not user.is_authenticated or not user.is_active or user.is_read_only:
        return False
    return is_finance(user) or user.role == Role.CLERK or is_sales_head(user)


def sees_all_credit(user: "User") -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.sees_all or is_finance(user) or is_sales_head(user)


def can_view_credit(user: "User", customer: "Customer") -> bool:
    if sees_all_credit(user):
        return True
    if not user.is_authenticated or not user.is_active or user.role != Role.CLERK:
        return False
    return customer.orders.filter(clerk=user).exists()
