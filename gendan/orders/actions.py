"""Every change to an order goes through one of these functions (web, API, CLI and jobs alike).

Each runs in one transaction, locks the order row, checks the rule, saves, writes the ledger
and schedules notifications for after the commit. On any error nothing has changed.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import Department, User
from gendan.core.errors import Blocked, NotPermitted, StaleVersion
from gendan.ledger.models import CommunicationChannel, Kind, LedgerEntry
from gendan.ledger.record import diff, record, snapshot
from gendan.notifications.actions import notify
from gendan.orders import counters, permissions
from gendan.orders.models import Order, OrderLine, OrderRoute
from gendan.orders.numbering import next_order_number
from gendan.orders.pipeline import TRANSITIONS, guard_failures, role_allows
from gendan.orders.status import EDITABLE_STATUSES, Status

#: Header fields a user may set when registering or editing an order.
HEADER_FIELDS = (
    "customer",
    "customer_reference",
    "channel",
    "priority",
    "clerk",
    "requested_date",
    "promised_date",
    "delivery_place",
    "payment_terms",
    "quality_requirements",
    "notes",
)
LINE_FIELDS = (
    "product",
    "specification",
    "grammage",
    "width_mm",
    "quantity",
    "unit",
    "unit_price",
    "tolerance_pct",
)


def _lock(order: Order, expected_version: int | None) -> Order:
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(
            _(
                "Order %(number)s was changed by someone else while you were editing "
                "(your copy: version %(yours)s, now: version %(now)s). Reload it and redo "
                "your change."
            )
            % {"number": locked.number, "yours": expected_version, "now": locked.version}
        )
    return locked


def _line_text(line: Mapping[str, Any] | OrderLine) -> str:
    get = line.get if isinstance(line, Mapping) else lambda k, d=None: getattr(line, k, d)
    parts = [str(get("product"))]
    if get("grammage"):
        parts.append(f"{get('grammage')}g/m²")
    if get("width_mm"):
        parts.append(f"{get('width_mm')}mm")
    if get("specification"):
        parts.append(str(get("specification")))
    return f"{' '.join(parts)} × {get('quantity')} {get('unit')} @ {get('unit_price')}"


def _write_lines(order: Order, lines: Sequence[Mapping[str, Any]]) -> None:
    order.lines.all().delete()
    OrderLine.objects.bulk_create(
        OrderLine(order=order, position=index, **{k: line.get(k) for k in LINE_FIELDS if k in line})
        for index, line in enumerate(lines, start=1)
    )
    order.total_amount = sum(
        (Decimal(line["quantity"]) * Decimal(line["unit_price"]) for line in lines),
        Decimal("0"),
    ).quantize(Decimal("0.01"))


def route_order(order: Order, department: Department) -> None:
    """Let the department's reviewers and head see the order (idempotent)."""
    with transaction.atomic():
        # Lock the order first: a transition running at the same time then waits for this
        # route and moves its count too; the count goes under the stored status, not the
        # caller's copy, which may be older.
        status = Order.objects.select_for_update().values_list("status", flat=True).get(pk=order.pk)
        _route, created = OrderRoute.objects.get_or_create(order=order, department=department)
        if created:
            counters.added_in_status(status, [counters.department_scope(department.pk)])


def create_order(
    *, user: User, header: Mapping[str, Any], lines: Sequence[Mapping[str, Any]]
) -> Order:
    """Register a new order in draft with the next number, routed to the sales department."""
    if not permissions.can_create_order(user):
        raise NotPermitted(_("Your role may not register orders."))
    values = {k: header[k] for k in HEADER_FIELDS if k in header}
    if not permissions.can_assign_clerk(user) or values.get("clerk") is None:
        values["clerk"] = user
    with transaction.atomic():
        order = Order(
            number=next_order_number(timezone.localdate()),
            created_by=user,
            status=Status.DRAFT,
            **values,
        )
        order.save()
        _write_lines(order, lines)
        order.save(update_fields=["total_amount"])
        counters.added(order, [counters.ALL, counters.clerk_scope(order.clerk_id)])
        sales = Department.objects.filter(code=settings.GENDAN["SALES_DEPARTMENT"]).first()
        if sales is not None:
            route_order(order, sales)
        record(
            order=order,
            kind=Kind.CREATED,
            actor=user,
            summary=_("Order %(number)s registered (%(channel)s, %(lines)d lines, ¥%(amount)s)")
            % {
                "number": order.number,
                "channel": order.get_channel_display(),
                "lines": len(lines),
                "amount": order.total_amount,
            },
            data={"lines": [_line_text(line) for line in lines]},
        )
        if order.clerk_id != user.pk:
            clerk = order.clerk
            transaction.on_commit(
                lambda: notify(
                    [clerk],
                    _("You follow the new order %(number)s") % {"number": order.number},
                    order.get_absolute_url(),
                )
            )
    return order


def update_order(
    *,
    order: Order,
    user: User,
    expected_version: int,
    header: Mapping[str, Any],
    lines: Sequence[Mapping[str, Any]] | None = None,
) -> Order:
    """Edit the order's header (and lines) while it is still being negotiated."""
    if not permissions.can_edit_order(user, order):
        raise NotPermitted(_("Your role may not edit this order."))
    with transaction.atomic():
        locked = _lock(order, expected_version)
        if locked.status not in EDITABLE_STATUSES:
            raise Blocked(
                _("Order %(number)s is %(status)s: it can no longer be edited directly.")
                % {"number": locked.number, "status": locked.get_status_display()}
            )
        values = {k: header[k] for k in HEADER_FIELDS if k in header}
        if not permissions.can_assign_clerk(user):
            values.pop("clerk", None)
        previous_clerk_id = locked.clerk_id
        before = snapshot(locked, list(values))
        before_lines = [_line_text(line) for line in locked.lines.select_related("product")]
        for name, value in values.items():
            setattr(locked, name, value)
        changes = diff(before, snapshot(locked, list(values)))
        if lines is not None:
            after_lines = [_line_text(line) for line in lines]
            if after_lines != before_lines:
                _write_lines(locked, lines)
                changes["lines"] = [before_lines, after_lines]
        if not changes:
            return locked
        locked.version += 1
        locked.save()
        if locked.clerk_id != previous_clerk_id:
            counters.clerk_changed(locked, previous_clerk_id=previous_clerk_id)
        record(
            order=locked,
            kind=Kind.CHANGED,
            actor=user,
            summary=_("Order edited: %(fields)s")
            % {"fields": ", ".join(_field_label(name) for name in changes)},
            changes=changes,
        )
    return locked


def _field_label(name: str) -> str:
    if name == "lines":
        return _("lines")
    return str(Order._meta.get_field(name).verbose_name)


def transition_order(
    *,
    order: Order,
    name: str,
    user: User,
    reason: str = "",
    expected_version: int | None = None,
) -> Order:
    """Perform the pipeline transition `name` (a row of `pipeline.TRANSITIONS`)."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise Blocked(_("There is no step called “%(name)s”.") % {"name": name})
    if not role_allows(transition, user):
        raise NotPermitted(_("Your role may not “%(step)s” orders.") % {"step": transition.label})
    with transaction.atomic():
        locked = _lock(order, expected_version)
        if locked.status not in transition.sources:
            raise Blocked(
                _("“%(step)s” is not possible while the order is %(status)s.")
                % {"step": transition.label, "status": locked.get_status_display()}
            )
        problems = guard_failures(transition, locked, user)
        if problems:
            raise Blocked(*problems)
        if transition.needs_reason and not reason.strip():
            raise Blocked(fields={"reason": [_("Give the reason for this step.")]})
        source = Status(locked.status)
        target = transition.target_for(locked)
        locked.held_from = source if target == Status.ON_HOLD else ""
        locked.status = target
        locked.status_changed_at = timezone.now()
        locked.version += 1
        locked.save(update_fields=["status", "held_from", "status_changed_at", "version"])
        counters.moved(locked, source=source, target=target)
        record(
            order=locked,
            kind=Kind.TRANSITION,
            actor=user,
            summary=_("%(step)s: %(source)s → %(target)s")
            % {
                "step": transition.label,
                "source": source.label,
                "target": target.label,
            },
            body=reason.strip(),
            data={"transition": name, "from": source.value, "to": target.value},
        )
        for effect in transition.effects:
            effect(locked, user)
        if locked.clerk_id != user.pk:
            clerk = locked.clerk
            message = _("Order %(number)s is now %(status)s") % {
                "number": locked.number,
                "status": target.label,
            }
            transaction.on_commit(lambda: notify([clerk], message, locked.get_absolute_url()))
    return locked


def add_comment(*, order: Order, user: User, text: str) -> LedgerEntry:
    if not permissions.can_write_ledger(user, order):
        raise NotPermitted(_("Your role may not write to the ledger."))
    if not text.strip():
        raise Blocked(fields={"text": [_("Write the comment.")]})
    with transaction.atomic():
        return record(
            order=order,
            kind=Kind.COMMENT,
            actor=user,
            summary=text.strip().splitlines()[0][:200],
            body=text.strip(),
        )


def log_communication(
    *,
    order: Order,
    user: User,
    channel: CommunicationChannel | str,
    counterpart: str,
    summary: str,
    body: str = "",
    occurred_at: dt.datetime | None = None,
) -> LedgerEntry:
    """Record a call, e-mail, meeting or visit with the customer or a supplier (K3)."""
    if not permissions.can_write_ledger(user, order):
        raise NotPermitted(_("Your role may not write to the ledger."))
    errors: dict[str, list[str]] = {}
    if channel not in CommunicationChannel.values:
        errors["channel"] = [_("Choose how you communicated.")]
    if not counterpart.strip():
        errors["counterpart"] = [_("Say with whom.")]
    if not summary.strip():
        errors["summary"] = [_("Summarise what was said.")]
    if occurred_at is not None and occurred_at > timezone.now() + dt.timedelta(minutes=5):
        errors["occurred_at"] = [_("A communication cannot be recorded in the future.")]
    if errors:
        raise Blocked(fields=errors)
    with transaction.atomic():
        return record(
            order=order,
            kind=Kind.COMMUNICATION,
            actor=user,
            summary=summary.strip()[:500],
            body=body.strip(),
            channel=channel,
            counterpart=counterpart.strip(),
            data={"occurred_at": (occurred_at or timezone.now()).isoformat()},
        )
