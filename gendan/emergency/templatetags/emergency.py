"""`{% emergency_panel order as panel %}`: the order's emergency case and whether the user may
identify the order as an emergency (for "emergency/_order_panel.html")."""

from dataclasses import dataclass
from typing import Any

from django import template

from gendan.emergency.models import EmergencyCase
from gendan.emergency.permissions import can_flag_for_key_customer, can_identify
from gendan.orders.models import Order
from gendan.orders.status import FINAL_STATUSES

register = template.Library()


@dataclass(frozen=True)
class EmergencyPanel:
    case: EmergencyCase | None
    can_identify: bool


@register.simple_tag(takes_context=True)
def emergency_panel(context: dict[str, Any], order: Order) -> EmergencyPanel:
    case = EmergencyCase.objects.filter(order=order).first()
    request = context.get("request")
    user = getattr(request, "user", None)
    allowed = bool(
        case is None
        and user is not None
        and user.is_authenticated
        and order.status not in FINAL_STATUSES
        and (can_identify(user, order) or can_flag_for_key_customer(user))
    )
    return EmergencyPanel(case, allowed)
