"""What the shipping and delivery actions share: ledger entries, notifications, quantities,
and moving the order on when a step is complete."""

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import Department, Role, User
from gendan.ledger.models import Kind
from gendan.ledger.record import record
from gendan.notifications.actions import notify
from gendan.orders.models import Order, OrderLine
from gendan.workdays.calendar import END_OF_WORKING_DAY

ZERO = Decimal("0")
THOUSANDTH = Decimal("0.001")


def ledger(
    order: Order,
    *,
    user: User | None,
    summary: str,
    subject: Any,
    step: str,
    event: str,
    kind: Kind = Kind.CHANGED,
    body: str = "",
    changes: dict[str, list[Any]] | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """A ledger entry on the order; `data.step` is "shipping" or "delivery" (E8)."""
    record(
        order=order,
        subject=subject,
        kind=kind,
        actor=user,
        summary=summary,
        body=body,
        changes=changes,
        data={"step": step, "event": event, **(data or {})},
    )


def notify_later(users: Iterable[User | None], message: str, url: str, *, actor: User) -> None:
    """Tell `users` (not the actor) once the transaction commits."""
    recipients = [u for u in users if u is not None and u.pk != actor.pk]
    if recipients:
        transaction.on_commit(lambda: notify(recipients, message, url))


def department(code: str) -> Department:
    return Department.objects.get(code=code)


def sales_department() -> Department:
    return department(str(settings.GENDAN["SALES_DEPARTMENT"]))


def heads_of(code: str) -> list[User]:
    return list(
        User.objects.filter(departments__code=code, role=Role.HEAD, is_active=True).order_by("pk")
    )


def quantity(value: Any, field: str, errors: dict[str, list[str]]) -> Decimal:
    """A quantity of 0 or more with at most three decimals, else a field error."""
    try:
        number = Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation:
        errors[field] = [_("Enter a number.")]
        return ZERO
    if not number.is_finite():
        errors[field] = [_("Enter a number.")]
        return ZERO
    if number < 0:
        errors[field] = [_("Enter a number of 0 or more.")]
        return ZERO
    if number != number.quantize(THOUSANDTH):
        errors[field] = [_("Enter at most three decimals.")]
    return number


def line_field(line: OrderLine) -> str:
    """The field name that carries a line's quantity in forms and the API errors."""
    return f"line_{line.position}"


def line_label(line: OrderLine) -> str:
    return _("line %(position)d (%(product)s)") % {
        "position": line.position,
        "product": line.product.name,
    }


def parse_quantities(
    raw: Mapping[Any, Any], lines: Iterable[OrderLine], errors: dict[str, list[str]]
) -> dict[int, Decimal]:
    """Quantities keyed by line position (or "line_<position>"), for the given lines. Positions
    not among `lines` are refused."""
    by_position = {line.position: line for line in lines}
    result: dict[int, Decimal] = {}
    for key, value in raw.items():
        text = str(key).removeprefix("line_")
        position = int(text) if text.isdigit() else None
        if position is None or position not in by_position:
            errors["lines"] = [_("Line %(line)s is not a line of this order.") % {"line": key}]
            continue
        result[position] = quantity(value, line_field(by_position[position]), errors)
    return result


def end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, END_OF_WORKING_DAY))


def complete_if_open(task: Any, user: User, outcome: str) -> None:
    """Complete `task` when it is open and the user may; otherwise its owner closes it."""
    from gendan.core.errors import NotPermitted
    from gendan.tasks.actions import complete_task
    from gendan.tasks.models import TaskState

    if task is None or task.state != TaskState.OPEN:
        return
    try:
        with transaction.atomic():
            complete_task(task=task, user=user, outcome=outcome)
    except NotPermitted:
        pass  # the task stays open for its owner to close
