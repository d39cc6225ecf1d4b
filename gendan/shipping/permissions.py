"""Who may act in shipping and delivery. Visibility is the querysets' `for_user`; these answer
"may they".

Sales (the order's clerk, the sales head) issues shipping notices, records the customer's
sign-off and discrepancies and asks finance to settle (rulebook 003 §六: 销售部门下达发货通知,
签字的送货单交销售部门存档). The logistics department ships. Finance receives settlement
requests. Management may do everything; auditors nothing.
"""

from typing import TYPE_CHECKING

from gendan.accounts.models import Role
from gendan.credit.permissions import finance_department
from gendan.orders.permissions import can_edit_order, is_management

if TYPE_CHECKING:
    from gendan.accounts.models import User
    from gendan.orders.models import Order

LOGISTICS = "logistics"


def _active_writer(user: "User") -> bool:
    return user.is_authenticated and user.is_active and not user.is_read_only


def _in_department(user: "User", code: str) -> bool:
    return user.role in (Role.REVIEWER, Role.HEAD) and code in user.department_codes()


def is_sales(user: "User", order: "Order") -> bool:
    """The order's clerk, the sales head, management."""
    return _active_writer(user) and can_edit_order(user, order)


def can_issue_notice(user: "User", order: "Order") -> bool:
    return is_sales(user, order)


def can_ship(user: "User") -> bool:
    """Load and dispatch goods: the logistics department, management."""
    return _active_writer(user) and (_in_department(user, LOGISTICS) or is_management(user))


def can_record_delivery(user: "User", order: "Order") -> bool:
    """Customer sign-off and discrepancies: sales."""
    return is_sales(user, order)


def can_request_settlement(user: "User", order: "Order") -> bool:
    return is_sales(user, order)


def can_receive_settlement(user: "User") -> bool:
    """Finance's reviewers and head, management."""
    return _active_writer(user) and (
        _in_department(user, finance_department()) or is_management(user)
    )
