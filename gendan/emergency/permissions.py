"""Who may act on emergency orders. Visibility is `EmergencyCase.objects.for_user` (the
order's door).

- Identify an order as an emergency because of the customer's date or the short lead time:
  the order's clerk, the sales head and management (the sales office, seed 001 §2).
- Flag one for a key customer or project the customer did not call urgent: management only.
- Confirm with the customer: the order's clerk, the sales head and management.
- Choose production's option: planners (production reviewers) and the production head.
- Record a problem: anyone who may act and sees the case.
- The weekly review: management, department heads and planners.
"""

from typing import TYPE_CHECKING

from gendan.accounts.models import Role
from gendan.orders.permissions import is_management, is_sales_head
from gendan.production.permissions import in_production

if TYPE_CHECKING:
    from gendan.accounts.models import User
    from gendan.orders.models import Order


def _writer(user: "User") -> bool:
    return user.is_authenticated and user.is_active and not user.is_read_only


def _sales_office(user: "User", order: "Order") -> bool:
    return order.clerk_id == user.pk or is_sales_head(user) or is_management(user)


def can_identify(user: "User", order: "Order") -> bool:
    return _writer(user) and _sales_office(user, order)


def can_flag_for_key_customer(user: "User") -> bool:
    return _writer(user) and is_management(user)


def can_confirm(user: "User", order: "Order") -> bool:
    return _writer(user) and _sales_office(user, order)


def can_choose_option(user: "User") -> bool:
    return _writer(user) and in_production(user)


def can_compute_options(user: "User", order: "Order") -> bool:
    return _writer(user) and (in_production(user) or _sales_office(user, order))


def can_record_problem(user: "User") -> bool:
    return _writer(user)


def can_close(user: "User", order: "Order") -> bool:
    return can_confirm(user, order)


def can_view_weekly_review(user: "User") -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.sees_all or user.role == Role.HEAD or in_production(user)
