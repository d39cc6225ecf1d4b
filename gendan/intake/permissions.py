"""Who may act on intake. Order visibility stays `Order.objects.for_user` (one door)."""

from typing import TYPE_CHECKING

from gendan.credit.permissions import is_finance
from gendan.orders.permissions import can_create_order, can_edit_order, is_management, is_sales_head

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from gendan.accounts.models import User
    from gendan.intake.models import ImportBatch
    from gendan.orders.models import Order


def can_import(user: "User") -> bool:
    """Sales clerks and heads (and management) import order files."""
    return can_create_order(user)


def can_edit_intake(user: "User", order: "Order") -> bool:
    """Order type and written record: whoever may edit the order itself."""
    return can_edit_order(user, order)


def can_confirm_margin(user: "User") -> bool:
    return is_finance(user)


def batches_for(user: "User") -> "QuerySet[ImportBatch]":
    """Import batches a user may see: their own; sales heads and management see all."""
    from gendan.intake.models import ImportBatch

    if not user.is_authenticated or not user.is_active:
        return ImportBatch.objects.none()
    if user.sees_all or is_sales_head(user) or is_management(user):
        return ImportBatch.objects.all()
    return ImportBatch.objects.filter(uploaded_by=user)
