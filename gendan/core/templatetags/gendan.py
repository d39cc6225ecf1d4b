"""Template helpers shared by every page: status badges, emergency marks, money, deadlines."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from gendan.orders.models import Order
from gendan.orders.status import OPEN_STATUSES, STATUS_COLOURS, Priority, Status

register = template.Library()


@register.simple_tag
def status_badge(value: Order | str) -> SafeString:
    """A coloured badge for an order (or a status value), coloured by `STATUS_COLOURS`."""
    status = value.status if isinstance(value, Order) else value
    try:
        label = str(Status(status).label)
    except ValueError:
        label = str(status)
    colour = STATUS_COLOURS.get(status, "grey")
    return format_html(
        '<span class="badge badge-{}" data-status="{}">{}</span>', colour, status, label
    )


@register.simple_tag
def emergency_mark(value: Order | str) -> SafeString:
    """A red "emergency" mark for emergency orders and tasks; nothing for normal ones."""
    priority = getattr(value, "priority", value)
    if priority != Priority.EMERGENCY:
        return SafeString("")
    return format_html(
        '<span class="mark-emergency" title="{}">{}</span>', _("Emergency order"), _("Emergency")
    )


@register.simple_tag(takes_context=True)
def deferred_total(context: template.Context, label: str = "…") -> SafeString:
    """A placeholder for a list total not counted yet (`page_of(count=False)`): htmx replaces
    it with the total from the same address with `count=1` as soon as the page has loaded."""
    query = context["request"].GET.copy()
    query["count"] = "1"
    return format_html(
        '<span class="list-total" hx-get="?{}" hx-trigger="load" hx-swap="outerHTML"'
        ' data-testid="list-total">{}</span>',
        query.urlencode(),
        label,
    )


@register.filter
def money(value: Any) -> str:
    """An amount with thousands separators and two decimals: 1234567.5 → 1,234,567.50."""
    if value in (None, ""):
        return ""
    try:
        return f"{Decimal(value):,.2f}"
    except (InvalidOperation, TypeError, ValueError):
        return str(value)


@register.filter
def quantity(value: Any) -> str:
    """A quantity without trailing zeros: 30.000 → 30, 12.500 → 12.5."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    text = f"{number:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def is_past(value: dt.datetime | dt.date | None) -> bool:
    """Whether a deadline or date lies in the past (dates: before today)."""
    if value is None:
        return False
    if isinstance(value, dt.datetime):
        return value < timezone.now()
    return value < timezone.localdate()


@register.filter
def is_open(order: Order) -> bool:
    """Whether the order is still open work (not closed, rejected or cancelled)."""
    return order.status in OPEN_STATUSES


@register.filter
def is_list(value: Any) -> bool:
    return isinstance(value, list | tuple)


@register.filter
def minutes(value: dt.timedelta | None) -> int:
    """Whole minutes of a duration, rounded up (for "try again in N minutes")."""
    if value is None:
        return 0
    seconds = int(value.total_seconds())
    return max(1, -(-seconds // 60))


@register.filter
def from_now(value: dt.timedelta | None) -> dt.datetime | None:
    """The moment `value` from now, for "try again after 14:35"."""
    if value is None:
        return None
    return timezone.now() + value


@register.filter
def parse_iso(value: str | None) -> dt.datetime | dt.date | None:
    """A date or time kept as ISO text (ledger data) back as a value the date filters format."""
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@register.filter
def order_field_label(name: str) -> str:
    """The label of an order field named in a ledger change ("lines" for the line list)."""
    if name == "lines":
        return _("lines")
    try:
        return str(getattr(Order._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:  # a field that no longer exists: show its name
        return name
