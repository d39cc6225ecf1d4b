"""Guards other steps may put in front of an order transition (`orders.pipeline` signature:
`guard(order, user) -> str | None`, None meaning fine)."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from gendan.production.models import ACTIVE_WORK_STATUSES, Routing, WorkOrder

if TYPE_CHECKING:
    from gendan.accounts.models import User
    from gendan.orders.models import Order


def production_complete(order: "Order", user: "User") -> str | None:
    """For `ship`: every work order of the order is done (or cancelled). An order none of whose
    products has a routing (traded goods, shipped from stock) needs no production."""
    work = list(WorkOrder.objects.filter(order=order).values_list("number", "status"))
    open_numbers = sorted(number for number, status in work if status in ACTIVE_WORK_STATUSES)
    if open_numbers:
        return _("Work orders not finished yet: %(numbers)s.") % {
            "numbers": ", ".join(open_numbers)
        }
    if not work:
        made_here = Routing.objects.filter(
            product__in=order.lines.values("product"), is_default=True
        ).exists()
        if made_here:
            return _("The order has no production plan yet.")
    return None
