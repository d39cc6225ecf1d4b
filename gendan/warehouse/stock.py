"""The warehouse's stock of finished goods, as shipping sees it.

Only conforming goods are ever in it: goods come in from a final inspection's released
quantity (`warehouse.actions.receive_finished_goods`), so quarantined, uninspected or
nonconforming goods never count. Shipping calls `issue_for_shipment` inside its own
transaction; the line's stock row is locked so two shipments cannot take the same goods.
"""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import Blocked
from gendan.ledger.models import Kind
from gendan.ledger.record import record
from gendan.orders.models import OrderLine
from gendan.warehouse.models import LineStock, StockIssue

ZERO = Decimal("0")


def available_to_ship(order_line: OrderLine) -> Decimal:
    """Conforming finished goods of this order line in the warehouse, not yet issued
    (quarantined, uninspected or nonconforming goods never count)."""
    stock = LineStock.objects.filter(order_line=order_line).first()
    return stock.on_hand if stock is not None else ZERO


def why_not_available(order_line: OrderLine, available: Decimal) -> str:
    """A sentence for the clerk: how much is available and where the rest of the line is."""
    from gendan.quality.selectors import line_quality

    unit = order_line.unit
    parts = [
        _("%(available)s %(unit)s of line %(line)s are in the warehouse and conforming.")
        % {"available": available, "unit": unit, "line": order_line.position}
    ]
    quality = line_quality(order_line)
    if quality.quarantined:
        parts.append(
            _("%(qty)s %(unit)s are quarantined as nonconforming (%(numbers)s).")
            % {
                "qty": quality.quarantined,
                "unit": unit,
                "numbers": ", ".join(quality.quarantine_numbers),
            }
        )
    if quality.awaiting_inspection:
        parts.append(
            _("%(qty)s %(unit)s are produced but await final inspection.")
            % {"qty": quality.awaiting_inspection, "unit": unit}
        )
    stock = LineStock.objects.filter(order_line=order_line).first()
    received = stock.received_quantity if stock is not None else ZERO
    not_taken_in = quality.released - received
    if not_taken_in > 0:
        parts.append(
            _("%(qty)s %(unit)s passed inspection but are not yet received into the warehouse.")
            % {"qty": not_taken_in, "unit": unit}
        )
    return " ".join(parts)


def issue_for_shipment(
    *, order_line: OrderLine, quantity: Decimal, user: User, reference: str
) -> None:
    """Take goods out of the warehouse for a shipment, inside the caller's transaction (locks
    the stock rows). Raises Blocked(fields={"quantity": [message]}) when fewer conforming goods
    are available than asked, with a message telling the clerk how many are available and why
    the rest is not (quarantined / awaiting inspection)."""
    quantity = Decimal(quantity)
    if quantity <= 0:
        raise Blocked(fields={"quantity": [_("Enter a quantity of more than 0.")]})
    with transaction.atomic():
        stock = LineStock.objects.select_for_update().filter(order_line=order_line).first()
        available = stock.on_hand if stock is not None else ZERO
        if stock is None or quantity > available:
            message = _("Only %(available)s %(unit)s can be shipped, %(asked)s asked.") % {
                "available": available,
                "unit": order_line.unit,
                "asked": quantity,
            }
            raise Blocked(
                fields={"quantity": [message + " " + why_not_available(order_line, available)]}
            )
        stock.issued_quantity += quantity
        stock.save(update_fields=["issued_quantity", "updated_at"])
        issue = StockIssue.objects.create(
            order_id=stock.order_id,
            order_line=order_line,
            quantity=quantity,
            reference=reference,
            issued_by=user,
        )
        record(
            order=stock.order,
            subject=issue,
            kind=Kind.CHANGED,
            actor=user,
            summary=_("Issued %(qty)s %(unit)s of line %(line)s for %(reference)s (%(left)s left)")
            % {
                "qty": quantity,
                "unit": order_line.unit,
                "line": order_line.position,
                "reference": reference,
                "left": stock.on_hand,
            },
            data={
                "step": "warehouse",
                "event": "goods_issued",
                "order_line": order_line.position,
                "quantity": str(quantity),
                "reference": reference,
            },
        )
