"""Who may change orders. Visibility is `Order.objects.for_user`; these answer "may they act"."""

from typing import TYPE_CHECKING

from django.conf import settings

from gendan.accounts.models import Role

if TYPE_CHECKING:
    from gendan.accounts.models import User
    from gendan.orders.models import Order


def is_sales_head(user: "User") -> bool:
    return user.role == Role.HEAD and settings.GENDAN["SALES_DEPARTMENT"] in user.department_codes()


def is_management(user: "User") -> bool:
    return user.role in (Role.GENERAL_MANAGER, Role.ADMIN) or user.is_superuser


def can_create_order(user: "User") -> bool:
    if not user.is_authenticated or user.is_read_only:
        return False
    return user.role == Role.CLERK or is_sales_head(user) or is_management(user)


def can_assign_clerk(user: "User") -> bool:
    """Clerks register orders for themselves; sales heads and management assign anyone."""
    return is_sales_head(user) or is_management(user)


def can_edit_order(user: "User", order: "Order") -> bool:
    if not user.is_authenticated or user.is_read_only:
        return False
    if user.role == Role.CLERK:
        return order.clerk_id == user.pk
    return is_sales_head(user) or is_management(user)


def can_write_ledger(user: "User", order: "Order") -> bool:
    """Comments and communication records: anyone who sees the order and is not read-only."""
    return user.is_authenticated and not user.is_read_only
