"""Order revisions (I7): the order as it stood at each submit, and what changed between two.

A snapshot holds what the customer agreed to (header fields and lines) as readable values, so
a revision stays readable even after products or customers are renamed.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gendan.ledger.record import shown

if TYPE_CHECKING:
    from gendan.orders.models import Order

HEADER = (
    "customer",
    "customer_reference",
    "channel",
    "priority",
    "requested_date",
    "promised_date",
    "delivery_place",
    "payment_terms",
    "quality_requirements",
    "notes",
    "total_amount",
)
LINE = (
    "product",
    "specification",
    "grammage",
    "width_mm",
    "quantity",
    "unit",
    "unit_price",
    "tolerance_pct",
)


def snapshot_order(order: "Order") -> dict[str, Any]:
    """Header and lines as JSON-safe, readable values."""
    return {
        "number": order.number,
        "header": {name: shown(getattr(order, name)) for name in HEADER},
        "lines": [
            {"position": line.position, **{name: shown(getattr(line, name)) for name in LINE}}
            for line in order.lines.select_related("product").order_by("position")
        ],
    }


def _label(name: str) -> str:
    from gendan.orders.models import Order, OrderLine

    for model in (Order, OrderLine):
        try:
            return str(getattr(model._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:
            continue
    return name


@dataclass(frozen=True)
class Change:
    """One difference between two revisions, ready to show."""

    where: str
    field: str
    before: Any
    after: Any


def diff_snapshots(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """What changed from `old` to `new`: header fields, then lines by position."""
    changes: list[Change] = []
    header_old, header_new = old.get("header", {}), new.get("header", {})
    header = pgettext("part of an order", "Order")
    for name in HEADER:
        before, after = header_old.get(name), header_new.get(name)
        if before != after:
            changes.append(Change(header, _label(name), before, after))
    lines_old = {line["position"]: line for line in old.get("lines", [])}
    lines_new = {line["position"]: line for line in new.get("lines", [])}
    for position in sorted(lines_old.keys() | lines_new.keys()):
        where = _("Line %(n)d") % {"n": position}
        before, after = lines_old.get(position), lines_new.get(position)
        if before is None:
            changes.append(Change(where, _("added"), None, _line_text(after)))
        elif after is None:
            changes.append(Change(where, _("removed"), _line_text(before), None))
        else:
            for name in LINE:
                if before.get(name) != after.get(name):
                    changes.append(Change(where, _label(name), before.get(name), after.get(name)))
    return changes


def _line_text(line: dict[str, Any] | None) -> str:
    if not line:
        return ""
    size = " ".join(
        part
        for part in (
            f"{line['grammage']}g/m²" if line.get("grammage") else "",
            f"{line['width_mm']}mm" if line.get("width_mm") else "",
            line.get("specification") or "",
        )
        if part
    )
    quantity = f"{line.get('quantity')} {line.get('unit')}"
    return f"{line.get('product')} {size} \u00d7 {quantity} @ {line.get('unit_price')}"
