"""Dispatching a shipment against a shipping notice (E6).

Logistics checks the goods against the notice (name, specification, quantity), records the
carrier, vehicle, tracking number and packaging, and the goods are issued from the warehouse
in the same transaction: the warehouse refuses what is not conforming finished goods
(quarantined, uninspected or nonconforming goods never count), and a refusal undoes the whole
shipment. The certificate of conformity (合格证) and the delivery note (送货单) are printed and
filed with the order. Shipping does not change the order's status: once every line is shipped,
the pipeline's `ship` transition (guarded by `guards.fully_shipped`) moves it on.
"""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import Blocked, NotPermitted
from gendan.documents.actions import store_document
from gendan.documents.models import Category
from gendan.ledger.models import Kind
from gendan.orders.models import Order
from gendan.orders.status import Status
from gendan.purchasing.numbering import next_document_number
from gendan.shipping import permissions, printing
from gendan.shipping.actions._common import (
    ZERO,
    complete_if_open,
    ledger,
    line_field,
    line_label,
    notify_later,
    parse_quantities,
)
from gendan.shipping.models import (
    DeliveryNote,
    NoticeState,
    Shipment,
    ShipmentLine,
    ShippingNotice,
)
from gendan.shipping.selectors import line_progress, plain
from gendan.warehouse.stock import issue_for_shipment

#: Goods leave only while the order is in execution (not on hold, not cancelled).
SHIPPING_STATUSES = frozenset({Status.IN_EXECUTION})


def _file(order: Order, user: User, title: str, content: bytes, name: str, source: str) -> Any:
    return store_document(
        order=order,
        user=user,
        category=Category.DELIVERY_LIST,
        title=title,
        content=content,
        filename=name,
        source=source,
        content_type="application/pdf",
    )


def dispatch_shipment(
    *,
    notice: ShippingNotice,
    user: User,
    carrier: str,
    vehicle: str,
    packaging: str,
    checked: bool,
    quantities: Mapping[Any, Any] | None = None,
    packages: int = 0,
    driver: str = "",
    tracking_number: str = "",
    documents: str = "",
    check_note: str = "",
    shipped_at: dt.datetime | None = None,
) -> Shipment:
    """Ship the goods of `notice`. `quantities` (by line position) default to the notice's;
    shipping less than the notice asks needs `check_note`, more is refused. `checked` confirms
    the goods were checked against the notice."""
    if not permissions.can_ship(user):
        raise NotPermitted(_("Goods are shipped by the logistics department."))
    errors: dict[str, list[str]] = {}
    for name, value in (("carrier", carrier), ("vehicle", vehicle), ("packaging", packaging)):
        if not value.strip():
            errors[name] = [_("This field is required.")]
    if not checked:
        errors["checked"] = [
            _("Check the goods against the notice (name, specification, quantity) first.")
        ]
    now = timezone.now()
    shipped_at = shipped_at or now
    if shipped_at > now + dt.timedelta(minutes=5):
        errors["shipped_at"] = [_("The goods cannot have left in the future.")]
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=notice.order_id)
        locked = ShippingNotice.objects.select_for_update(of=("self",)).get(pk=notice.pk)
        notice_lines = {
            nl.order_line.position: nl for nl in locked.lines.select_related("order_line__product")
        }
        if quantities is None:
            wanted = {position: nl.quantity for position, nl in notice_lines.items()}
        else:
            wanted = parse_quantities(
                quantities, [nl.order_line for nl in notice_lines.values()], errors
            )
        progress = {p.line.position: p for p in line_progress(order)}
        differs = False
        for position, nl in notice_lines.items():
            amount = wanted.get(position, ZERO)
            field = line_field(nl.order_line)
            if amount > nl.quantity:
                errors[field] = [
                    _(
                        "The notice asks for %(noticed)s %(unit)s of %(line)s: ship no more "
                        "than that (issue another notice for more)."
                    )
                    % {
                        "noticed": plain(nl.quantity),
                        "unit": nl.order_line.unit,
                        "line": line_label(nl.order_line),
                    }
                ]
            elif amount + progress[position].shipped > progress[position].most_allowed:
                errors[field] = [
                    _("%(line)s would be shipped beyond its quantity and tolerance.")
                    % {"line": line_label(nl.order_line)}
                ]
            differs = differs or amount != nl.quantity
        line_errors = any(name.startswith("line") for name in errors)
        if not line_errors and not any(amount > 0 for amount in wanted.values()):
            errors["lines"] = [_("Enter the quantity loaded on at least one line.")]
        if differs and not check_note.strip():
            errors["check_note"] = [
                _("The goods differ from the notice: say what differs and why.")
            ]
        if errors:
            raise Blocked(fields=errors)
        if locked.state != NoticeState.OPEN:
            raise Blocked(
                _("Shipping notice %(notice)s is %(state)s: nothing more ships against it.")
                % {"notice": locked.number, "state": locked.get_state_display()}
            )
        if order.status not in SHIPPING_STATUSES:
            raise Blocked(
                _("Goods leave while the order is in execution; order %(number)s is %(status)s.")
                % {"number": order.number, "status": order.get_status_display()}
            )
        today = timezone.localdate()
        shipment = Shipment.objects.create(
            number=next_document_number("SH", today),
            order=order,
            notice=locked,
            carrier=carrier.strip(),
            vehicle=vehicle.strip(),
            driver=driver.strip(),
            tracking_number=tracking_number.strip(),
            packaging=packaging.strip(),
            packages=packages,
            documents=documents.strip(),
            shipped_at=shipped_at,
            check_note=check_note.strip(),
            dispatched_by=user,
        )
        ShipmentLine.objects.bulk_create(
            ShipmentLine(
                shipment=shipment,
                order_line=nl.order_line,
                noticed_quantity=nl.quantity,
                quantity=wanted.get(position, ZERO),
            )
            for position, nl in sorted(notice_lines.items())
        )
        for position, nl in sorted(notice_lines.items()):
            amount = wanted.get(position, ZERO)
            if amount <= 0:
                continue
            try:
                issue_for_shipment(
                    order_line=nl.order_line,
                    quantity=Decimal(amount),
                    user=user,
                    reference=shipment.number,
                )
            except Blocked as refusal:
                reasons = [m for msgs in refusal.fields.values() for m in msgs] + refusal.messages
                label = line_label(nl.order_line)
                raise Blocked(
                    fields={line_field(nl.order_line): [f"{label}: {r}" for r in reasons]}
                ) from refusal
        locked.state = NoticeState.SHIPPED
        locked.save(update_fields=["state"])
        note = DeliveryNote.objects.create(
            number=next_document_number("DN", today), order=order, shipment=shipment
        )
        language = printing.filing_language()
        shipment.certificate = _file(
            order,
            user,
            f"{printing.form_title('certificate', language)} {shipment.number}",
            printing.certificate_pdf(shipment, language=language),
            f"{shipment.number}-certificate.pdf",
            f"shipping.shipment:{shipment.pk}",
        )
        shipment.save(update_fields=["certificate"])
        note.document = _file(
            order,
            user,
            f"{printing.form_title('delivery_note', language)} {note.number}",
            printing.delivery_note_pdf(note, language=language),
            f"{note.number}.pdf",
            f"shipping.deliverynote:{note.pk}",
        )
        note.save(update_fields=["document"])
        shipped = "; ".join(
            f"{line_label(nl.order_line)} {plain(wanted.get(position, ZERO))} {nl.order_line.unit}"
            for position, nl in sorted(notice_lines.items())
            if wanted.get(position, ZERO) > 0
        )
        summary = _(
            "Shipment %(number)s dispatched against %(notice)s: %(lines)s · %(carrier)s, "
            "%(vehicle)s%(tracking)s"
        ) % {
            "number": shipment.number,
            "notice": locked.number,
            "lines": shipped,
            "carrier": shipment.carrier,
            "vehicle": shipment.vehicle,
            "tracking": f", {shipment.tracking_number}" if shipment.tracking_number else "",
        }
        ledger(
            order,
            user=user,
            subject=shipment,
            kind=Kind.CREATED,
            step="shipping",
            event="shipment_dispatched",
            summary=summary,
            body=shipment.check_note,
            data={
                "shipment": shipment.number,
                "notice": locked.number,
                "delivery_note": note.number,
                "differs_from_notice": differs,
                "lines": {str(p): str(wanted.get(p, ZERO)) for p in sorted(notice_lines)},
                "certificate": shipment.certificate.pk,
            },
        )
        if locked.task is not None:
            complete_if_open(locked.task, user, summary)
        notify_later([order.clerk], summary, shipment.get_absolute_url(), actor=user)
    return shipment
