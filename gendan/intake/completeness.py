"""Completeness (I3): what an order still lacks, in words, from its type's required items."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from gendan.intake.lookups import order_type_for
from gendan.intake.models import Requirement

if TYPE_CHECKING:
    from gendan.orders.models import Order, OrderLine

_HEADER_MESSAGES = {
    Requirement.CUSTOMER_REFERENCE: lambda: _("The customer's reference is missing"),
    Requirement.DELIVERY_PLACE: lambda: _("The delivery place is missing"),
    Requirement.PAYMENT_TERMS: lambda: _("The payment terms are missing"),
    Requirement.QUALITY_REQUIREMENTS: lambda: _("The quality requirements are missing"),
    Requirement.PROMISED_DATE: lambda: _("The promised delivery date is missing"),
}


def _line_lacks(line: "OrderLine", requirement: Requirement) -> str | None:
    n = line.position
    if requirement == Requirement.LINE_GRAMMAGE and not line.grammage:
        return _("Line %(n)d has no grammage") % {"n": n}
    if requirement == Requirement.LINE_WIDTH and not line.width_mm:
        return _("Line %(n)d has no width") % {"n": n}
    if requirement == Requirement.LINE_SIZE and not (line.width_mm or line.specification.strip()):
        return _("Line %(n)d has no width or sheet size") % {"n": n}
    if requirement == Requirement.LINE_SPECIFICATION and not line.specification.strip():
        return _("Line %(n)d has no specification") % {"n": n}
    return None


def missing_items(order: "Order") -> list[str]:
    """What must be added before the order may move on; empty when it is complete.

    Customer, requested date, product, quantity and unit price cannot be left out of an order
    at all; the order type decides what else is required.
    """
    missing: list[str] = []
    lines = list(order.lines.all())
    if not lines:
        missing.append(_("The order has no lines"))
    order_type = order_type_for(order)
    if order_type is None:
        return missing
    requirements = order_type.requirements
    for requirement in requirements:
        message = _HEADER_MESSAGES.get(requirement)
        if message is None:
            continue
        value = getattr(order, requirement.value)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(message())
    line_requirements = [r for r in requirements if r.value.startswith("line.")]
    for line in lines:
        for requirement in line_requirements:
            problem = _line_lacks(line, requirement)
            if problem:
                missing.append(problem)
    return missing
