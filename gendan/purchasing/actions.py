"""Every change in purchasing goes through one of these functions (web, API, CLI and jobs).

Each runs in one transaction, locks the rows it changes, checks the rule, saves, writes a
ledger entry on the customer order and notifies people after the commit. On any error
nothing has changed.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from functools import partial
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import Department, Role, User
from gendan.core.errors import Blocked, NotPermitted
from gendan.ledger.models import Kind
from gendan.ledger.record import record_step
from gendan.notifications.actions import notify_on_commit
from gendan.orders.actions import route_order
from gendan.orders.models import Order
from gendan.orders.status import Priority, Status
from gendan.purchasing import permissions
from gendan.purchasing.models import (
    IncidentKind,
    IncidentStatus,
    Material,
    MaterialReservation,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    Receipt,
    Supplier,
    SupplierIncident,
    SupplierPrice,
)
from gendan.purchasing.numbering import next_document_number
from gendan.purchasing.planning import PlanLine, purchase_plan, reserved_quantities
from gendan.purchasing.proposal import Candidate, rank_suppliers

ZERO = Decimal("0")
MILLI = Decimal("0.001")

#: Order statuses in which materials are bought for an order. Emergency orders may buy from
#: the department review on (seed 001: procurement expedites at once).
BUYING_STATUSES = frozenset({Status.CONFIRMED, Status.IN_EXECUTION})
EMERGENCY_BUYING_STATUSES = BUYING_STATUSES | {Status.DEPARTMENT_REVIEW, Status.CONTRACT}


def _emergency_hours() -> int:
    """The emergency deadline in hours (seed 001), from the business settings."""
    return cast(int, settings.GENDAN["EMERGENCY_DEFAULT_HOURS"])


_ledger = partial(record_step, "purchasing")


def _procurement() -> Department | None:
    return Department.objects.filter(code=permissions.PROCUREMENT).first()


def _procurement_heads() -> list[User]:
    return list(
        User.objects.filter(
            departments__code=permissions.PROCUREMENT, role=Role.HEAD, is_active=True
        )
    )


_notify_later = notify_on_commit


def _positive(value: Any, name: str, message: str) -> Decimal:
    try:
        quantity = Decimal(str(value)).quantize(MILLI)
    except ArithmeticError:
        raise Blocked(fields={name: [message]}) from None
    if quantity <= 0:
        raise Blocked(fields={name: [message]})
    return quantity


def _reserve(order: Order, material: Material, quantity: Decimal) -> None:
    reservation, _created = MaterialReservation.objects.select_for_update().get_or_create(
        order=order, material=material
    )
    reservation.quantity = F("quantity") + quantity
    reservation.save(update_fields=["quantity", "updated_at"])


# --- committing the purchase plan ----------------------------------------------------------


def create_purchase_orders(
    *,
    order: Order,
    user: User,
    supplier_overrides: Mapping[int, Supplier] | None = None,
    today: dt.date | None = None,
) -> list[PurchaseOrder]:
    """Commit the order's purchase plan: reserve what free stock covers and place one purchase
    order per supplier for the rest, each line expected after the supplier's lead time in
    working days.

    `supplier_overrides` maps a material id to the supplier the buyer chose instead of the
    proposed one (it must quote the material).
    """
    if not permissions.can_buy(user):
        raise NotPermitted(_("Only procurement may place purchase orders."))
    today = today or timezone.localdate()
    overrides = dict(supplier_overrides or {})
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        allowed = (
            EMERGENCY_BUYING_STATUSES if locked.priority == Priority.EMERGENCY else BUYING_STATUSES
        )
        if locked.status not in allowed:
            raise Blocked(
                _(
                    "Materials are bought for confirmed orders in execution; order %(number)s is "
                    "%(status)s."
                )
                % {"number": locked.number, "status": locked.get_status_display()}
            )
        material_ids = list(
            locked.lines.values_list("product__bom_lines__material", flat=True).distinct()
        )
        # Lock the materials first so that two plans cannot reserve the same free stock.
        list(Material.objects.select_for_update().filter(pk__in=[m for m in material_ids if m]))
        plan = purchase_plan(locked, today=today)
        if plan.products_without_bom and not plan.lines:
            raise Blocked(
                _("No bill of materials for %(products)s: add one in the master data first.")
                % {"products": ", ".join(p.code for p in plan.products_without_bom)}
            )
        choices = _choose_suppliers(plan.lines_to_buy, overrides, today, plan.need_by)
        reserved = [line for line in plan.lines if line.from_stock > 0]
        if not choices and not reserved:
            raise Blocked(
                _(
                    "Nothing to buy for order %(number)s: stock and open purchase orders already "
                    "cover every material."
                )
                % {"number": locked.number}
            )
        for line in reserved:
            _reserve(locked, line.material, line.from_stock)
        if reserved:
            _ledger(
                locked,
                user=user,
                subject=locked,
                event="stock_reserved",
                summary=_("Stock reserved: %(items)s")
                % {
                    "items": ", ".join(
                        f"{line.material.code} {line.from_stock} {line.material.unit}"
                        for line in reserved
                    )
                },
                data={"materials": {line.material.code: str(line.from_stock) for line in reserved}},
            )
        purchase_orders = _place(locked, user, today, choices)
        procurement = _procurement()
        if procurement is not None:
            route_order(locked, procurement)
    for po in purchase_orders:
        _notify_later(
            [order.clerk] if order.clerk_id != user.pk else [],
            _("Purchase order %(po)s placed for order %(number)s, expected %(date)s")
            % {"po": po.number, "number": order.number, "date": po.expected_date},
            po.get_absolute_url(),
        )
    return purchase_orders


def _choose_suppliers(
    lines: list[PlanLine],
    overrides: Mapping[int, Supplier],
    today: dt.date,
    need_by: dt.date,
) -> list[tuple[PlanLine, Candidate]]:
    chosen, errors = [], []
    for line in lines:
        candidate = line.proposed
        override = overrides.get(line.material.pk)
        if override is not None:
            price = SupplierPrice.objects.filter(
                material=line.material, supplier=override
            ).select_related("supplier")
            ranked = rank_suppliers(line.material, today=today, need_by=need_by, prices=list(price))
            if not ranked:
                errors.append(
                    _(
                        "%(supplier)s has no price for %(material)s: add one or choose another "
                        "supplier."
                    )
                    % {"supplier": override, "material": line.material}
                )
                continue
            candidate = ranked[0]
        if candidate is None:
            errors.append(
                _("No supplier quotes %(material)s: add a supplier price first.")
                % {"material": line.material}
            )
            continue
        chosen.append((line, candidate))
    if errors:
        raise Blocked(fields={"suppliers": errors})
    return chosen


def _place(
    order: Order, user: User, today: dt.date, choices: list[tuple[PlanLine, Candidate]]
) -> list[PurchaseOrder]:
    by_supplier: dict[int, list[tuple[PlanLine, Candidate]]] = defaultdict(list)
    for line, candidate in choices:
        by_supplier[candidate.supplier.pk].append((line, candidate))
    placed = []
    for items in by_supplier.values():
        supplier = items[0][1].supplier
        po = PurchaseOrder.objects.create(
            number=next_document_number("PO", today),
            order=order,
            supplier=supplier,
            order_date=today,
            expected_date=max(candidate.arrival for _line, candidate in items),
            buyer=user,
        )
        rows = [
            PurchaseOrderLine(
                purchase_order=po,
                material=line.material,
                quantity=max(line.to_buy, candidate.min_order_quantity),
                unit_price=candidate.unit_price,
                promised_date=candidate.arrival,
                expected_date=candidate.arrival,
            )
            for line, candidate in items
        ]
        PurchaseOrderLine.objects.bulk_create(rows)
        _ledger(
            order,
            user=user,
            subject=po,
            kind=Kind.CREATED,
            event="purchase_order_placed",
            summary=_("Purchase order %(po)s placed with %(supplier)s, expected %(date)s")
            % {"po": po.number, "supplier": supplier.name, "date": po.expected_date},
            data={
                "purchase_order": po.number,
                "supplier": supplier.code,
                "expected_date": po.expected_date.isoformat(),
                "lines": [
                    {
                        "material": row.material.code,
                        "quantity": str(row.quantity),
                        "unit_price": str(row.unit_price),
                        "expected_date": row.expected_date.isoformat(),
                    }
                    for row in rows
                ],
            },
        )
        placed.append(po)
    return placed


# --- receipts, date changes, cancellation --------------------------------------------------


def _refresh_status(po: PurchaseOrder) -> None:
    lines = list(po.lines.all())
    if all(line.open_quantity == 0 for line in lines):
        received_any = any(line.received_quantity > 0 for line in lines)
        po.status = PurchaseOrderStatus.RECEIVED if received_any else PurchaseOrderStatus.CANCELLED
    elif any(line.received_quantity > 0 for line in lines):
        po.status = PurchaseOrderStatus.PARTIAL
    else:
        po.status = PurchaseOrderStatus.OPEN
    po.expected_date = max(line.expected_date for line in lines)
    po.save(update_fields=["status", "expected_date", "updated_at"])


def receive(
    *,
    line: PurchaseOrderLine,
    user: User,
    quantity: Decimal | str,
    received_on: dt.date | None = None,
    delivery_note: str = "",
    note: str = "",
) -> Receipt:
    """Goods arrived against a purchase order line, all or part of the open quantity. The
    stock goes up and is reserved for the customer order the line was bought for."""
    if not permissions.can_receive(user):
        raise NotPermitted(_("Only procurement and the warehouse may record receipts."))
    amount = _positive(quantity, "quantity", _("Enter the quantity received (more than 0)."))
    today = timezone.localdate()
    received_on = received_on or today
    if received_on > today:
        raise Blocked(fields={"received_on": [_("A receipt cannot be dated in the future.")]})
    with transaction.atomic():
        locked = PurchaseOrderLine.objects.select_for_update().get(pk=line.pk)
        po = PurchaseOrder.objects.select_for_update().get(pk=locked.purchase_order_id)
        if not po.is_open:
            raise Blocked(
                _("Purchase order %(po)s is %(status)s: nothing more can be received on it.")
                % {"po": po.number, "status": po.get_status_display()}
            )
        if received_on < po.order_date:
            raise Blocked(
                fields={"received_on": [_("The goods cannot arrive before the order date.")]}
            )
        if amount > locked.open_quantity:
            raise Blocked(
                fields={
                    "quantity": [
                        _(
                            "Only %(open)s %(unit)s are still open on this line; record the "
                            "surplus with the supplier first."
                        )
                        % {"open": locked.open_quantity, "unit": locked.material.unit}
                    ]
                }
            )
        receipt = Receipt.objects.create(
            line=locked,
            quantity=amount,
            received_on=received_on,
            received_by=user,
            delivery_note=delivery_note.strip(),
            note=note.strip(),
        )
        locked.received_quantity += amount
        if locked.open_quantity == 0:
            locked.completed_on = received_on
        locked.save(update_fields=["received_quantity", "completed_on"])
        # Quality (E4): material with incoming inspection standards waits for its inspection
        # outside usable stock; the inspection releases what passes (gendan/quality/hooks.py).
        from gendan.quality.hooks import held_for_inspection

        usable = amount - held_for_inspection(receipt)
        material = Material.objects.select_for_update().get(pk=locked.material_id)
        material.stock_on_hand += usable
        material.save(update_fields=["stock_on_hand"])
        _reserve(po.order, material, usable)
        _refresh_status(po)
        late = received_on > locked.promised_date
        summary = _(
            "Received %(qty)s %(unit)s %(material)s on %(po)s (%(received)s of %(ordered)s)"
        ) % {
            "qty": amount,
            "unit": material.unit,
            "material": material.name,
            "po": po.number,
            "received": locked.received_quantity,
            "ordered": locked.quantity,
        }
        if late:
            summary += " · " + _("late, promised %(date)s") % {"date": locked.promised_date}
        _ledger(
            po.order,
            user=user,
            subject=receipt,
            event="goods_received",
            summary=summary,
            body=receipt.note,
            data={
                "purchase_order": po.number,
                "material": material.code,
                "quantity": str(amount),
                "received_on": received_on.isoformat(),
                "complete": locked.open_quantity == 0,
                "late": late,
            },
        )
        order = po.order
        _notify_later(
            [po.buyer if po.buyer_id != user.pk else None, order.clerk],
            summary,
            po.get_absolute_url(),
        )
    return receipt


def change_expected_date(
    *, line: PurchaseOrderLine, user: User, expected_date: dt.date, reason: str
) -> PurchaseOrderLine:
    """The supplier announced another arrival date. The promised date stays for the on-time
    rate; the plan reads the new expected date."""
    if not permissions.can_buy(user):
        raise NotPermitted(_("Only procurement may change purchase orders."))
    if not reason.strip():
        raise Blocked(fields={"reason": [_("Say why the date moves (e.g. the supplier's note).")]})
    with transaction.atomic():
        locked = PurchaseOrderLine.objects.select_for_update().get(pk=line.pk)
        po = PurchaseOrder.objects.select_for_update().get(pk=locked.purchase_order_id)
        if not po.is_open or locked.open_quantity == 0:
            raise Blocked(_("Nothing is open on this line any more."))
        if expected_date < po.order_date:
            raise Blocked(fields={"expected_date": [_("The new date is before the order date.")]})
        before = locked.expected_date
        if before == expected_date:
            return locked
        locked.expected_date = expected_date
        locked.save(update_fields=["expected_date"])
        _refresh_status(po)
        _ledger(
            po.order,
            user=user,
            subject=po,
            event="expected_date_changed",
            summary=_("%(po)s %(material)s now expected %(after)s (was %(before)s)")
            % {
                "po": po.number,
                "material": locked.material.name,
                "after": expected_date,
                "before": before,
            },
            body=reason.strip(),
            changes={"expected_date": [before.isoformat(), expected_date.isoformat()]},
            data={"purchase_order": po.number, "material": locked.material.code},
        )
        if expected_date > before:
            order = po.order
            _notify_later(
                [order.clerk],
                _("Material for order %(number)s delayed to %(date)s: %(material)s")
                % {"number": order.number, "date": expected_date, "material": locked.material},
                po.get_absolute_url(),
            )
    return locked


def cancel_purchase_order(
    *, purchase_order: PurchaseOrder, user: User, reason: str
) -> PurchaseOrder:
    """Cancel what is still open on a purchase order (goods already received stay)."""
    if not permissions.can_buy(user):
        raise NotPermitted(_("Only procurement may cancel purchase orders."))
    if not reason.strip():
        raise Blocked(fields={"reason": [_("Give the reason for cancelling.")]})
    with transaction.atomic():
        po = PurchaseOrder.objects.select_for_update().get(pk=purchase_order.pk)
        if not po.is_open:
            raise Blocked(
                _("Purchase order %(po)s is already %(status)s.")
                % {"po": po.number, "status": po.get_status_display()}
            )
        cancelled = {}
        for line in po.lines.select_for_update(of=("self",)).select_related("material"):
            if line.open_quantity > 0:
                cancelled[line.material.code] = str(line.open_quantity)
                line.cancelled_quantity += line.open_quantity
                line.save(update_fields=["cancelled_quantity"])
        before = po.get_status_display()
        _refresh_status(po)
        _ledger(
            po.order,
            user=user,
            subject=po,
            event="purchase_order_cancelled",
            summary=_("Purchase order %(po)s cancelled: %(items)s")
            % {"po": po.number, "items": ", ".join(f"{k} {v}" for k, v in cancelled.items())},
            body=reason.strip(),
            changes={"status": [str(before), str(po.get_status_display())]},
            data={"purchase_order": po.number, "cancelled": cancelled},
        )
    return po


def issue_material(
    *, order: Order, material: Material, user: User, quantity: Decimal | str, note: str = ""
) -> Material:
    """Hand material to production for an order: stock goes down, the order's reservation too.
    Free stock may make up what the reservation does not cover."""
    if not permissions.can_issue_material(user):
        raise NotPermitted(_("Only the warehouse and procurement may issue material."))
    amount = _positive(quantity, "quantity", _("Enter the quantity issued (more than 0)."))
    with transaction.atomic():
        locked = Material.objects.select_for_update().get(pk=material.pk)
        reservation = (
            MaterialReservation.objects.select_for_update()
            .filter(order=order, material=locked)
            .first()
        )
        reserved = reservation.quantity if reservation else ZERO
        reserved_all = reserved_quantities([locked.pk]).get(locked.pk, ZERO)
        free = max(locked.stock_on_hand - reserved_all, ZERO)
        if amount > reserved + free:
            raise Blocked(
                fields={
                    "quantity": [
                        _(
                            "Only %(available)s %(unit)s are available for this order "
                            "(%(reserved)s reserved, %(free)s free)."
                        )
                        % {
                            "available": reserved + free,
                            "unit": locked.unit,
                            "reserved": reserved,
                            "free": free,
                        }
                    ]
                }
            )
        locked.stock_on_hand -= amount
        locked.save(update_fields=["stock_on_hand"])
        if reservation is not None:
            reservation.quantity = max(reserved - amount, ZERO)
            reservation.save(update_fields=["quantity", "updated_at"])
        _ledger(
            order,
            user=user,
            subject=locked,
            event="material_issued",
            summary=_("Issued %(qty)s %(unit)s %(material)s to production")
            % {"qty": amount, "unit": locked.unit, "material": locked.name},
            body=note.strip(),
            data={"material": locked.code, "quantity": str(amount)},
        )
    return locked


# --- supplier incidents --------------------------------------------------------------------


def report_supplier_incident(
    *,
    supplier: Supplier,
    user: User,
    kind: IncidentKind | str,
    description: str,
    purchase_order: PurchaseOrder | None = None,
) -> SupplierIncident:
    """Log a supplier delay, quality problem or wrong delivery. On a purchase order, the
    customer order's ledger shows it."""
    if not permissions.can_report_incident(user):
        raise NotPermitted(_("Your role may not report supplier incidents."))
    errors: dict[str, list[str]] = {}
    if kind not in IncidentKind.values:
        errors["kind"] = [_("Choose what kind of problem it is.")]
    if not description.strip():
        errors["description"] = [_("Describe what happened.")]
    if purchase_order is not None and purchase_order.supplier_id != supplier.pk:
        errors["purchase_order"] = [_("This purchase order is with another supplier.")]
    if errors:
        raise Blocked(fields=errors)
    order = purchase_order.order if purchase_order is not None else None
    with transaction.atomic():
        incident = SupplierIncident.objects.create(
            supplier=supplier,
            purchase_order=purchase_order,
            order=order,
            kind=kind,
            description=description.strip(),
            reported_by=user,
        )
        summary = _("Supplier incident (%(kind)s) with %(supplier)s") % {
            "kind": incident.get_kind_display(),
            "supplier": supplier.name,
        }
        if purchase_order is not None:
            summary += f" · {purchase_order.number}"
        _ledger(
            order,
            user=user,
            subject=incident,
            event="supplier_incident",
            summary=summary,
            body=incident.description,
            data={"incident": incident.pk, "kind": incident.kind, "supplier": supplier.code},
        )
        url = purchase_order.get_absolute_url() if purchase_order else supplier.get_absolute_url()
        _notify_later([*_procurement_heads(), order.clerk if order else None], summary, url)
    return incident


def handle_incident(
    *, incident: SupplierIncident, user: User, handling: str, resolve: bool = False
) -> SupplierIncident:
    """Record what was done about an incident; `resolve` closes it."""
    if not permissions.can_report_incident(user):
        raise NotPermitted(_("Your role may not handle supplier incidents."))
    if not handling.strip():
        raise Blocked(fields={"handling": [_("Describe what was done.")]})
    with transaction.atomic():
        locked = SupplierIncident.objects.select_for_update().get(pk=incident.pk)
        if locked.status == IncidentStatus.RESOLVED:
            raise Blocked(_("The incident is already resolved."))
        before = locked.handling
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        entry = f"[{stamp} {user}] {handling.strip()}"
        locked.handling = f"{before}\n{entry}" if before else entry
        fields = ["handling"]
        if resolve:
            locked.status = IncidentStatus.RESOLVED
            locked.resolved_by = user
            locked.resolved_at = timezone.now()
            fields += ["status", "resolved_by", "resolved_at"]
        locked.save(update_fields=fields)
        summary = (
            _("Supplier incident resolved: %(supplier)s")
            if resolve
            else _("Supplier incident handling noted: %(supplier)s")
        ) % {"supplier": locked.supplier.name}
        _ledger(
            locked.order,
            user=user,
            subject=locked,
            event="supplier_incident_resolved" if resolve else "supplier_incident_handled",
            summary=summary,
            body=handling.strip(),
            data={"incident": locked.pk},
        )
    return locked


def escalate_incident(
    *, incident: SupplierIncident, user: User, note: str = ""
) -> SupplierIncident:
    """Hand an incident to the procurement head as a task (due in one working day, or in the
    emergency hours for an emergency order)."""
    from gendan.tasks.actions import due_at_for, open_task

    if not permissions.can_report_incident(user):
        raise NotPermitted(_("Your role may not escalate supplier incidents."))
    with transaction.atomic():
        locked = SupplierIncident.objects.select_for_update().get(pk=incident.pk)
        if locked.status != IncidentStatus.OPEN:
            raise Blocked(
                _("The incident is already %(status)s.") % {"status": locked.get_status_display()}
            )
        order = locked.order
        emergency = order is not None and order.priority == Priority.EMERGENCY
        heads = _procurement_heads()
        procurement = _procurement()
        title = _("Supplier incident to decide: %(kind)s, %(supplier)s") % {
            "kind": locked.get_kind_display(),
            "supplier": locked.supplier.name,
        }
        # The task is opened on behalf of the escalating user; the escalation entry below
        # names them in the ledger.
        task = open_task(
            user=None,
            title=title,
            due_at=(
                due_at_for(hours=_emergency_hours()) if emergency else due_at_for(working_days=1)
            ),
            due_in_hours=emergency,
            order=order,
            department=procurement,
            assignee=heads[0] if heads else None,
            description="\n\n".join(filter(None, [locked.description, note.strip()])),
            kind="supplier_escalation",
        )
        locked.status = IncidentStatus.ESCALATED
        locked.escalation_task = task
        locked.escalated_at = timezone.now()
        locked.save(update_fields=["status", "escalation_task", "escalated_at"])
        _ledger(
            order,
            user=user,
            subject=locked,
            event="supplier_incident_escalated",
            summary=_("Supplier incident escalated to the procurement head: %(supplier)s")
            % {"supplier": locked.supplier.name},
            body=note.strip(),
            changes={"status": [str(IncidentStatus.OPEN.label), str(locked.get_status_display())]},
            data={"incident": locked.pk, "task": task.pk},
        )
    return locked


# --- late purchase orders ------------------------------------------------------------------


def report_late_purchase_lines(*, today: dt.date | None = None) -> int:
    """Flag open purchase order lines whose expected date has passed: one ledger entry and
    one notification (buyer, clerk) per line and expected date. Safe to run as often as
    wanted; a line whose date is moved is reported again when the new date passes."""
    today = today or timezone.localdate()
    late = (
        PurchaseOrderLine.objects.late(today)
        .exclude(late_reported_for=F("expected_date"))
        .select_related("purchase_order__order__clerk", "purchase_order__buyer", "material")
    )
    count = 0
    for line in late:
        with transaction.atomic():
            claimed = (
                PurchaseOrderLine.objects.filter(pk=line.pk)
                .exclude(late_reported_for=F("expected_date"))
                .update(late_reported_for=F("expected_date"))
            )
            if not claimed:
                continue
            po = line.purchase_order
            days = (today - line.expected_date).days
            summary = _(
                "Purchase order %(po)s late: %(open)s %(unit)s %(material)s expected %(date)s "
                "(%(days)s days ago)"
            ) % {
                "po": po.number,
                "open": line.open_quantity,
                "unit": line.material.unit,
                "material": line.material.name,
                "date": line.expected_date,
                "days": days,
            }
            _ledger(
                po.order,
                user=None,
                subject=po,
                kind=Kind.SYSTEM,
                event="purchase_order_late",
                summary=summary,
                data={
                    "purchase_order": po.number,
                    "material": line.material.code,
                    "expected_date": line.expected_date.isoformat(),
                    "open_quantity": str(line.open_quantity),
                },
            )
            _notify_later([po.buyer, po.order.clerk], summary, po.get_absolute_url())
            count += 1
    return count


def adjust_stock(
    *, material: Material, user: User, counted: Decimal | str, reason: str
) -> Material:
    """Set the stock on hand to what a stocktake counted; the difference goes to the ledger
    (on the material, not an order)."""
    if not permissions.can_edit_purchasing_master_data(user):
        raise NotPermitted(_("Only procurement may correct stock."))
    errors: dict[str, list[str]] = {}
    try:
        quantity = Decimal(str(counted)).quantize(MILLI)
    except ArithmeticError:
        quantity = Decimal("-1")
    if quantity < 0:
        errors["counted"] = [_("Enter the counted quantity (0 or more).")]
    if not reason.strip():
        errors["reason"] = [_("Say why the stock is corrected (e.g. stocktake of 30 June).")]
    if errors:
        raise Blocked(fields=errors)
    with transaction.atomic():
        locked = Material.objects.select_for_update().get(pk=material.pk)
        before = locked.stock_on_hand
        if before == quantity:
            return locked
        locked.stock_on_hand = quantity
        locked.save(update_fields=["stock_on_hand"])
        _ledger(
            None,
            user=user,
            subject=locked,
            event="stock_adjusted",
            summary=_("Stock of %(material)s corrected: %(before)s → %(after)s %(unit)s")
            % {"material": locked.name, "before": before, "after": quantity, "unit": locked.unit},
            body=reason.strip(),
            changes={"stock_on_hand": [str(before), str(quantity)]},
        )
    return locked
