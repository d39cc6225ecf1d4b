"""Every intake change goes through these functions (web, API, CLI alike).

Each runs in one transaction, checks who may act, validates with field-level messages, locks
the order when it changes something about it, and writes the ledger. Status changes are the
pipeline's (`orders.actions.transition_order`); intake adds what the order needs before them.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import Blocked, NotPermitted
from gendan.intake import permissions
from gendan.intake.excel.reader import MAX_BYTES, Preview, RowResult, read_orders
from gendan.intake.models import (
    ImportBatch,
    ImportState,
    OrderIntake,
    OrderType,
    Source,
)
from gendan.intake.pricing import price_check
from gendan.ledger.models import CommunicationChannel, Kind
from gendan.ledger.record import record
from gendan.orders.actions import create_order, log_communication, transition_order
from gendan.orders.models import Order
from gendan.orders.status import EDITABLE_STATUSES, Channel

MAX_RECORD_BYTES = 20 * 1024 * 1024


def _lock(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def _editable(order: Order) -> None:
    if order.status not in EDITABLE_STATUSES:
        raise Blocked(
            _("Order %(number)s is %(status)s: its intake can no longer be changed.")
            % {"number": order.number, "status": order.get_status_display()}
        )


def _intake(order: Order) -> OrderIntake:
    intake, _created = OrderIntake.objects.select_for_update().get_or_create(order=order)
    return intake


def set_order_type(*, order: Order, user: User, order_type: OrderType) -> OrderIntake:
    """Choose the order's type, which decides what the order must state (I3)."""
    if not permissions.can_edit_intake(user, order):
        raise NotPermitted(_("Your role may not change this order's type."))
    if order_type is None or not order_type.is_active:
        raise Blocked(fields={"order_type": [_("Choose an active order type.")]})
    with transaction.atomic():
        locked = _lock(order)
        _editable(locked)
        intake = _intake(locked)
        before = str(intake.order_type or OrderType.default() or "")
        if intake.order_type_id == order_type.pk:
            return intake
        intake.order_type = order_type
        intake.save(update_fields=["order_type"])
        record(
            order=locked,
            kind=Kind.CHANGED,
            actor=user,
            summary=_("Order type set to %(type)s") % {"type": order_type},
            changes={"order_type": [before, str(order_type)]},
        )
    return intake


def attach_written_record(
    *, order: Order, user: User, text: str = "", file: File | None = None
) -> OrderIntake:
    """Attach the written record of a verbal order: typed in, uploaded, or both (I1)."""
    if not permissions.can_edit_intake(user, order):
        raise NotPermitted(_("Your role may not add the written record of this order."))
    text = (text or "").strip()
    if not text and file is None:
        raise Blocked(fields={"text": [_("Type in what was agreed, or upload the signed record.")]})
    if file is not None and (file.size or 0) > MAX_RECORD_BYTES:
        raise Blocked(fields={"file": [_("The file is larger than 20 MB.")]})
    with transaction.atomic():
        locked = _lock(order)
        _editable(locked)
        intake = _intake(locked)
        fields = ["written_record_by", "written_record_at"]
        if text:
            intake.written_record = text
            fields.append("written_record")
        if file is not None:
            intake.written_record_file.save(
                (file.name or "record").rsplit("/", 1)[-1][-120:], file, save=False
            )
            fields.append("written_record_file")
        intake.written_record_by = user
        intake.written_record_at = timezone.now()
        intake.save(update_fields=fields)
        what = []
        if text:
            what.append(_("typed in"))
        if file is not None:
            what.append(_("file %(name)s") % {"name": intake.written_record_file.name})
        record(
            order=locked,
            kind=Kind.SYSTEM,
            actor=user,
            summary=_("Written record attached (%(what)s)") % {"what": ", ".join(what)},
            body=text,
        )
    return intake


def confirm_margin(*, order: Order, user: User, note: str) -> OrderIntake:
    """Finance accepts the order's low margin (or large discount) at its current prices (I5)."""
    if not permissions.can_confirm_margin(user):
        raise NotPermitted(_("Only finance may confirm an order's margin."))
    if not (note or "").strip():
        raise Blocked(fields={"note": [_("Say why the price is acceptable.")]})
    with transaction.atomic():
        locked = _lock(order)
        _editable(locked)
        check = price_check(locked)
        if not check.flagged:
            raise Blocked(_("The order's prices need no confirmation."))
        intake = _intake(locked)
        intake.margin_confirmed_fingerprint = check.fingerprint
        intake.margin_confirmed_by = user
        intake.margin_confirmed_at = timezone.now()
        intake.margin_confirmation_note = note.strip()
        intake.save(
            update_fields=[
                "margin_confirmed_fingerprint",
                "margin_confirmed_by",
                "margin_confirmed_at",
                "margin_confirmation_note",
            ]
        )
        record(
            order=locked,
            kind=Kind.SYSTEM,
            actor=user,
            summary=_("Finance confirmed the price: %(summary)s") % {"summary": check.summary},
            body="\n".join([note.strip(), *check.problems]),
            data={"margin_pct": str(check.margin_pct), "fingerprint": check.fingerprint},
        )
        _finish_tasks(locked, user, "margin_check", note.strip())
    return intake


def _finish_tasks(order: Order, user: User, kind: str, outcome: str) -> None:
    from gendan.tasks.actions import complete_task
    from gendan.tasks.models import Task

    for task in Task.objects.open().filter(order=order, kind=kind):
        complete_task(task=task, user=user, outcome=outcome)


def send_back_for_negotiation(
    *,
    order: Order,
    user: User,
    reason: str,
    counterpart: str = "",
    channel: str = "",
    expected_version: int | None = None,
) -> Order:
    """Return the order to draft for negotiation with the customer (I7) and, when told how
    the customer was contacted, log that contact in the same step."""
    with transaction.atomic():
        returned = transition_order(
            order=order,
            name="return_to_draft",
            user=user,
            reason=reason,
            expected_version=expected_version,
        )
        if channel or counterpart.strip():
            log_communication(
                order=returned,
                user=user,
                channel=channel or CommunicationChannel.CALL,
                counterpart=counterpart,
                summary=reason,
            )
    return returned


# --- Excel import --------------------------------------------------------------------------


def upload_import_file(*, user: User, file: File) -> ImportBatch:
    """Keep an uploaded order file for previewing (nothing is imported yet)."""
    if not permissions.can_import(user):
        raise NotPermitted(_("Your role may not import orders."))
    name = (getattr(file, "name", "") or "").rsplit("/", 1)[-1]
    if not name.lower().endswith(".xlsx"):
        raise Blocked(fields={"file": [_("Upload an Excel .xlsx file (see the template).")]})
    if (file.size or 0) > MAX_BYTES:
        raise Blocked(fields={"file": [_("The file is larger than 5 MB: split it.")]})
    with transaction.atomic():
        batch = ImportBatch(original_name=name[-200:], uploaded_by=user)
        batch.file.save(name[-120:], file, save=False)
        preview = preview_batch(batch)
        batch.row_count = len(preview.rows)
        batch.error_row_count = len(preview.error_rows)
        batch.save()
    return batch


def preview_batch(batch: ImportBatch) -> Preview:
    with batch.file.open("rb") as handle:
        return read_orders(handle)


def import_batch(*, batch: ImportBatch, user: User, valid_only: bool = False) -> list[Order]:
    """Import the batch's orders through `create_order`, all in one transaction.

    With errors left in the file nothing is imported unless `valid_only`: then the orders
    whose rows are all free of errors are imported and the others skipped.
    """
    if not permissions.can_import(user):
        raise NotPermitted(_("Your role may not import orders."))
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.state == ImportState.IMPORTED:
            raise Blocked(_("This file was already imported."))
        preview = preview_batch(locked)
        if preview.file_errors:
            raise Blocked(*preview.file_errors)
        if preview.has_errors and not valid_only:
            raise Blocked(
                _(
                    "%(count)d rows have errors: correct the file and upload it again, or "
                    "import only the valid rows."
                )
                % {"count": len(preview.error_rows)}
            )
        groups = preview.importable_groups()
        if not groups:
            raise Blocked(_("No order in the file is free of errors: nothing to import."))
        orders = [_import_group(user, rows, locked.original_name) for rows in groups]
        skipped = [row.number for row in preview.rows if not row.importable]
        locked.state = ImportState.IMPORTED
        locked.imported_at = timezone.now()
        locked.valid_only = valid_only
        locked.result = {"orders": [o.number for o in orders], "skipped_rows": skipped}
        locked.save(update_fields=["state", "imported_at", "valid_only", "result"])
        record(
            subject=locked,
            kind=Kind.SYSTEM,
            actor=user,
            summary=_("Excel file %(name)s imported: %(orders)d orders, %(skipped)d rows skipped")
            % {"name": locked.original_name, "orders": len(orders), "skipped": len(skipped)},
            data=locked.result,
        )
    batch.state, batch.result = locked.state, locked.result
    return orders


def _import_group(user: User, rows: list[RowResult], file_name: str) -> Order:
    head = rows[0]
    header = {
        "customer": head.customer,
        "customer_reference": head.value("customer_reference"),
        "channel": head.value("channel"),
        "requested_date": head.value("requested_date"),
        "delivery_place": head.value("delivery_place"),
        "payment_terms": head.value("payment_terms"),
    }
    lines = []
    for row in rows:
        product = row.product
        assert product is not None  # importable rows have their product
        grammage, width = row.value("grammage"), row.value("width_mm")
        lines.append(
            {
                "product": product,
                "grammage": grammage if grammage is not None else product.grammage,
                "width_mm": width if width is not None else product.width_mm,
                "quantity": row.value("quantity"),
                "unit": product.unit,
                "unit_price": row.value("unit_price"),
            }
        )
    order = create_order(user=user, header=header, lines=lines)
    OrderIntake.objects.create(order=order, order_type=head.order_type, source=Source.EXCEL)
    numbers = [row.number for row in rows]
    record(
        order=order,
        kind=Kind.SYSTEM,
        actor=user,
        summary=_("Imported from the Excel file %(name)s (rows %(rows)s)")
        % {"name": file_name, "rows": ", ".join(map(str, numbers))},
        data={"import_rows": numbers},
    )
    return order


# --- web shop ------------------------------------------------------------------------------


def register_shop_order(
    *,
    user: User,
    header: Mapping[str, Any],
    lines: Sequence[Mapping[str, Any]],
    order_type: OrderType | None = None,
) -> Order:
    """Register an order placed in the web shop (channel web_shop), refusing a shop order
    number the customer already used."""
    customer = header["customer"]
    reference = header["customer_reference"]
    with transaction.atomic():
        existing = (
            Order.objects.filter(customer=customer, customer_reference=reference)
            .exclude(status="cancelled")
            .values_list("number", flat=True)
            .first()
        )
        if existing:
            raise Blocked(
                fields={
                    "shop_order_id": [
                        _("Shop order %(ref)s is already registered as order %(number)s.")
                        % {"ref": reference, "number": existing}
                    ]
                }
            )
        order = create_order(user=user, header={**header, "channel": Channel.WEB_SHOP}, lines=lines)
        OrderIntake.objects.create(
            order=order, order_type=order_type or OrderType.default(), source=Source.WEB_SHOP
        )
        record(
            order=order,
            kind=Kind.SYSTEM,
            actor=user,
            summary=_("Received from the web shop as %(ref)s") % {"ref": reference},
            data={"shop_order_id": reference},
        )
    return order
