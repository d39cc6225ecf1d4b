"""`{% aftersales_panel order %}`: the order page's after-sales panel (cases and visits)."""

from typing import Any

from django import template

from gendan.orders.models import Order

register = template.Library()


@register.inclusion_tag("aftersales/_order_panel.html", takes_context=True)
def aftersales_panel(context: dict[str, Any], order: Order) -> dict[str, Any]:
    from gendan.aftersales.views import order_context

    return order_context(order, context["request"].user)
