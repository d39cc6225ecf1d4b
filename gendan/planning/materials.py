"""When each order's material is there: stock, then its open purchase order lines, then a new
purchase at the supplier's lead time.

For every material of an order's bill of materials (scrap included, as purchasing computes it):
the stock reserved for the order counts first, then free stock (stock on hand less what is
reserved for all open orders), shared between orders in the order of their dates, then the
order's open purchase order lines by expected date, then a purchase placed today at the
shortest lead time of the material's suppliers. Goods are usable the day after they arrive
(incoming inspection), as production's own planning assumes. The order's release is the
latest of its materials.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from gendan.orders.models import Order, OrderLine
from gendan.orders.status import FINAL_STATUSES
from gendan.purchasing.models import (
    BOMLine,
    Material,
    MaterialReservation,
    PurchaseOrderLine,
    SupplierPrice,
)
from gendan.workdays.calendar import add_working_days

ZERO = Decimal("0")


class Source:
    STOCK = "stock"
    PURCHASE_ORDER = "purchase_order"
    LEAD_TIME = "lead_time"
    NO_SUPPLIER = "no_supplier"


@dataclass(frozen=True)
class MaterialWait:
    """One material of an order and when it is usable."""

    material_code: str
    material_name: str
    short: Decimal
    usable_from: dt.datetime | None
    source: str
    #: The purchase order number, or the supplier's code for a purchase not placed yet.
    reference: str = ""
    arrives: dt.date | None = None


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _best_lead_times(material_ids: Iterable[int]) -> dict[int, tuple[int, str]]:
    """Shortest lead time (working days) and supplier code per material."""
    best: dict[int, tuple[int, str]] = {}
    prices = SupplierPrice.objects.filter(
        material_id__in=list(material_ids), supplier__is_active=True
    ).select_related("supplier")
    for price in prices:
        lead = price.effective_lead_time_days
        if price.material_id not in best or lead < best[price.material_id][0]:
            best[price.material_id] = (lead, price.supplier.code)
    return best


def material_waits(
    orders: Sequence[Order], *, today: dt.date | None = None
) -> dict[int, list[MaterialWait]]:
    """Per order id, its materials that are not in stock for it, with when they are usable.

    `orders` are taken in the order given when free stock is shared (pass them by date).
    Materials fully covered by stock are left out.
    """
    today = today or timezone.localdate()
    order_ids = [o.pk for o in orders]
    lines_by_order: dict[int, list[OrderLine]] = defaultdict(list)
    for line in OrderLine.objects.filter(order_id__in=order_ids):
        lines_by_order[line.order_id].append(line)
    product_ids = {line.product_id for lines in lines_by_order.values() for line in lines}
    bom: dict[int, list[BOMLine]] = defaultdict(list)
    for bom_line in BOMLine.objects.filter(product_id__in=product_ids):
        bom[bom_line.product_id].append(bom_line)
    material_ids = {b.material_id for rows in bom.values() for b in rows}
    if not material_ids:
        return {}
    materials = Material.objects.select_related("default_supplier").in_bulk(list(material_ids))
    reserved_all = {
        row["material_id"]: row["total"] or ZERO
        for row in MaterialReservation.objects.filter(material_id__in=material_ids)
        .exclude(order__status__in=FINAL_STATUSES)
        .values("material_id")
        .annotate(total=Sum("quantity"))
    }
    reserved_here: dict[tuple[int, int], Decimal] = {
        (r.order_id, r.material_id): r.quantity
        for r in MaterialReservation.objects.filter(
            order_id__in=order_ids, material_id__in=material_ids
        )
    }
    po_lines: dict[tuple[int, int], list[PurchaseOrderLine]] = defaultdict(list)
    for po_line in (
        PurchaseOrderLine.objects.open()
        .filter(purchase_order__order_id__in=order_ids, material_id__in=material_ids)
        .select_related("purchase_order")
        .order_by("expected_date", "id")
    ):
        po_lines[(po_line.purchase_order.order_id, po_line.material_id)].append(po_line)
    leads = _best_lead_times(material_ids)
    free = {
        pk: max(m.stock_on_hand - reserved_all.get(pk, ZERO), ZERO) for pk, m in materials.items()
    }
    out: dict[int, list[MaterialWait]] = {}
    for order in orders:
        gross: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for line in lines_by_order.get(order.pk, []):
            for bom_line in bom.get(line.product_id, []):
                gross[bom_line.material_id] += bom_line.requirement(line.quantity)
        waits = []
        for material_id, need in sorted(gross.items()):
            need -= reserved_here.get((order.pk, material_id), ZERO)
            taken = min(free[material_id], max(need, ZERO))
            free[material_id] -= taken
            need -= taken
            if need <= 0:
                continue
            material = materials[material_id]
            waits.append(
                _cover(material, need, po_lines.get((order.pk, material_id), []), leads, today)
            )
        if waits:
            out[order.pk] = waits
    return out


def _cover(
    material: Material,
    short: Decimal,
    lines: list[PurchaseOrderLine],
    leads: dict[int, tuple[int, str]],
    today: dt.date,
) -> MaterialWait:
    """How `short` of `material` gets covered: open purchase order lines, else a new purchase."""
    remaining = short
    for po_line in lines:
        remaining -= po_line.open_quantity
        if remaining <= 0:
            arrives = max(po_line.expected_date, today)
            return MaterialWait(
                material.code,
                material.name,
                short,
                _start_of(arrives + dt.timedelta(days=1)),
                Source.PURCHASE_ORDER,
                po_line.purchase_order.number,
                arrives,
            )
    lead = leads.get(material.pk)
    if lead is None and material.default_supplier is not None:
        lead = (material.default_supplier.lead_time_days, material.default_supplier.code)
    if lead is None:
        return MaterialWait(material.code, material.name, short, None, Source.NO_SUPPLIER)
    arrives = add_working_days(today, lead[0])
    return MaterialWait(
        material.code,
        material.name,
        short,
        _start_of(arrives + dt.timedelta(days=1)),
        Source.LEAD_TIME,
        lead[1],
        arrives,
    )


def release_of(waits: Iterable[MaterialWait]) -> dt.datetime | None:
    """The moment every material of the order is usable (None: nothing to wait for)."""
    moments = [w.usable_from for w in waits if w.usable_from is not None]
    return max(moments) if moments else None
