"""Guards other steps may put in front of an order transition (`orders.pipeline` signature:
`guard(order, user) -> str | None`, None meaning fine)."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from gendan.purchasing.models import PurchaseOrder, SupplierIncident

if TYPE_CHECKING:
    from gendan.accounts.models import User
    from gendan.orders.models import Order


def purchasing_settled(order: "Order", user: "User") -> str | None:
    """Procurement's sign-off for closure (X2): all material in, no open supplier issue."""
    open_pos = list(
        PurchaseOrder.objects.open().filter(order=order).values_list("number", flat=True)
    )
    problems = []
    if open_pos:
        problems.append(
            _("Purchase orders still open: %(numbers)s.") % {"numbers": ", ".join(open_pos)}
        )
    if SupplierIncident.objects.unresolved().filter(order=order).exists():
        problems.append(_("Resolve the open supplier incidents of this order."))
    return " ".join(problems) or None
