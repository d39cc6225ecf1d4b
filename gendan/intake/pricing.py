"""Price against cost (I5): discount on the list price, estimated cost and margin per line.

A line is flagged when its margin is below `IntakeSettings.min_margin_pct`, its discount on the
list price above `max_discount_pct`, or its margin cannot be estimated (priced at ¥0, or sold
in another unit than the price list's). A flagged order needs finance's confirmation
(`actions.confirm_margin`) before it passes intake review; the confirmation holds for the
prices finance saw (`PriceCheck.fingerprint`), so a later price change asks again.
"""

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from gendan.credit.money import yuan
from gendan.intake.models import IntakeSettings, ProductCost

if TYPE_CHECKING:
    from gendan.catalog.models import Product
    from gendan.orders.models import Order, OrderLine

ZERO = Decimal("0")
HUNDRED = Decimal("100")
TENTH = Decimal("0.1")
CENT = Decimal("0.01")


def _pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole * HUNDRED).quantize(TENTH)


def _shown(pct: Decimal) -> str:
    return f"{pct.normalize():f}%"


def unit_cost_parts(product: "Product", rules: IntakeSettings) -> dict[str, Decimal]:
    """The product's standard cost per unit by part (material, labour, energy, transport)."""
    try:
        breakdown: ProductCost = product.cost_breakdown
    except ProductCost.DoesNotExist:
        return {
            name: (product.standard_cost * share / HUNDRED).quantize(CENT)
            for name, share in rules.shares.items()
        }
    return breakdown.parts


@dataclass(frozen=True)
class LineMargin:
    position: int
    product: str
    quantity: Decimal
    unit: str
    quoted: Decimal
    list_price: Decimal
    discount_pct: Decimal | None
    unit_cost: Decimal
    cost_parts: dict[str, Decimal]
    revenue: Decimal
    cost: Decimal
    margin_pct: Decimal | None
    problems: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.problems)


@dataclass(frozen=True)
class PriceCheck:
    lines: list[LineMargin]
    revenue: Decimal
    cost: Decimal
    margin_pct: Decimal | None
    min_margin_pct: Decimal
    max_discount_pct: Decimal
    fingerprint: str

    @property
    def problems(self) -> list[str]:
        return [problem for line in self.lines for problem in line.problems]

    @property
    def flagged(self) -> bool:
        return any(line.flagged for line in self.lines)

    @property
    def summary(self) -> str:
        if self.margin_pct is None:
            return _("The margin cannot be estimated.")
        return _("Estimated margin %(margin)s (cost %(cost)s on %(revenue)s).") % {
            "margin": _shown(self.margin_pct),
            "cost": yuan(self.cost),
            "revenue": yuan(self.revenue),
        }


def fingerprint(order: "Order") -> str:
    """A digest of what the margin depends on: products, quantities, units and prices."""
    return _fingerprint_of(list(order.lines.order_by("position")))


def _fingerprint_of(lines: list["OrderLine"]) -> str:
    content = [
        [line.product_id, str(line.quantity), line.unit, str(line.unit_price)]
        for line in sorted(lines, key=lambda line: line.position)
    ]
    return hashlib.sha256(json.dumps(content).encode()).hexdigest()


def _check_line(line: "OrderLine", rules: IntakeSettings) -> LineMargin:
    product = line.product
    n = line.position
    quantity: Decimal = line.quantity
    quoted: Decimal = line.unit_price
    parts = unit_cost_parts(product, rules)
    unit_cost = sum(parts.values(), ZERO)
    revenue = (quantity * quoted).quantize(CENT)
    cost = (quantity * unit_cost).quantize(CENT)
    problems: list[str] = []
    discount = _pct(product.list_price - quoted, product.list_price) if product.list_price else None
    margin = None
    if line.unit != product.unit:
        problems.append(
            _(
                "Line %(n)d is sold per %(unit)s but the price list and costs of %(product)s "
                "are per %(product_unit)s: finance must judge its margin"
            )
            % {
                "n": n,
                "unit": line.get_unit_display(),
                "product": product.code,
                "product_unit": product.get_unit_display(),
            }
        )
        discount = None
    elif quoted <= ZERO:
        problems.append(_("Line %(n)d is priced at ¥0") % {"n": n})
    else:
        margin = _pct(quoted - unit_cost, quoted)
        if margin < rules.min_margin_pct:
            problems.append(
                _(
                    "Line %(n)d: margin %(margin)s is below the %(minimum)s threshold "
                    "(%(quoted)s quoted, %(cost)s estimated cost per %(unit)s)"
                )
                % {
                    "n": n,
                    "margin": _shown(margin),
                    "minimum": _shown(rules.min_margin_pct),
                    "quoted": yuan(quoted),
                    "cost": yuan(unit_cost),
                    "unit": product.get_unit_display(),
                }
            )
        if discount is not None and discount > rules.max_discount_pct:
            problems.append(
                _(
                    "Line %(n)d: %(discount)s below the list price %(list)s "
                    "(more than the %(maximum)s allowed)"
                )
                % {
                    "n": n,
                    "discount": _shown(discount),
                    "list": yuan(product.list_price),
                    "maximum": _shown(rules.max_discount_pct),
                }
            )
    return LineMargin(
        position=n,
        product=str(product),
        quantity=quantity,
        unit=line.get_unit_display(),
        quoted=quoted,
        list_price=product.list_price,
        discount_pct=discount,
        unit_cost=unit_cost,
        cost_parts=parts,
        revenue=revenue,
        cost=cost,
        margin_pct=margin,
        problems=problems,
    )


def price_check(order: "Order", *, rules: IntakeSettings | None = None) -> PriceCheck:
    rules = rules or IntakeSettings.load()
    rows = list(order.lines.select_related("product", "product__cost_breakdown"))
    lines = [_check_line(line, rules) for line in rows]
    priced = [line for line in lines if line.margin_pct is not None]
    revenue = sum((line.revenue for line in priced), ZERO)
    cost = sum((line.cost for line in priced), ZERO)
    return PriceCheck(
        lines=lines,
        revenue=revenue,
        cost=cost,
        margin_pct=_pct(revenue - cost, revenue) if revenue > ZERO else None,
        min_margin_pct=rules.min_margin_pct,
        max_discount_pct=rules.max_discount_pct,
        fingerprint=_fingerprint_of(rows),
    )
