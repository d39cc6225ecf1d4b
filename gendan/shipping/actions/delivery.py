"""Delivery (E7): the customer's sign-off on the delivery note (送货单), discrepancies found at
delivery, feedback to sales, and the settlement request to finance."""

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import Blocked, NotPermitted
from gendan.credit.permissions import finance_department
from gendan.documents.actions import checked_upload, store_document
from gendan.documents.models import Category
from gendan.ledger.models import Kind
from gendan.orders.models import Order, OrderLine
from gendan.purchasing.numbering import next_document_number
from gendan.shipping import conf, permissions
from gendan.shipping.actions._common import (
    ZERO,
    complete_if_open,
    department,
    heads_of,
    ledger,
    notify_later,
    quantity,
    sales_department,
)
from gendan.shipping.models import (
    SIGNED_STATES,
    DeliveryNote,
    DeliveryState,
    Discrepancy,
    DiscrepancyKind,
    SettlementRequest,
    SettlementState,
    ShipmentLine,
)
from gendan.shipping.selectors import plain

CENT = Decimal("0.01")
#: The clerk's task to handle a delivery discrepancy with the customer.
DISCREPANCY_TASK_KIND = "delivery_discrepancy"
#: Finance's task to take up a settlement request.
SETTLEMENT_TASK_KIND = "settlement"


def _checked_discrepancies(
    note: DeliveryNote, items: Sequence[Mapping[str, Any]], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """Each item: kind, description, optional line (position) and quantity. The quantity may
    not exceed what the shipment carried on that line."""
    shipped = {
        sl.order_line.position: sl
        for sl in ShipmentLine.objects.filter(shipment=note.shipment_id).select_related(
            "order_line"
        )
    }
    cleaned = []
    for item in items:
        kind = str(item.get("kind") or "")
        description = str(item.get("description") or "").strip()
        if kind not in DiscrepancyKind.values:
            errors["discrepancies"] = [_("Choose what kind of discrepancy it is.")]
            continue
        if not description:
            errors["discrepancies"] = [_("Describe each discrepancy.")]
            continue
        raw_line = item.get("line")
        line: OrderLine | None = None
        amount: Decimal | None = None
        if raw_line not in (None, ""):
            position = raw_line.position if isinstance(raw_line, OrderLine) else raw_line
            try:
                line = shipped[int(position)].order_line
            except (KeyError, TypeError, ValueError):
                errors["discrepancies"] = [
                    _("Line %(line)s was not on this delivery.") % {"line": raw_line}
                ]
                continue
        if item.get("quantity") not in (None, ""):
            amount = quantity(item.get("quantity"), "discrepancies", errors)
            if line is None:
                errors["discrepancies"] = [_("Say which line the quantity is of.")]
            elif amount <= 0:
                errors["discrepancies"] = [_("A quantity affected must be more than 0.")]
            elif amount > shipped[line.position].quantity:
                errors["discrepancies"] = [
                    _("Line %(line)d carried only %(qty)s %(unit)s on this delivery.")
                    % {
                        "line": line.position,
                        "qty": plain(shipped[line.position].quantity),
                        "unit": line.unit,
                    }
                ]
        cleaned.append(
            {"kind": kind, "description": description, "order_line": line, "quantity": amount}
        )
    return cleaned


def _open_discrepancies(
    note: DeliveryNote, user: User, items: list[dict[str, Any]]
) -> list[Discrepancy]:
    """Create the discrepancies, each with a task for the order's clerk (feedback to sales)."""
    from gendan.tasks.actions import due_at_for, open_task

    order = note.order
    created = []
    for item in items:
        discrepancy = Discrepancy.objects.create(
            delivery_note=note, order=order, reported_by=user, **item
        )
        discrepancy.task = open_task(
            user=None,
            title=_("Delivery %(note)s: %(kind)s — agree the handling with the customer")
            % {"note": note.number, "kind": discrepancy.get_kind_display()},
            description=discrepancy.description,
            due_at=due_at_for(working_days=conf.DISCREPANCY_WORKING_DAYS),
            order=order,
            department=sales_department(),
            assignee=order.clerk,
            kind=DISCREPANCY_TASK_KIND,
        )
        discrepancy.save(update_fields=["task"])
        created.append(discrepancy)
    return created


def _describe(discrepancies: list[Discrepancy]) -> str:
    return "; ".join(
        f"{d.get_kind_display()}"
        + (f" ({_('line')} {d.order_line.position}" if d.order_line else "")
        + (f", {plain(d.quantity)} {d.order_line.unit}" if d.quantity and d.order_line else "")
        + (")" if d.order_line else "")
        + f": {d.description}"
        for d in discrepancies
    )


def record_sign_off(
    *,
    delivery_note: DeliveryNote,
    user: User,
    signed_by_name: str,
    signed_at: dt.datetime | None,
    file: UploadedFile | None,
    received_on: dt.date | None = None,
    remarks: str = "",
    discrepancies: Sequence[Mapping[str, Any]] = (),
) -> DeliveryNote:
    """File the delivery note the customer signed (who signed and when) with the
    discrepancies the customer noted. Sales hears of it; discrepancies become tasks for the
    clerk. The order's status does not change here: once every delivery note is signed, the
    pipeline's `deliver` transition (guarded by `guards.delivery_signed`) moves it on."""
    order = delivery_note.order
    if not permissions.can_record_delivery(user, order):
        raise NotPermitted(
            _("The customer's sign-off is recorded by sales: the order's clerk or the sales head.")
        )
    errors: dict[str, list[str]] = {}
    if not signed_by_name.strip():
        errors["signed_by_name"] = [_("Who signed for the customer?")]
    now = timezone.now()
    if signed_at is None:
        errors["signed_at"] = [_("When did the customer sign?")]
    elif signed_at > now + dt.timedelta(minutes=5):
        errors["signed_at"] = [_("The signature cannot be in the future.")]
    elif signed_at < delivery_note.shipment.shipped_at:
        errors["signed_at"] = [_("The customer cannot have signed before the goods left.")]
    content = b""
    if file is None:
        errors["file"] = [_("Upload the signed delivery note.")]
    else:
        try:
            content = checked_upload(file, "file")
        except Blocked as refusal:
            errors.update(refusal.fields)
    cleaned = _checked_discrepancies(delivery_note, discrepancies, errors)
    if errors:
        raise Blocked(fields=errors)
    assert signed_at is not None and file is not None
    with transaction.atomic():
        Order.objects.select_for_update().get(pk=order.pk)
        locked = (
            DeliveryNote.objects.select_for_update(of=("self",))
            .select_related("order", "order__clerk", "shipment")
            .get(pk=delivery_note.pk)
        )
        if locked.state != DeliveryState.AWAITING:
            raise Blocked(
                _("Delivery note %(note)s is already signed (%(who)s, %(when)s).")
                % {
                    "note": locked.number,
                    "who": locked.signed_by_name,
                    "when": timezone.localtime(locked.signed_at).strftime("%Y-%m-%d %H:%M")
                    if locked.signed_at
                    else "",
                }
            )
        order = locked.order
        document = store_document(
            order=order,
            user=user,
            category=Category.DELIVERY_LIST,
            title=_("Delivery note %(note)s, signed by %(who)s")
            % {"note": locked.number, "who": signed_by_name.strip()},
            content=content,
            filename=file.name or f"{locked.number}-signed.pdf",
            source=f"shipping.deliverynote:{locked.pk}",
        )
        locked.signed_document = document
        locked.signed_by_name = signed_by_name.strip()
        locked.signed_at = signed_at
        locked.received_on = received_on or timezone.localtime(signed_at).date()
        locked.remarks = remarks.strip()
        locked.recorded_by = user
        locked.recorded_at = now
        locked.state = DeliveryState.SIGNED_WITH_DISCREPANCIES if cleaned else DeliveryState.SIGNED
        locked.save(
            update_fields=[
                "signed_document",
                "signed_by_name",
                "signed_at",
                "received_on",
                "remarks",
                "recorded_by",
                "recorded_at",
                "state",
            ]
        )
        found = _open_discrepancies(locked, user, cleaned)
        summary = _("Delivery note %(note)s signed by %(who)s on %(when)s") % {
            "note": locked.number,
            "who": locked.signed_by_name,
            "when": timezone.localtime(signed_at).strftime("%Y-%m-%d %H:%M"),
        }
        if found:
            summary += " · " + _("%(count)d discrepancies") % {"count": len(found)}
        ledger(
            order,
            user=user,
            subject=locked,
            step="delivery",
            event="delivery_signed",
            summary=summary,
            body="\n".join(filter(None, [locked.remarks, _describe(found)])),
            changes={"state": [str(DeliveryState.AWAITING.label), str(locked.get_state_display())]},
            data={
                "delivery_note": locked.number,
                "shipment": locked.shipment.number,
                "signed_by": locked.signed_by_name,
                "signed_at": signed_at.isoformat(),
                "document": document.pk,
                "discrepancies": [d.pk for d in found],
            },
        )
        # Feedback to sales (E7): the clerk and the sales head hear of every delivery.
        notify_later(
            [order.clerk, *heads_of(sales_department().code)],
            summary,
            locked.get_absolute_url(),
            actor=user,
        )
    return locked


def report_discrepancy(
    *,
    delivery_note: DeliveryNote,
    user: User,
    kind: str,
    description: str,
    line: Any = None,
    quantity: Any = None,
) -> Discrepancy:
    """A discrepancy the customer reports after signing (e.g. at their own inspection)."""
    order = delivery_note.order
    if not permissions.can_record_delivery(user, order):
        raise NotPermitted(_("Delivery discrepancies are recorded by sales."))
    errors: dict[str, list[str]] = {}
    items = _checked_discrepancies(
        delivery_note,
        [{"kind": kind, "description": description, "line": line, "quantity": quantity}],
        errors,
    )
    if errors or not items:
        raise Blocked(fields=errors or {"discrepancies": [_("Describe the discrepancy.")]})
    item = items[0]
    with transaction.atomic():
        locked = (
            DeliveryNote.objects.select_for_update(of=("self",))
            .select_related("order", "order__clerk")
            .get(pk=delivery_note.pk)
        )
        if locked.state not in SIGNED_STATES:
            raise Blocked(
                _(
                    "Record discrepancies found at delivery with the customer's sign-off of "
                    "%(note)s."
                )
                % {"note": locked.number}
            )
        before = locked.get_state_display()
        [discrepancy] = _open_discrepancies(locked, user, [item])
        if locked.state != DeliveryState.SIGNED_WITH_DISCREPANCIES:
            locked.state = DeliveryState.SIGNED_WITH_DISCREPANCIES
            locked.save(update_fields=["state"])
        summary = _("Delivery discrepancy on %(note)s: %(what)s") % {
            "note": locked.number,
            "what": _describe([discrepancy]),
        }
        ledger(
            locked.order,
            user=user,
            subject=discrepancy,
            kind=Kind.CREATED,
            step="delivery",
            event="delivery_discrepancy",
            summary=summary,
            changes=(
                {"state": [str(before), str(locked.get_state_display())]}
                if str(before) != str(locked.get_state_display())
                else None
            ),
            data={"delivery_note": locked.number, "discrepancy": discrepancy.pk},
        )
        notify_later(
            [locked.order.clerk, *heads_of(sales_department().code)],
            summary,
            locked.get_absolute_url(),
            actor=user,
        )
    return discrepancy


def resolve_discrepancy(*, discrepancy: Discrepancy, user: User, resolution: str) -> Discrepancy:
    """Record how a discrepancy was settled with the customer; its task is done."""
    if not permissions.can_record_delivery(user, discrepancy.order):
        raise NotPermitted(_("Delivery discrepancies are resolved by sales."))
    if not resolution.strip():
        raise Blocked(fields={"resolution": [_("Say how it was resolved with the customer.")]})
    with transaction.atomic():
        locked = (
            Discrepancy.objects.select_for_update(of=("self",))
            .select_related("delivery_note", "order", "task")
            .get(pk=discrepancy.pk)
        )
        if locked.is_resolved:
            raise Blocked(_("This discrepancy is already resolved."))
        locked.resolution = resolution.strip()
        locked.resolved_by = user
        locked.resolved_at = timezone.now()
        locked.save(update_fields=["resolution", "resolved_by", "resolved_at"])
        complete_if_open(locked.task, user, locked.resolution)
        ledger(
            locked.order,
            user=user,
            subject=locked,
            step="delivery",
            event="delivery_discrepancy_resolved",
            summary=_("Delivery discrepancy on %(note)s resolved: %(kind)s")
            % {"note": locked.delivery_note.number, "kind": locked.get_kind_display()},
            body=locked.resolution,
            data={"delivery_note": locked.delivery_note.number, "discrepancy": locked.pk},
        )
    return locked


# --- settlement --------------------------------------------------------------------------


def _value(rows: Any) -> Decimal:
    return sum(
        ((row["quantity"] or ZERO) * row["order_line__unit_price"] for row in rows), ZERO
    ).quantize(CENT)


def request_settlement(*, order: Order, user: User, note: str = "") -> SettlementRequest:
    """Send the signed delivery notes not yet settled to finance (E7): the amount delivered
    and the amount still in dispute; finance gets a task."""
    from gendan.tasks.actions import due_at_for, open_task

    if not permissions.can_request_settlement(user, order):
        raise NotPermitted(
            _("Settlement is requested by sales: the order's clerk or the sales head.")
        )
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        notes = list(
            DeliveryNote.objects.filter(
                order=locked, state__in=SIGNED_STATES, settlement_requests__isnull=True
            ).order_by("number")
        )
        if not notes:
            raise Blocked(_("No delivery note signed by the customer is waiting for settlement."))
        amount = _value(
            ShipmentLine.objects.filter(shipment__delivery_note__in=notes).values(
                "quantity", "order_line__unit_price"
            )
        )
        disputed = _value(
            Discrepancy.objects.filter(
                delivery_note__in=notes, resolved_at__isnull=True, order_line__isnull=False
            ).values("quantity", "order_line__unit_price")
        )
        settlement = SettlementRequest.objects.create(
            number=next_document_number("SR", timezone.localdate()),
            order=locked,
            amount=amount,
            disputed_amount=disputed,
            note=note.strip(),
            requested_by=user,
        )
        settlement.delivery_notes.set(notes)
        numbers = ", ".join(n.number for n in notes)
        settlement.task = open_task(
            user=None,
            title=_("Settle order %(number)s: %(amount)s CNY delivered (%(notes)s)")
            % {"number": locked.number, "amount": amount, "notes": numbers},
            description=settlement.note,
            due_at=due_at_for(working_days=conf.SETTLEMENT_WORKING_DAYS),
            order=locked,
            department=department(finance_department()),
            kind=SETTLEMENT_TASK_KIND,
        )
        settlement.save(update_fields=["task"])
        summary = _(
            "Settlement request %(request)s to finance: %(amount)s CNY delivered on %(notes)s"
        ) % {"request": settlement.number, "amount": amount, "notes": numbers}
        if disputed:
            summary += " · " + _("%(amount)s CNY in dispute") % {"amount": disputed}
        ledger(
            locked,
            user=user,
            subject=settlement,
            kind=Kind.CREATED,
            step="delivery",
            event="settlement_requested",
            summary=summary,
            body=settlement.note,
            data={
                "settlement": settlement.number,
                "delivery_notes": [n.number for n in notes],
                "amount": str(amount),
                "disputed_amount": str(disputed),
            },
        )
    return settlement


def receive_settlement(
    *, settlement: SettlementRequest, user: User, note: str = ""
) -> SettlementRequest:
    """Finance takes up the settlement request (invoicing and collection follow there)."""
    if not permissions.can_receive_settlement(user):
        raise NotPermitted(_("Settlement requests are received by finance."))
    with transaction.atomic():
        locked = (
            SettlementRequest.objects.select_for_update(of=("self",))
            .select_related("order", "order__clerk", "task")
            .get(pk=settlement.pk)
        )
        if locked.state != SettlementState.SUBMITTED:
            raise Blocked(
                _("Settlement request %(request)s is already received.")
                % {"request": locked.number}
            )
        locked.state = SettlementState.RECEIVED
        locked.received_by = user
        locked.received_at = timezone.now()
        locked.finance_note = note.strip()
        locked.save(update_fields=["state", "received_by", "received_at", "finance_note"])
        complete_if_open(locked.task, user, locked.finance_note)
        summary = _("Finance received settlement request %(request)s") % {"request": locked.number}
        ledger(
            locked.order,
            user=user,
            subject=locked,
            step="delivery",
            event="settlement_received",
            summary=summary,
            body=locked.finance_note,
            changes={
                "state": [
                    str(SettlementState.SUBMITTED.label),
                    str(SettlementState.RECEIVED.label),
                ]
            },
            data={"settlement": locked.number},
        )
        notify_later([locked.order.clerk], summary, locked.order.get_absolute_url(), actor=user)
    return locked


def delivered_quantity(line: OrderLine) -> Decimal:
    """What the customer signed for on `line` (shipped on signed delivery notes)."""
    total = ShipmentLine.objects.filter(
        order_line=line, shipment__delivery_note__state__in=SIGNED_STATES
    ).aggregate(total=Sum("quantity"))["total"]
    return total or ZERO
