"""Cost of an order so far against intake's estimate (I5, E9), for many orders at once.

estimate  = Σ order line quantity × (material + labour part of the product's standard cost
            per unit), the same figures intake's price check uses (`intake.pricing`); lines
            sold in another unit than the product's cost unit have no estimate and are left out.
actual    = material issued to production × its price
            + hours reported on the order's work orders × the labour rate.
            A material's price is what the order's own purchase orders paid for it (weighted
            by quantity), else the lowest active supplier price, else unknown (counted as 0
            and listed in `unpriced`). Work centres carry no cost rate, so hours are costed at
            one company rate, `MonitoringSettings.labour_rate_per_hour`.

Energy and transport are estimated at intake but not measured while the order runs, so they
are left out of both sides: the comparison is like for like.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import F, Min, Sum

ZERO = Decimal("0")
CENT = Decimal("0.01")
MEASURED_PARTS = ("material", "labour")


@dataclass
class OrderCost:
    order_id: int
    estimate_material: Decimal = ZERO
    estimate_labour: Decimal = ZERO
    actual_material: Decimal = ZERO
    actual_labour: Decimal = ZERO
    hours: Decimal = ZERO
    unpriced: list[str] = field(default_factory=list)

    @property
    def estimate(self) -> Decimal:
        return (self.estimate_material + self.estimate_labour).quantize(CENT)

    @property
    def actual(self) -> Decimal:
        return (self.actual_material + self.actual_labour).quantize(CENT)

    def overrun_pct(self) -> Decimal | None:
        """How far the actual cost is above the estimate, in % (None without an estimate)."""
        if self.estimate <= ZERO:
            return None
        return ((self.actual - self.estimate) / self.estimate * 100).quantize(Decimal("0.1"))


def _estimates(costs: dict[int, OrderCost]) -> None:
    from gendan.intake.models import IntakeSettings
    from gendan.intake.pricing import unit_cost_parts
    from gendan.orders.models import OrderLine

    rules = IntakeSettings.load()
    lines = OrderLine.objects.filter(order_id__in=list(costs)).select_related(
        "product", "product__cost_breakdown"
    )
    parts_of: dict[int, dict[str, Decimal]] = {}
    for line in lines:
        if line.unit != line.product.unit:
            continue
        parts = parts_of.get(line.product_id)
        if parts is None:
            parts = parts_of[line.product_id] = unit_cost_parts(line.product, rules)
        cost = costs[line.order_id]
        cost.estimate_material += line.quantity * parts.get("material", ZERO)
        cost.estimate_labour += line.quantity * parts.get("labour", ZERO)


def _material_prices(
    order_ids: list[int], material_codes: set[str]
) -> tuple[dict[tuple[int, str], Decimal], dict[str, Decimal]]:
    """(order id, material code) → weighted price paid; material code → lowest price quoted."""
    from gendan.purchasing.models import PurchaseOrderLine, PurchaseOrderStatus, SupplierPrice

    paid: dict[tuple[int, str], Decimal] = {}
    rows = (
        PurchaseOrderLine.objects.filter(
            purchase_order__order_id__in=order_ids, material__code__in=material_codes
        )
        .exclude(purchase_order__status=PurchaseOrderStatus.CANCELLED)
        .values("purchase_order__order_id", "material__code")
        .annotate(bought=Sum("quantity"), paid=Sum(F("quantity") * F("unit_price")))
    )
    for row in rows:
        if row["bought"]:
            key = (row["purchase_order__order_id"], row["material__code"])
            paid[key] = Decimal(row["paid"]) / Decimal(row["bought"])
    quoted = {
        row["material__code"]: row["lowest"]
        for row in SupplierPrice.objects.filter(
            material__code__in=material_codes, supplier__is_active=True
        )
        .values("material__code")
        .annotate(lowest=Min("unit_price"))
    }
    return paid, quoted


def _actuals(costs: dict[int, OrderCost], labour_rate: Decimal) -> None:
    from gendan.ledger.models import LedgerEntry
    from gendan.production.models import WorkOrder

    order_ids = list(costs)
    issued: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    entries = LedgerEntry.objects.filter(
        order_id__in=order_ids, data__step="purchasing", data__event="material_issued"
    ).values_list("order_id", "data")
    for order_id, data in entries:
        try:
            issued[(order_id, str(data.get("material", "")))] += Decimal(str(data["quantity"]))
        except (KeyError, InvalidOperation):
            continue
    paid, quoted = _material_prices(order_ids, {code for _id, code in issued})
    for (order_id, code), quantity in issued.items():
        cost = costs[order_id]
        price = paid.get((order_id, code), quoted.get(code))
        if price is None:
            cost.unpriced.append(code)
            continue
        cost.actual_material += quantity * price
    hours = (
        WorkOrder.objects.filter(order_id__in=order_ids)
        .values("order_id")
        .annotate(hours=Sum("hours_worked"))
    )
    for row in hours:
        cost = costs[row["order_id"]]
        cost.hours = row["hours"] or ZERO
        cost.actual_labour = cost.hours * labour_rate


def order_costs(order_ids: Iterable[int], *, labour_rate: Decimal) -> dict[int, OrderCost]:
    """Estimate and actual cost so far of each order (a handful of queries for all of them)."""
    costs = {pk: OrderCost(order_id=pk) for pk in order_ids}
    if costs:
        _estimates(costs)
        _actuals(costs, labour_rate)
    return costs
