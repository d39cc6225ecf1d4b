"""Read intake's data about an order without creating anything (guards must not write)."""

from typing import TYPE_CHECKING

from gendan.intake.models import OrderIntake, OrderType

if TYPE_CHECKING:
    from gendan.orders.models import Order


def intake_for(order: "Order") -> OrderIntake | None:
    try:
        return order.intake  # type: ignore[attr-defined,no-any-return]
    except OrderIntake.DoesNotExist:
        return None


def order_type_for(order: "Order") -> OrderType | None:
    """The order's type, else the default type (None only when no type is configured)."""
    intake = intake_for(order)
    if intake is not None and intake.order_type_id is not None:
        return intake.order_type
    return OrderType.default()
