"""Every change in quality goes through one of these functions (web, API, CLI and jobs).

Each runs in one transaction, locks the rows it changes, checks the rule, saves, writes a
ledger entry on the customer order (`data.step == "quality"`) and notifies people after the
commit. On any error nothing has changed.
"""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import Blocked, NotPermitted
from gendan.ledger.models import Kind
from gendan.ledger.record import record_step
from gendan.notifications.actions import notify_on_commit
from gendan.orders.models import Order
from gendan.production.models import ProgressReport, WorkOrder, WorkOrderStatus
from gendan.purchasing.models import Material, MaterialReservation, Receipt
from gendan.purchasing.numbering import next_document_number
from gendan.quality import permissions
from gendan.quality.models import (
    Disposition,
    Inspection,
    InspectionStandard,
    Measurement,
    NCStatus,
    Nonconformance,
    ReceiptHold,
    Result,
    Stage,
)
from gendan.quality.selectors import final_work_order, standards_for

ZERO = Decimal("0")


_ledger = partial(record_step, "quality")


_notify_later = notify_on_commit


def _number(value: Any, name: str, errors: dict[str, list[str]]) -> Decimal | None:
    if value is None or value == "":
        errors[name] = [_("Enter the measured value.")]
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors[name] = [_("Enter a number.")]
        return None
    if not number.is_finite():
        errors[name] = [_("Enter a number.")]
        return None
    return number


def _quantity(value: Any, name: str, errors: dict[str, list[str]]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors[name] = [_("Enter a number.")]
        return None
    if not number.is_finite() or number <= 0:
        errors[name] = [_("Enter a quantity of more than 0.")]
        return None
    return number


# --- the purchasing hook -------------------------------------------------------------------


def hold_receipt_for_inspection(receipt: Receipt) -> Decimal:
    """Called by `purchasing.actions.receive` inside its transaction, before the stock rises:
    material with incoming inspection standards waits for its inspection outside usable stock.
    Returns the quantity held (0 when the material needs no incoming inspection)."""
    material = receipt.line.material
    if not standards_for(stage=Stage.INCOMING, material=material):
        return ZERO
    ReceiptHold.objects.create(receipt=receipt, quantity=receipt.quantity)
    order = receipt.line.purchase_order.order
    _ledger(
        order,
        user=receipt.received_by,
        subject=receipt,
        event="receipt_held",
        summary=_("%(qty)s %(unit)s %(material)s held for incoming inspection")
        % {"qty": receipt.quantity, "unit": material.unit, "material": material.name},
        data={"receipt": receipt.pk, "material": material.code, "quantity": str(receipt.quantity)},
    )
    return receipt.quantity


def _release_material(hold: ReceiptHold, quantity: Decimal) -> None:
    """Held material passed (or was conceded): it becomes usable stock, reserved for the order
    it was bought for, as a receipt without inspection would have been."""
    if quantity <= 0:
        return
    receipt = hold.receipt
    material = Material.objects.select_for_update().get(pk=receipt.line.material_id)
    material.stock_on_hand += quantity
    material.save(update_fields=["stock_on_hand"])
    order = receipt.line.purchase_order.order
    reservation, _created = MaterialReservation.objects.select_for_update().get_or_create(
        order=order, material=material
    )
    reservation.quantity = F("quantity") + quantity
    reservation.save(update_fields=["quantity", "updated_at"])
    hold.released_quantity += quantity
    hold.save(update_fields=["released_quantity"])


# --- inspections ---------------------------------------------------------------------------


def _measure(standards: list[InspectionStandard], values: Mapping[Any, Any]) -> list[Measurement]:
    """Check every value against its standard; field errors (`value_<standard id>`) for
    missing or unreadable values."""
    given = {str(key): value for key, value in values.items()}
    errors: dict[str, list[str]] = {}
    measurements = []
    for standard in standards:
        value = _number(given.get(str(standard.pk)), f"value_{standard.pk}", errors)
        if value is None:
            continue
        measurements.append(
            Measurement(
                standard=standard,
                characteristic=standard.characteristic,
                method=standard.method,
                unit=standard.unit,
                target=standard.target,
                lower_limit=standard.lower_limit,
                upper_limit=standard.upper_limit,
                value=value,
                passed=standard.accepts(value),
            )
        )
    unknown = set(given) - {str(s.pk) for s in standards}
    if unknown:
        errors["values"] = [
            _("Values were given for characteristics this inspection does not check.")
        ]
    if errors:
        raise Blocked(fields=errors)
    return measurements


def _no_standards(item: Any, stage: str) -> Blocked:
    return Blocked(
        _(
            "No active inspection standard for %(item)s at the %(stage)s: the quality head adds "
            "the characteristics to check first."
        )
        % {"item": item, "stage": Stage(stage).label}
    )


def _record(
    *,
    stage: str,
    user: User,
    order: Order,
    lot: Decimal,
    unit: str,
    standards: list[InspectionStandard],
    measurements: list[Measurement],
    links: dict[str, Any],
    quarantine_quantity: Decimal | None,
    nonconformity: str,
    note: str,
) -> Inspection:
    """Save the inspection, its measurements and, when a value fails, the nonconformance with
    the quarantined quantity. Writes the ledger. Runs inside the caller's transaction."""
    failed = [m for m in measurements if not m.passed]
    if quarantine_quantity is not None and quarantine_quantity > lot:
        raise Blocked(
            fields={
                "quarantine_quantity": [
                    _("At most the lot, %(lot)s %(unit)s, can be quarantined.")
                    % {"lot": lot, "unit": unit}
                ]
            }
        )
    inspection = Inspection.objects.create(
        number=next_document_number("QI", timezone.localdate()),
        stage=stage,
        order=order,
        quantity=lot,
        unit=unit,
        result=Result.FAILED if failed else Result.PASSED,
        note=note.strip(),
        inspected_by=user,
        **links,
    )
    for m in measurements:
        m.inspection = inspection
    Measurement.objects.bulk_create(measurements)
    base = {
        "inspection": inspection.pk,
        "number": inspection.number,
        "inspection_stage": stage,
        "quantity": str(lot),
    }
    if inspection.work_order_id:
        base["work_order"] = inspection.work_order.number  # type: ignore[union-attr]
    if inspection.rework_of_id:
        base["rework_of"] = inspection.rework_of.number  # type: ignore[union-attr]
    if not failed:
        _ledger(
            order,
            user=user,
            subject=inspection,
            kind=Kind.CREATED,
            event="inspection_passed",
            summary=_("%(stage)s %(number)s passed: %(item)s, %(qty)s %(unit)s")
            % {
                "stage": Stage(stage).label,
                "number": inspection.number,
                "item": inspection.item_name,
                "qty": lot,
                "unit": unit,
            },
            body=inspection.note,
            data=base,
        )
        return inspection
    quarantined = quarantine_quantity if quarantine_quantity is not None else lot
    outside = "; ".join(
        f"{m.characteristic} {m.value.normalize():f} ({m.limits_display})" for m in failed
    )
    nc = Nonconformance.objects.create(
        number=next_document_number("NC", timezone.localdate()),
        inspection=inspection,
        order=order,
        quantity=quarantined,
        description=nonconformity.strip()
        or _("Out of tolerance: %(values)s") % {"values": outside},
    )
    summary = _(
        "%(stage)s %(number)s failed: %(item)s, %(values)s. %(qty)s %(unit)s quarantined (%(nc)s)"
    ) % {
        "stage": Stage(stage).label,
        "number": inspection.number,
        "item": inspection.item_name,
        "values": outside,
        "qty": quarantined,
        "unit": unit,
        "nc": nc.number,
    }
    _ledger(
        order,
        user=user,
        subject=inspection,
        kind=Kind.CREATED,
        event="inspection_failed",
        summary=summary,
        body=nc.description,
        data={
            **base,
            "nonconformance": nc.number,
            "quarantined": str(quarantined),
            "failed": [m.characteristic for m in failed],
        },
    )
    _notify_later(
        [order.clerk, *_quality_heads()],
        summary,
        nc.get_absolute_url(),
    )
    return inspection


def _quality_heads() -> list[User]:
    from gendan.accounts.models import Role

    return list(
        User.objects.filter(
            departments__code=permissions.QUALITY, role=Role.HEAD, is_active=True
        ).order_by("pk")
    )


def _check_inspector(user: User) -> None:
    if not permissions.can_inspect(user):
        raise NotPermitted(_("Only the quality department records inspections."))


def inspect_receipt(
    *,
    receipt: Receipt,
    user: User,
    values: Mapping[Any, Any],
    quarantine_quantity: Decimal | str | None = None,
    nonconformity: str = "",
    note: str = "",
) -> Inspection:
    """Incoming inspection of material held on arrival. What passes (or is not quarantined)
    becomes usable stock reserved for the customer order; the quarantined part stays out."""
    _check_inspector(user)
    errors: dict[str, list[str]] = {}
    quarantine = _quantity(quarantine_quantity, "quarantine_quantity", errors)
    if errors:
        raise Blocked(fields=errors)
    with transaction.atomic():
        hold = (
            ReceiptHold.objects.select_for_update()
            .select_related("receipt__line__material", "receipt__line__purchase_order__order")
            .filter(receipt=receipt)
            .first()
        )
        if hold is None:
            raise Blocked(
                _(
                    "This receipt was not held for inspection (its material had no incoming "
                    "standard when it arrived); it is already in stock."
                )
            )
        if Inspection.objects.filter(receipt=receipt, rework_of__isnull=True).exists():
            raise Blocked(_("This receipt has already been inspected."))
        material = hold.receipt.line.material
        standards = standards_for(stage=Stage.INCOMING, material=material)
        if not standards:
            raise _no_standards(material, Stage.INCOMING)
        measurements = _measure(standards, values)
        inspection = _record(
            stage=Stage.INCOMING,
            user=user,
            order=hold.receipt.line.purchase_order.order,
            lot=hold.quantity,
            unit=material.unit,
            standards=standards,
            measurements=measurements,
            links={"receipt": hold.receipt, "material": material},
            quarantine_quantity=quarantine,
            nonconformity=nonconformity,
            note=note,
        )
        _release_material(hold, inspection.released_quantity)
    return inspection


def inspect_progress(
    *,
    progress_report: ProgressReport,
    user: User,
    values: Mapping[Any, Any],
    quantity: Decimal | str | None = None,
    quarantine_quantity: Decimal | str | None = None,
    nonconformity: str = "",
    note: str = "",
) -> Inspection:
    """In-process inspection of what a progress report made (default lot: its good quantity).
    A failure quarantines goods and, until decided, keeps the work order from finishing."""
    _check_inspector(user)
    errors: dict[str, list[str]] = {}
    lot = _quantity(quantity, "quantity", errors)
    quarantine = _quantity(quarantine_quantity, "quarantine_quantity", errors)
    if errors:
        raise Blocked(fields=errors)
    with transaction.atomic():
        work_order = (
            WorkOrder.objects.select_for_update(of=("self",))
            .select_related("order", "product", "order_line")
            .get(pk=progress_report.work_order_id)
        )
        report = ProgressReport.objects.get(pk=progress_report.pk)
        if work_order.status == WorkOrderStatus.DONE and not report.finished:
            raise Blocked(
                _(
                    "Work order %(wo)s is finished and its goods have moved on: inspect them in "
                    "the final inspection."
                )
                % {"wo": work_order.number}
            )
        if Inspection.objects.filter(progress_report=report, rework_of__isnull=True).exists():
            raise Blocked(_("This progress report has already been inspected."))
        lot = lot if lot is not None else report.good_quantity
        if lot <= 0:
            raise Blocked(
                fields={"quantity": [_("The report made no good goods: enter the lot inspected.")]}
            )
        standards = standards_for(stage=Stage.IN_PROCESS, product=work_order.product)
        if not standards:
            raise _no_standards(work_order.product, Stage.IN_PROCESS)
        measurements = _measure(standards, values)
        return _record(
            stage=Stage.IN_PROCESS,
            user=user,
            order=work_order.order,
            lot=lot,
            unit=work_order.unit,
            standards=standards,
            measurements=measurements,
            links={
                "progress_report": report,
                "work_order": work_order,
                "order_line": work_order.order_line,
                "product": work_order.product,
            },
            quarantine_quantity=quarantine,
            nonconformity=nonconformity,
            note=note,
        )


def uninspected_final_quantity(work_order: WorkOrder) -> Decimal:
    """Good goods of a (last) work order not yet in a final inspection."""
    inspected = (
        Inspection.objects.filter(
            work_order=work_order, stage=Stage.FINAL, rework_of__isnull=True
        ).aggregate(t=Sum("quantity"))["t"]
        or ZERO
    )
    return max(work_order.good_quantity - inspected, ZERO)


def inspect_final(
    *,
    work_order: WorkOrder,
    user: User,
    values: Mapping[Any, Any],
    quantity: Decimal | str | None = None,
    quarantine_quantity: Decimal | str | None = None,
    nonconformity: str = "",
    note: str = "",
) -> Inspection:
    """Final inspection of finished goods of an order line's last work order, before
    warehousing (default lot: everything made and not yet inspected)."""
    _check_inspector(user)
    errors: dict[str, list[str]] = {}
    lot = _quantity(quantity, "quantity", errors)
    quarantine = _quantity(quarantine_quantity, "quarantine_quantity", errors)
    if errors:
        raise Blocked(fields=errors)
    with transaction.atomic():
        locked = (
            WorkOrder.objects.select_for_update(of=("self",))
            .select_related("order", "product", "order_line")
            .get(pk=work_order.pk)
        )
        last = final_work_order(locked.order_line)
        if last is None or last.pk != locked.pk:
            raise Blocked(
                _(
                    "%(wo)s is not the last operation of its order line: finished goods are "
                    "inspected on %(last)s."
                )
                % {"wo": locked.number, "last": last.number if last else "—"}
            )
        open_quantity = uninspected_final_quantity(locked)
        if open_quantity <= 0:
            raise Blocked(
                _("Nothing of %(wo)s waits for final inspection: report the goods made first.")
                % {"wo": locked.number}
            )
        lot = lot if lot is not None else open_quantity
        if lot > open_quantity:
            raise Blocked(
                fields={
                    "quantity": [
                        _("Only %(open)s %(unit)s of %(wo)s wait for final inspection.")
                        % {"open": open_quantity, "unit": locked.unit, "wo": locked.number}
                    ]
                }
            )
        standards = standards_for(stage=Stage.FINAL, product=locked.product)
        if not standards:
            raise _no_standards(locked.product, Stage.FINAL)
        measurements = _measure(standards, values)
        return _record(
            stage=Stage.FINAL,
            user=user,
            order=locked.order,
            lot=lot,
            unit=locked.unit,
            standards=standards,
            measurements=measurements,
            links={
                "work_order": locked,
                "order_line": locked.order_line,
                "product": locked.product,
            },
            quarantine_quantity=quarantine,
            nonconformity=nonconformity,
            note=note,
        )


def reinspect_rework(
    *,
    nonconformance: Nonconformance,
    user: User,
    values: Mapping[Any, Any],
    quarantine_quantity: Decimal | str | None = None,
    nonconformity: str = "",
    note: str = "",
) -> Inspection:
    """Inspect reworked goods again, against the same stage's standards. The nonconformance
    closes either way; if the goods fail again a new nonconformance holds them."""
    _check_inspector(user)
    errors: dict[str, list[str]] = {}
    quarantine = _quantity(quarantine_quantity, "quarantine_quantity", errors)
    if errors:
        raise Blocked(fields=errors)
    with transaction.atomic():
        nc = (
            Nonconformance.objects.select_for_update(of=("self",))
            .select_related("inspection", "order")
            .get(pk=nonconformance.pk)
        )
        if nc.status != NCStatus.REWORK:
            raise Blocked(
                _("%(nc)s is %(status)s: only goods sent to rework are inspected again.")
                % {"nc": nc.number, "status": nc.get_status_display()}
            )
        first = nc.inspection
        if first.material_id is not None:
            standards = standards_for(stage=first.stage, material=first.material)
        else:
            standards = standards_for(stage=first.stage, product=first.product)
        if not standards:
            raise _no_standards(first.item_name, first.stage)
        measurements = _measure(standards, values)
        inspection = _record(
            stage=first.stage,
            user=user,
            order=nc.order,
            lot=nc.quantity,
            unit=first.unit,
            standards=standards,
            measurements=measurements,
            links={
                "rework_of": nc,
                "receipt": first.receipt,
                "progress_report": first.progress_report,
                "work_order": first.work_order,
                "order_line": first.order_line,
                "product": first.product,
                "material": first.material,
            },
            quarantine_quantity=quarantine,
            nonconformity=nonconformity,
            note=note,
        )
        nc.status = NCStatus.CLOSED
        nc.closed_at = timezone.now()
        nc.save(update_fields=["status", "closed_at"])
        if first.receipt_id is not None:
            hold = ReceiptHold.objects.select_for_update().get(receipt_id=first.receipt_id)
            _release_material(hold, inspection.released_quantity)
    return inspection


# --- nonconformance disposition ------------------------------------------------------------


def decide_nonconformance(
    *,
    nonconformance: Nonconformance,
    user: User,
    disposition: Disposition | str,
    cause: str,
    corrective_action: str,
) -> Nonconformance:
    """Decide what happens to quarantined goods, with cause and corrective action: rework
    (inspected again afterwards), scrap, or concession (use as is; only the quality head).
    Scrap and concession close the nonconformance; a concession releases the goods."""
    if disposition not in Disposition.values:
        raise Blocked(fields={"disposition": [_("Choose rework, scrap or concession.")]})
    if disposition == Disposition.CONCESSION:
        if not permissions.can_grant_concession(user):
            raise NotPermitted(_("Only the quality head approves a concession."))
    elif not permissions.can_decide(user):
        raise NotPermitted(_("Only the quality department decides on nonconforming goods."))
    errors: dict[str, list[str]] = {}
    if not cause.strip():
        errors["cause"] = [_("Say what caused the nonconformity.")]
    if not corrective_action.strip():
        errors["corrective_action"] = [_("Say what is done so that it does not happen again.")]
    if errors:
        raise Blocked(fields=errors)
    with transaction.atomic():
        nc = (
            Nonconformance.objects.select_for_update(of=("self",))
            .select_related("inspection", "order")
            .get(pk=nonconformance.pk)
        )
        if nc.status != NCStatus.OPEN:
            raise Blocked(
                _("%(nc)s has already been decided (%(disposition)s).")
                % {"nc": nc.number, "disposition": nc.get_disposition_display()}
            )
        before = nc.get_status_display()
        nc.disposition = disposition
        nc.cause = cause.strip()
        nc.corrective_action = corrective_action.strip()
        nc.decided_by = user
        nc.decided_at = timezone.now()
        if disposition == Disposition.REWORK:
            nc.status = NCStatus.REWORK
        else:
            nc.status = NCStatus.CLOSED
            nc.closed_at = nc.decided_at
        nc.save(
            update_fields=[
                "disposition",
                "cause",
                "corrective_action",
                "decided_by",
                "decided_at",
                "status",
                "closed_at",
            ]
        )
        if disposition == Disposition.CONCESSION and nc.inspection.receipt_id is not None:
            hold = ReceiptHold.objects.select_for_update().get(receipt_id=nc.inspection.receipt_id)
            _release_material(hold, nc.quantity)
        summary = _("%(nc)s: %(qty)s %(unit)s to %(disposition)s") % {
            "nc": nc.number,
            "qty": nc.quantity,
            "unit": nc.inspection.unit,
            "disposition": Disposition(disposition).label,
        }
        _ledger(
            nc.order,
            user=user,
            subject=nc,
            event="nonconformance_decided",
            summary=summary,
            body=_("Cause: %(cause)s\nCorrective action: %(action)s")
            % {"cause": nc.cause, "action": nc.corrective_action},
            changes={"status": [str(before), str(nc.get_status_display())]},
            data={
                "nonconformance": nc.number,
                "inspection": nc.inspection_id,
                "disposition": str(disposition),
                "quantity": str(nc.quantity),
                "closed": nc.status == NCStatus.CLOSED,
            },
        )
        _notify_later([nc.order.clerk], summary, nc.get_absolute_url())
    return nc
