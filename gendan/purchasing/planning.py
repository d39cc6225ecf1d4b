"""The purchase plan of an order (E2): bill-of-materials explosion minus stock minus what is
already on order, with a proposed supplier per material.

For each material of the order's products:

    gross     = Σ order line quantity x quantity per unit x (1 + scrap factor)   (rounded up)
    reserved  = stock already set aside for this order (earlier plans, receipts of its POs)
    on_order  = open quantity on this order's purchase orders (ordered - received - cancelled)
    free      = stock on hand - stock reserved for all open orders (never below 0)
    from_stock = min(free, gross - reserved - on_order)     → reserved when the plan is committed
    to_buy    = gross - reserved - on_order - from_stock     → purchase orders

A purchase order is proposed for `to_buy` (or the supplier's minimum order quantity, whichever
is larger) from the best-ranked supplier (`proposal.rank_suppliers`). Reading the plan changes
nothing; `actions.create_purchase_orders` commits it.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_UP, Decimal

from django.apps import apps
from django.db.models import Min, Sum
from django.utils import timezone

from gendan.catalog.models import Product
from gendan.orders.models import Order
from gendan.orders.status import FINAL_STATUSES
from gendan.purchasing.models import (
    BOMLine,
    Material,
    MaterialReservation,
    PurchaseOrderLine,
    SupplierPrice,
)
from gendan.purchasing.proposal import Candidate, rank_suppliers

ZERO = Decimal("0")
MILLI = Decimal("0.001")


def round_up(value: Decimal) -> Decimal:
    return value.quantize(MILLI, rounding=ROUND_UP)


@dataclass(frozen=True)
class Source:
    """One order line's contribution to a material's gross requirement."""

    position: int
    product_code: str
    product_quantity: Decimal
    quantity_per_unit: Decimal
    scrap_factor: Decimal
    requirement: Decimal


@dataclass
class PlanLine:
    material: Material
    gross: Decimal
    reserved: Decimal
    on_order: Decimal
    free_stock: Decimal
    from_stock: Decimal
    to_buy: Decimal
    candidates: list[Candidate]
    sources: list[Source] = field(default_factory=list)

    @property
    def proposed(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    @property
    def order_quantity(self) -> Decimal:
        """What to order: the shortfall, raised to the supplier's minimum order quantity."""
        if self.to_buy <= 0:
            return ZERO
        minimum = self.proposed.min_order_quantity if self.proposed else ZERO
        return max(self.to_buy, minimum)

    @property
    def amount(self) -> Decimal:
        if self.proposed is None:
            return ZERO
        return (self.order_quantity * self.proposed.unit_price).quantize(Decimal("0.01"))


@dataclass
class PurchasePlan:
    order: Order
    today: dt.date
    need_by: dt.date
    lines: list[PlanLine]
    #: Products on the order that have no bill of materials (nothing can be planned for them).
    products_without_bom: list[Product]

    @property
    def lines_to_buy(self) -> list[PlanLine]:
        return [line for line in self.lines if line.to_buy > 0]

    @property
    def lines_without_supplier(self) -> list[PlanLine]:
        return [line for line in self.lines_to_buy if line.proposed is None]

    @property
    def total_amount(self) -> Decimal:
        return sum((line.amount for line in self.lines_to_buy), ZERO)


def need_by_date(order: Order) -> dt.date:
    """When the materials must be in: the day before production starts if a plan exists,
    else the promised (or requested) delivery date."""
    if apps.is_installed("gendan.production"):
        work_orders = apps.get_model("production", "WorkOrder").objects
        first = (
            work_orders.filter(order=order)
            .exclude(status="cancelled")
            .aggregate(first=Min("planned_start"))["first"]
        )
        if first is not None:
            return timezone.localtime(first).date() - dt.timedelta(days=1)
    return order.promised_date or order.requested_date


def gross_requirements(order: Order) -> tuple[dict[int, list[Source]], list[Product]]:
    """Per material id, the order lines' contributions (BOM explosion with scrap)."""
    lines = list(order.lines.select_related("product"))
    product_ids = {line.product_id for line in lines}
    bom: dict[int, list[BOMLine]] = defaultdict(list)
    for bom_line in BOMLine.objects.filter(product_id__in=product_ids):
        bom[bom_line.product_id].append(bom_line)
    sources: dict[int, list[Source]] = defaultdict(list)
    without_bom: dict[int, Product] = {}
    for line in lines:
        if not bom[line.product_id]:
            without_bom[line.product_id] = line.product
        for bom_line in bom[line.product_id]:
            sources[bom_line.material_id].append(
                Source(
                    position=line.position,
                    product_code=line.product.code,
                    product_quantity=line.quantity,
                    quantity_per_unit=bom_line.quantity_per_unit,
                    scrap_factor=bom_line.scrap_factor,
                    requirement=bom_line.requirement(line.quantity),
                )
            )
    return sources, list(without_bom.values())


def reserved_quantities(material_ids: list[int]) -> dict[int, Decimal]:
    """Stock reserved for all open orders, per material."""
    rows = (
        MaterialReservation.objects.filter(material_id__in=material_ids)
        .exclude(order__status__in=FINAL_STATUSES)
        .values("material_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["material_id"]: row["total"] or ZERO for row in rows}


def purchase_plan(
    order: Order, *, today: dt.date | None = None, need_by: dt.date | None = None
) -> PurchasePlan:
    """The purchase plan of `order` as of `today` (see the module docstring)."""
    today = today or timezone.localdate()
    need_by = need_by or need_by_date(order)
    sources, without_bom = gross_requirements(order)
    material_ids = list(sources)
    materials = Material.objects.select_related("default_supplier").in_bulk(material_ids)
    reserved_all = reserved_quantities(material_ids)
    reserved_here = dict(
        MaterialReservation.objects.filter(order=order, material_id__in=material_ids).values_list(
            "material_id", "quantity"
        )
    )
    on_order: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in PurchaseOrderLine.objects.open().filter(
        purchase_order__order=order, material_id__in=material_ids
    ):
        on_order[line.material_id] += line.open_quantity
    prices: dict[int, list[SupplierPrice]] = defaultdict(list)
    for price in SupplierPrice.objects.filter(
        material_id__in=material_ids, supplier__is_active=True
    ).select_related("supplier"):
        prices[price.material_id].append(price)
    arrivals: dict[int, dt.date] = {}
    plan_lines = []
    for material_id, material_sources in sources.items():
        material = materials[material_id]
        gross = round_up(sum((s.requirement for s in material_sources), ZERO))
        reserved = reserved_here.get(material_id, ZERO)
        free = max(material.stock_on_hand - reserved_all.get(material_id, ZERO), ZERO)
        need = gross - reserved - on_order[material_id]
        from_stock = min(free, max(need, ZERO))
        to_buy = max(need - from_stock, ZERO)
        candidates = rank_suppliers(
            material, today=today, need_by=need_by, prices=prices[material_id], arrivals=arrivals
        )
        plan_lines.append(
            PlanLine(
                material=material,
                gross=gross,
                reserved=reserved,
                on_order=on_order[material_id],
                free_stock=free,
                from_stock=from_stock,
                to_buy=to_buy,
                candidates=candidates,
                sources=material_sources,
            )
        )
    plan_lines.sort(key=lambda line: line.material.code)
    return PurchasePlan(
        order=order,
        today=today,
        need_by=need_by,
        lines=plan_lines,
        products_without_bom=without_bom,
    )
