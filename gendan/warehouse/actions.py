"""Taking finished goods into the warehouse (E5). Issuing them for shipment is in `stock.py`.

Goods come in only from final inspections: the released quantity of an order line's final
inspections (passed lots, the unquarantined part of failed lots, concessions) that the
warehouse has not taken in yet. The warehouse clerk checks the goods against the work order:
the product and specification on the label must be the work order's, the quantity at most
what inspection released. Uninspected and quarantined goods are refused with a sentence
saying how much there is of each.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.catalog.models import Product
from gendan.core.errors import Blocked, NotPermitted
from gendan.ledger.models import Kind
from gendan.ledger.record import record
from gendan.notifications.actions import notify
from gendan.orders.status import Status
from gendan.production.models import WorkOrder
from gendan.purchasing.numbering import next_document_number
from gendan.quality.models import Inspection, Stage
from gendan.quality.selectors import final_work_order, line_quality
from gendan.warehouse import permissions
from gendan.warehouse.models import FinishedGoodsReceipt, LineStock

ZERO = Decimal("0")
#: Orders whose goods the warehouse no longer takes in.
ENDED_STATUSES = frozenset({Status.CANCELLED, Status.REJECTED, Status.CLOSED})


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def receivable_inspections(work_order: WorkOrder) -> list[tuple[Inspection, Decimal]]:
    """Final inspections of the work order with released goods not yet in the warehouse,
    oldest first, each with the quantity still to take in."""
    inspections = (
        Inspection.objects.filter(work_order=work_order, stage=Stage.FINAL)
        .select_related("nonconformance")
        .annotate(taken_in=Sum("warehouse_receipts__quantity"))
        .order_by("inspected_at", "pk")
    )
    rows = []
    for inspection in inspections:
        left = inspection.released_quantity - (inspection.taken_in or ZERO)
        if left > 0:
            rows.append((inspection, left))
    return rows


def receive_finished_goods(
    *,
    work_order: WorkOrder,
    user: User,
    product: Product | None,
    specification: str,
    quantity: Decimal | str,
    location: str = "",
    note: str = "",
) -> list[FinishedGoodsReceipt]:
    """Take finished goods of `work_order` (the last operation of its order line) into the
    warehouse, checked against the work order. One receipt per final inspection the goods
    come from."""
    if not permissions.can_receive_finished_goods(user):
        raise NotPermitted(_("Only the warehouse takes finished goods in."))
    errors: dict[str, list[str]] = {}
    try:
        amount = Decimal(str(quantity).strip())
        if not amount.is_finite() or amount <= 0:
            raise InvalidOperation
    except InvalidOperation:
        errors["quantity"] = [_("Enter the quantity taken in (more than 0).")]
        amount = ZERO
    if product is None:
        errors["product"] = [_("Choose the product on the goods' label.")]
    if errors:
        raise Blocked(fields=errors)
    with transaction.atomic():
        locked = (
            WorkOrder.objects.select_for_update(of=("self",))
            .select_related("order", "order_line", "product")
            .get(pk=work_order.pk)
        )
        order, line = locked.order, locked.order_line
        if order.status in ENDED_STATUSES:
            raise Blocked(
                _("Order %(number)s is %(status)s: the warehouse takes nothing in for it.")
                % {"number": order.number, "status": order.get_status_display()}
            )
        last = final_work_order(line)
        if last is None or last.pk != locked.pk:
            raise Blocked(
                _(
                    "%(wo)s is not the last operation of its order line: finished goods come "
                    "from %(last)s."
                )
                % {"wo": locked.number, "last": last.number if last else "—"}
            )
        mismatch: dict[str, list[str]] = {}
        if product is not None and product.pk != locked.product_id:
            mismatch["product"] = [
                _("The goods are %(given)s but work order %(wo)s makes %(product)s.")
                % {"given": product, "wo": locked.number, "product": locked.product}
            ]
        if not _same_text(specification, line.specification):
            mismatch["specification"] = [
                _("The specification differs from the work order's: %(spec)s.")
                % {"spec": line.specification or "—"}
            ]
        if mismatch:
            raise Blocked(fields=mismatch)
        stock, _created = LineStock.objects.select_for_update().get_or_create(
            order_line=line, defaults={"order": order}
        )
        sources = receivable_inspections(locked)
        available = sum((left for _i, left in sources), ZERO)
        if amount > available:
            quality = line_quality(line)
            parts = [
                _(
                    "Only %(available)s %(unit)s of %(wo)s passed final inspection and are not "
                    "yet in the warehouse."
                )
                % {"available": available, "unit": locked.unit, "wo": locked.number}
            ]
            if quality.quarantined:
                parts.append(
                    _("%(qty)s %(unit)s are quarantined as nonconforming (%(numbers)s).")
                    % {
                        "qty": quality.quarantined,
                        "unit": locked.unit,
                        "numbers": ", ".join(quality.quarantine_numbers),
                    }
                )
            if quality.awaiting_inspection:
                parts.append(
                    _("%(qty)s %(unit)s await final inspection.")
                    % {"qty": quality.awaiting_inspection, "unit": locked.unit}
                )
            raise Blocked(fields={"quantity": [" ".join(parts)]})
        receipts = []
        today = timezone.localdate()
        remaining = amount
        for inspection, left in sources:
            if remaining <= 0:
                break
            take = min(left, remaining)
            remaining -= take
            receipts.append(
                FinishedGoodsReceipt.objects.create(
                    number=next_document_number("FG", today),
                    order=order,
                    order_line=line,
                    work_order=locked,
                    inspection=inspection,
                    product=locked.product,
                    specification=line.specification,
                    quantity=take,
                    unit=locked.unit,
                    location=location.strip(),
                    note=note.strip(),
                    received_by=user,
                )
            )
        stock.received_quantity += amount
        stock.save(update_fields=["received_quantity", "updated_at"])
        summary = _(
            "Warehouse took in %(qty)s %(unit)s %(product)s of line %(line)s from %(wo)s "
            "(%(total)s of %(ordered)s in stock)"
        ) % {
            "qty": amount,
            "unit": locked.unit,
            "product": locked.product,
            "line": line.position,
            "wo": locked.number,
            "total": stock.on_hand,
            "ordered": line.quantity,
        }
        data: dict[str, Any] = {
            "step": "warehouse",
            "event": "finished_goods_received",
            "receipts": [r.number for r in receipts],
            "inspections": [r.inspection.number for r in receipts],
            "work_order": locked.number,
            "order_line": line.position,
            "quantity": str(amount),
            "received_total": str(stock.received_quantity),
            "planned": str(line.quantity),
        }
        record(
            order=order,
            subject=receipts[0],
            kind=Kind.CREATED,
            actor=user,
            summary=summary,
            body=note.strip(),
            data=data,
        )
        clerk = order.clerk
        if clerk is not None and clerk.pk != user.pk:
            transaction.on_commit(lambda: notify([clerk], summary, order.get_absolute_url()))
    return receipts
