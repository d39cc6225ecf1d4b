"""The shipping notice (发货通知单, E6): sales tells logistics what to ship, when and where."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import Blocked, NotPermitted
from gendan.ledger.models import Kind
from gendan.orders.models import Order
from gendan.orders.status import Status
from gendan.purchasing.numbering import next_document_number
from gendan.shipping import permissions
from gendan.shipping.actions._common import (
    ZERO,
    complete_if_open,
    department,
    end_of_day,
    ledger,
    line_field,
    line_label,
    parse_quantities,
)
from gendan.shipping.models import NoticeLine, NoticeState, ShippingNotice
from gendan.shipping.selectors import line_progress, plain
from gendan.tasks.models import Task, TaskState

#: Order statuses in which sales may issue a shipping notice: goods may be got ready from
#: confirmation on; they leave once the order is in execution.
NOTICE_STATUSES = frozenset({Status.CONFIRMED, Status.IN_EXECUTION})
#: The clerk's task opened by the notice job (`jobs.open_shipping_notice_tasks`).
NOTICE_TASK_KIND = "shipping_notice"
#: Logistics' task to ship a notice.
SHIP_TASK_KIND = "shipment"


def _complete_open_tasks(order: Order, kind: str, user: User, outcome: str) -> None:
    """Close the order's open tasks of `kind` that the user may close; others stay open."""
    for task in Task.objects.filter(order=order, kind=kind, state=TaskState.OPEN):
        complete_if_open(task, user, outcome)


def issue_notice(
    *,
    order: Order,
    user: User,
    ship_on: dt.date | None,
    quantities: Mapping[Any, Any],
    delivery_place: str = "",
    consignee: str = "",
    notes: str = "",
) -> ShippingNotice:
    """Issue a shipping notice for some or all of the order's open quantities (partial
    shipments: one notice per dispatch). Logistics gets a task due at the end of `ship_on`;
    the clerk's "issue the shipping notice" task is done."""
    from gendan.tasks.actions import open_task

    if not permissions.can_issue_notice(user, order):
        raise NotPermitted(
            _("Shipping notices are issued by sales: the order's clerk or the sales head.")
        )
    errors: dict[str, list[str]] = {}
    if ship_on is None:
        errors["ship_on"] = [_("Give the day the goods should leave.")]
    elif ship_on < timezone.localdate():
        errors["ship_on"] = [_("The shipping day is in the past.")]
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        progress = {p.line.position: p for p in line_progress(locked)}
        wanted = parse_quantities(quantities, [p.line for p in progress.values()], errors)
        for position, amount in wanted.items():
            p = progress[position]
            room = p.most_allowed - p.shipped - p.noticed
            if amount > room:
                errors[line_field(p.line)] = [
                    _(
                        "At most %(room)s %(unit)s of %(line)s can still be noticed "
                        "(ordered %(ordered)s, shipped %(shipped)s, on open notices %(noticed)s)."
                    )
                    % {
                        "room": plain(max(room, ZERO)),
                        "unit": p.line.unit,
                        "line": line_label(p.line),
                        "ordered": plain(p.ordered),
                        "shipped": plain(p.shipped),
                        "noticed": plain(p.noticed),
                    }
                ]
        line_errors = any(name.startswith("line") for name in errors)
        if not line_errors and not any(amount > 0 for amount in wanted.values()):
            errors["lines"] = [_("Enter the quantity to ship on at least one line.")]
        if errors:
            raise Blocked(fields=errors)
        if locked.status not in NOTICE_STATUSES:
            raise Blocked(
                _(
                    "A shipping notice is issued once the order is confirmed; order %(number)s "
                    "is %(status)s."
                )
                % {"number": locked.number, "status": locked.get_status_display()}
            )
        assert ship_on is not None
        notice = ShippingNotice.objects.create(
            number=next_document_number("SN", timezone.localdate()),
            order=locked,
            ship_on=ship_on,
            delivery_place=delivery_place.strip() or locked.delivery_place,
            consignee=consignee.strip(),
            notes=notes.strip(),
            issued_by=user,
        )
        NoticeLine.objects.bulk_create(
            NoticeLine(notice=notice, order_line=progress[position].line, quantity=amount)
            for position, amount in sorted(wanted.items())
            if amount > 0
        )
        described = "; ".join(
            f"{line_label(progress[position].line)} {plain(amount)} {progress[position].line.unit}"
            for position, amount in sorted(wanted.items())
            if amount > 0
        )
        notice.task = open_task(
            user=None,
            title=_("Ship %(notice)s of order %(number)s on %(day)s")
            % {"notice": notice.number, "number": locked.number, "day": ship_on.isoformat()},
            description=described,
            due_at=end_of_day(ship_on),
            order=locked,
            department=department(permissions.LOGISTICS),
            kind=SHIP_TASK_KIND,
        )
        notice.save(update_fields=["task"])
        ledger(
            locked,
            user=user,
            subject=notice,
            kind=Kind.CREATED,
            step="shipping",
            event="shipping_notice_issued",
            summary=_("Shipping notice %(notice)s issued: ship on %(day)s, %(lines)s")
            % {"notice": notice.number, "day": ship_on.isoformat(), "lines": described},
            body=notice.notes,
            data={
                "notice": notice.number,
                "ship_on": ship_on.isoformat(),
                "lines": {str(p): str(q) for p, q in wanted.items() if q > 0},
            },
        )
        _complete_open_tasks(
            locked,
            NOTICE_TASK_KIND,
            user,
            _("Shipping notice %(notice)s issued") % {"notice": notice.number},
        )
    return notice


def cancel_notice(*, notice: ShippingNotice, user: User, reason: str) -> ShippingNotice:
    """Withdraw a notice nothing has shipped against yet; logistics' task is cancelled."""
    from gendan.tasks.actions import cancel_task

    if not permissions.can_issue_notice(user, notice.order):
        raise NotPermitted(
            _("Shipping notices are withdrawn by sales: the order's clerk or the sales head.")
        )
    if not reason.strip():
        raise Blocked(fields={"reason": [_("Give the reason for cancelling.")]})
    with transaction.atomic():
        Order.objects.select_for_update().get(pk=notice.order_id)
        locked = (
            ShippingNotice.objects.select_for_update(of=("self",))
            .select_related("order", "task")
            .get(pk=notice.pk)
        )
        if locked.state != NoticeState.OPEN:
            raise Blocked(
                _("Shipping notice %(notice)s is %(state)s: it can no longer be cancelled.")
                % {"notice": locked.number, "state": locked.get_state_display()}
            )
        locked.state = NoticeState.CANCELLED
        locked.cancel_reason = reason.strip()
        locked.save(update_fields=["state", "cancel_reason"])
        if locked.task is not None and locked.task.state == TaskState.OPEN:
            cancel_task(task=locked.task, user=user, reason=reason)
        ledger(
            locked.order,
            user=user,
            subject=locked,
            step="shipping",
            event="shipping_notice_cancelled",
            summary=_("Shipping notice %(notice)s cancelled") % {"notice": locked.number},
            body=locked.cancel_reason,
            changes={"state": [str(NoticeState.OPEN.label), str(NoticeState.CANCELLED.label)]},
            data={"notice": locked.number},
        )
    return locked
