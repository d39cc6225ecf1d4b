"""Guards for the order pipeline (`orders.pipeline` signature `guard(order, user) -> str |
None`, None meaning fine):

- `fully_shipped` for `ship` (in execution → shipped)
- `delivery_signed` for `deliver` (shipped → delivered)
- `discrepancies_resolved` for `accept` (delivered → accepted)
- `settlement_requested` for `request_closure` (accepted → closing)
"""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from gendan.shipping.models import DeliveryNote, DeliveryState, Discrepancy, Shipment
from gendan.shipping.selectors import line_progress, plain

if TYPE_CHECKING:
    from gendan.accounts.models import User
    from gendan.orders.models import Order


def fully_shipped(order: "Order", user: "User") -> str | None:
    """Every line shipped, at least its quantity less the line's tolerance. A partial
    shipment leaves the order in execution."""
    short = [
        _("line %(line)d: %(shipped)s of %(ordered)s %(unit)s")
        % {
            "line": p.line.position,
            "shipped": plain(p.shipped),
            "ordered": plain(p.ordered),
            "unit": p.line.unit,
        }
        for p in line_progress(order)
        if not p.fully_shipped
    ]
    if short:
        return _("Not everything is shipped yet: %(lines)s.") % {"lines": "; ".join(short)}
    return None


def delivery_signed(order: "Order", user: "User") -> str | None:
    """Every shipment's delivery note is signed by the customer."""
    if not Shipment.objects.filter(order=order).exists():
        return _("Nothing has been shipped on this order.")
    waiting = list(
        DeliveryNote.objects.filter(order=order, state=DeliveryState.AWAITING)
        .order_by("number")
        .values_list("number", flat=True)
    )
    if waiting:
        return _("Delivery notes not signed by the customer yet: %(numbers)s.") % {
            "numbers": ", ".join(waiting)
        }
    return None


def discrepancies_resolved(order: "Order", user: "User") -> str | None:
    """No delivery discrepancy is still open."""
    count = Discrepancy.objects.filter(order=order).unresolved().count()
    if count:
        return _("%(count)d delivery discrepancies are not resolved yet.") % {"count": count}
    return None


def settlement_requested(order: "Order", user: "User") -> str | None:
    """Every signed delivery note has gone to finance in a settlement request."""
    missing = list(
        DeliveryNote.objects.filter(order=order, settlement_requests__isnull=True)
        .order_by("number")
        .values_list("number", flat=True)
    )
    if missing:
        return _("Delivery notes not yet sent to finance for settlement: %(numbers)s.") % {
            "numbers": ", ".join(missing)
        }
    return None
