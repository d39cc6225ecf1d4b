"""Which departments review an order and how long they have (R1 settings)."""

from typing import Any

from django.apps import apps

from gendan.accounts.models import Department
from gendan.credit.permissions import finance_department
from gendan.reviews.models import (
    DEFAULT_ORDER_TYPE,
    DEFAULT_REVIEW_WORKING_DAYS,
    OrderTypeReview,
    ReviewDeadline,
)

#: Reviewing departments when an order type has no row of its own (rulebook 004 §三); finance
#: is whichever department `GENDAN["FINANCE_DEPARTMENT"]` names.
DEFAULT_REVIEW_DEPARTMENTS = ("technical", "production", "quality", "procurement")


def default_review_departments() -> tuple[str, ...]:
    return (*DEFAULT_REVIEW_DEPARTMENTS, finance_department())


def order_type_of(order: Any) -> str:
    """The order's type code (intake's `OrderType.code`), else "standard"."""
    if apps.is_installed("gendan.intake"):
        from gendan.intake.lookups import order_type_for

        order_type = order_type_for(order)
        if order_type is not None:
            return str(order_type.code)
    return DEFAULT_ORDER_TYPE


def review_departments(order: Any) -> list[Department]:
    """The departments that review `order`, in the seeded department order."""
    row = OrderTypeReview.objects.filter(order_type=order_type_of(order)).first()
    if row is None:
        row = OrderTypeReview.objects.filter(order_type=DEFAULT_ORDER_TYPE).first()
    if row is not None:
        return list(row.departments.filter(is_active=True).order_by("id"))
    return list(
        Department.objects.filter(code__in=default_review_departments(), is_active=True).order_by(
            "id"
        )
    )


def working_days_for(department: Department) -> int:
    days = (
        ReviewDeadline.objects.filter(department=department)
        .values_list("working_days", flat=True)
        .first()
    )
    return days if days is not None else DEFAULT_REVIEW_WORKING_DAYS
