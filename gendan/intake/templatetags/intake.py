"""`{% intake_checks order as checks %}`: the intake checks of an order, for templates
(used by "intake/_checks.html", which the order page includes)."""

from typing import TYPE_CHECKING

from django import template

from gendan.intake.checks import IntakeChecks, intake_checks

if TYPE_CHECKING:
    from gendan.orders.models import Order

register = template.Library()


@register.simple_tag(name="intake_checks")
def intake_checks_tag(order: "Order") -> IntakeChecks:
    return intake_checks(order)
