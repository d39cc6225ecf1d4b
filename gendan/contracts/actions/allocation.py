"""The allocation sheet 《订单分配表》 (E1): proposed from the order, edited, agreed in the
coordination meeting, then released as one task per department line."""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import Department, User
from gendan.contracts.models import Allocation, AllocationKind, AllocationLine, AllocationState
from gendan.core.errors import Blocked, NotPermitted, StaleVersion
from gendan.documents.actions import store_document
from gendan.documents.models import Category
from gendan.documents.titles import form_title
from gendan.ledger.models import Kind
from gendan.ledger.record import record
from gendan.orders.models import Order
from gendan.orders.permissions import can_edit_order
from gendan.orders.status import Status
from gendan.reviews.models import ReviewState
from gendan.reviews.selectors import current_reviews
from gendan.tasks.actions import open_task
from gendan.workdays.calendar import END_OF_WORKING_DAY

#: Statuses in which the allocation is made and released.
ALLOCATABLE = frozenset({Status.CONFIRMED, Status.IN_EXECUTION})


def _check_sales(user: User, order: Order) -> None:
    if not can_edit_order(user, order):
        raise NotPermitted(
            _("The allocation sheet is kept by the order's clerk or the sales head.")
        )


def _lock(allocation: Allocation, expected_version: int | None = None) -> Allocation:
    locked = (
        Allocation.objects.select_for_update(of=("self",))
        .select_related("order")
        .get(pk=allocation.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(
            _("The allocation sheet was changed by someone else while you were editing. Reload it.")
        )
    if locked.state != AllocationState.DRAFT:
        raise Blocked(_("The allocation sheet is released: it can no longer change."))
    return locked


def _review_output(order: Order, department: str, output: str) -> str:
    for review in current_reviews(order):
        if review.department.code == department and review.state == ReviewState.FILED:
            return str(review.outputs.get(output, ""))
    return ""


def _line_text(line: Any) -> str:
    size = " ".join(
        part
        for part in [
            f"{line.grammage}g/m²" if line.grammage else "",
            f"{line.width_mm}mm" if line.width_mm else "",
            line.specification,
        ]
        if part
    )
    text = f"{line.product.name} {size} \u00d7 {line.quantity} {line.get_unit_display()}"
    return text.replace("  ", " ")


def proposed_lines(order: Order) -> list[dict[str, Any]]:
    """Production by product line to its production department, materials to procurement,
    quality over the whole order, delivery to logistics; plans from the review reports."""
    delivery = order.promised_date or order.requested_date
    today = timezone.localdate()

    def before(days: int) -> dt.date:
        return max(today, delivery - dt.timedelta(days=days))

    lines = list(order.lines.select_related("product__line__production_department"))
    by_department: dict[Department, list[str]] = defaultdict(list)
    for line in lines:
        by_department[line.product.line.production_department].append(
            f"[{line.product.line.name}] {_line_text(line)}"
        )
    proposal: list[dict[str, Any]] = []
    plan = _review_output(order, "production", "production_plan")
    for department, texts in by_department.items():
        scope = "\n".join(texts) + (f"\n{_('Production plan')}: {plan}" if plan else "")
        proposal.append(
            {
                "kind": AllocationKind.PRODUCTION,
                "department": department,
                "scope": scope,
                "due_date": before(3),
                "owner": None,
            }
        )
    fixed = {
        d.code: d
        for d in Department.objects.filter(code__in=["procurement", "quality", "logistics"])
    }
    materials = "\n".join(_("Materials for: %(line)s") % {"line": _line_text(li)} for li in lines)
    purchase = _review_output(order, "procurement", "purchase_plan")
    quality_plan = _review_output(order, "quality", "quality_plan")
    extra = [
        (
            "procurement",
            AllocationKind.MATERIALS,
            materials + (f"\n{_('Purchase plan')}: {purchase}" if purchase else ""),
            before(10),
        ),
        (
            "quality",
            AllocationKind.QUALITY,
            _("Incoming, in-process and final inspection for the whole order.")
            + (f"\n{_('Quality plan')}: {quality_plan}" if quality_plan else ""),
            before(1),
        ),
        (
            "logistics",
            AllocationKind.LOGISTICS,
            _("Store and deliver to %(place)s by %(date)s.")
            % {"place": order.delivery_place, "date": delivery.isoformat()},
            delivery,
        ),
    ]
    for code, kind, scope, due in extra:
        if code in fixed:
            proposal.append(
                {
                    "kind": kind,
                    "department": fixed[code],
                    "scope": scope,
                    "due_date": due,
                    "owner": None,
                }
            )
    return proposal


def _write_lines(allocation: Allocation, lines: Sequence[Mapping[str, Any]]) -> None:
    allocation.lines.all().delete()
    AllocationLine.objects.bulk_create(
        AllocationLine(
            allocation=allocation,
            position=n,
            kind=line["kind"],
            department=line["department"],
            scope=line["scope"],
            owner=line.get("owner"),
            due_date=line["due_date"],
        )
        for n, line in enumerate(lines, start=1)
    )


def _snapshot(allocation: Allocation) -> list[str]:
    return [
        f"{line.department.code}: {line.scope} | {line.owner or '-'} | {line.due_date}"
        for line in allocation.lines.select_related("department", "owner")
    ]


def propose_allocation(*, order: Order, user: User) -> Allocation:
    _check_sales(user, order)
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status not in ALLOCATABLE:
            raise Blocked(
                _("The order is allocated once it is confirmed; it is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        if Allocation.objects.filter(order=locked).exists():
            raise Blocked(_("The allocation sheet is already proposed: edit it."))
        allocation = Allocation.objects.create(order=locked, created_by=user)
        lines = proposed_lines(locked)
        _write_lines(allocation, lines)
        record(
            order=locked,
            kind=Kind.CHANGED,
            actor=user,
            summary=_("Allocation sheet proposed: %(departments)s")
            % {"departments": ", ".join(str(line["department"]) for line in lines)},
            data={
                "event": "allocation.proposed",
                "allocation": allocation.pk,
                "lines": _snapshot(allocation),
            },
        )
    return allocation


def _clean_lines(raw: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    cleaned, errors = [], {}
    for index, line in enumerate(raw, start=1):
        department, scope = line.get("department"), str(line.get("scope") or "").strip()
        owner, due, kind = (
            line.get("owner"),
            line.get("due_date"),
            line.get("kind") or AllocationKind.OTHER,
        )
        if department is None and not scope and owner is None and due is None:
            continue
        problems = []
        if not isinstance(department, Department):
            problems.append(_("choose the department"))
        if not scope:
            problems.append(_("describe the work"))
        if not isinstance(due, dt.date):
            problems.append(_("give the due date"))
        if kind not in AllocationKind.values:
            problems.append(_("choose what is allocated"))
        if (
            owner is not None
            and isinstance(department, Department)
            and (not owner.is_active or department.pk not in owner.department_ids())
        ):
            problems.append(_("the owner must belong to the department"))
        if problems:
            errors[f"lines.{index}"] = [
                _("Line %(n)d: %(problems)s.") % {"n": index, "problems": "; ".join(problems)}
            ]
        cleaned.append(
            {
                "kind": kind,
                "department": department,
                "scope": scope,
                "owner": owner,
                "due_date": due,
            }
        )
    if not cleaned and not errors:
        errors["lines"] = [_("Allocate the order to at least one department.")]
    if errors:
        raise Blocked(fields=errors)
    return cleaned


def update_allocation(
    *,
    allocation: Allocation,
    user: User,
    lines: Sequence[Mapping[str, Any]],
    expected_version: int | None = None,
) -> Allocation:
    _check_sales(user, allocation.order)
    cleaned = _clean_lines(lines)
    with transaction.atomic():
        locked = _lock(allocation, expected_version)
        before = _snapshot(locked)
        _write_lines(locked, cleaned)
        after = _snapshot(locked)
        if before == after:
            return locked
        locked.version += 1
        locked.save(update_fields=["version"])
        record(
            order=locked.order,
            kind=Kind.CHANGED,
            actor=user,
            summary=_("Allocation sheet edited"),
            changes={"lines": [before, after]},
            data={"event": "allocation.edited", "allocation": locked.pk},
        )
    return locked


def record_coordination_meeting(
    *,
    allocation: Allocation,
    user: User,
    held_at: dt.datetime,
    place: str,
    attendees: Sequence[User],
    notes: str,
) -> Allocation:
    """Record the coordination meeting where the departments agreed the allocation."""
    _check_sales(user, allocation.order)
    errors: dict[str, list[str]] = {}
    if not isinstance(held_at, dt.datetime):
        errors["held_at"] = [_("Give the meeting's date and time.")]
    if not place.strip():
        errors["place"] = [_("Give the meeting's place.")]
    if not attendees:
        errors["attendees"] = [_("Say who attended.")]
    if not notes.strip():
        errors["notes"] = [_("Record what the departments agreed.")]
    if errors:
        raise Blocked(fields=errors)
    with transaction.atomic():
        locked = _lock(allocation)
        locked.meeting_held_at = held_at
        locked.meeting_place = place.strip()
        locked.meeting_notes = notes.strip()
        locked.version += 1
        locked.save(update_fields=["meeting_held_at", "meeting_place", "meeting_notes", "version"])
        locked.meeting_attendees.set(attendees)
        record(
            order=locked.order,
            kind=Kind.COMMUNICATION,
            actor=user,
            summary=_("Coordination meeting on the allocation: %(when)s, %(place)s")
            % {
                "when": timezone.localtime(held_at).strftime("%Y-%m-%d %H:%M"),
                "place": locked.meeting_place,
            },
            body=locked.meeting_notes,
            channel="meeting",
            counterpart=", ".join(str(a) for a in attendees)[:200],
            data={"event": "allocation.meeting", "allocation": locked.pk},
        )
    return locked


def release_allocation(*, allocation: Allocation, user: User) -> Allocation:
    """Release the agreed sheet: one task per line, for its department (and owner)."""
    from gendan.contracts.printing import allocation_pdf

    _check_sales(user, allocation.order)
    with transaction.atomic():
        locked = _lock(allocation)
        if locked.order.status not in ALLOCATABLE:
            raise Blocked(_("The order must be confirmed before its allocation is released."))
        if locked.meeting_held_at is None:
            raise Blocked(_("Record the coordination meeting before releasing the allocation."))
        lines = list(locked.lines.select_related("department", "owner"))
        if not lines:
            raise Blocked(_("Allocate the order to at least one department."))
        for line in lines:
            due_at = timezone.make_aware(dt.datetime.combine(line.due_date, END_OF_WORKING_DAY))
            line.task = open_task(
                user=user,
                title=_("%(kind)s for order %(number)s")
                % {"kind": line.get_kind_display(), "number": locked.order.number},
                description=line.scope,
                due_at=due_at,
                order=locked.order,
                department=line.department,
                assignee=line.owner,
                kind="allocation",
            )
            line.save(update_fields=["task"])
        locked.state = AllocationState.RELEASED
        locked.released_at = timezone.now()
        locked.released_by = user
        locked.version += 1
        locked.save(update_fields=["state", "released_at", "released_by", "version"])
        record(
            order=locked.order,
            kind=Kind.TASK,
            actor=user,
            summary=_("Allocation released: %(count)d tasks for %(departments)s")
            % {
                "count": len(lines),
                "departments": ", ".join(sorted({str(line.department) for line in lines})),
            },
            data={
                "event": "allocation.released",
                "allocation": locked.pk,
                "tasks": [line.task_id for line in lines],
            },
        )
        language = settings.LANGUAGE_CODE
        store_document(
            order=locked.order,
            user=user,
            category=Category.FORM,
            title=f"{form_title('allocation', language)} {locked.order.number}",
            content=allocation_pdf(locked, language=language),
            filename=f"{locked.order.number}-allocation.pdf",
            source=f"contracts.allocation:{locked.pk}",
            content_type="application/pdf",
        )
    return locked
