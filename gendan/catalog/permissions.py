"""Who keeps the product catalogue (product lines and products): management and heads."""

from typing import Any

from gendan.accounts.models import Role
from gendan.orders.permissions import is_management


def can_edit_products(user: Any) -> bool:
    if not user.is_authenticated or user.is_read_only:
        return False
    return is_management(user) or user.role == Role.HEAD
