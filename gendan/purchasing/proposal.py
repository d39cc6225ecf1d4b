"""Which supplier to buy a material from (E2): lead time, price and rating.

The scoring, for the suppliers that quote the material (a `SupplierPrice` row, supplier
active):

1. Suppliers whose goods arrive by the need date (today + their lead time in working days on
   the company calendar) come before those that would arrive late.
2. Within each group, the higher score wins:

       score = 0.4 x fastest lead time / this lead time
             + 0.4 x lowest price / this price
             + 0.2 x rating / 5

   Each part is 1 for the best candidate on that criterion, so the score lies between 0 and 1.
   A lead time of 0 counts as 1 day, a price of 0 as the lowest price.
3. Ties go to the material's default supplier, then to the supplier code.

The weights are `WEIGHTS`; they are module constants rather than settings because changing them
changes every open proposal and deserves a code review.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from gendan.purchasing.models import Material, Supplier, SupplierPrice
from gendan.workdays.calendar import add_working_days

WEIGHTS = {"lead_time": Decimal("0.4"), "price": Decimal("0.4"), "rating": Decimal("0.2")}
MAX_RATING = Decimal("5")


@dataclass(frozen=True)
class Candidate:
    supplier: Supplier
    unit_price: Decimal
    lead_time_days: int
    min_order_quantity: Decimal
    arrival: dt.date
    in_time: bool
    score: Decimal

    def as_dict(self) -> dict[str, object]:
        return {
            "supplier": self.supplier.pk,
            "supplier_code": self.supplier.code,
            "supplier_name": self.supplier.name,
            "unit_price": str(self.unit_price),
            "lead_time_days": self.lead_time_days,
            "arrival": self.arrival.isoformat(),
            "in_time": self.in_time,
            "score": str(self.score),
        }


def rank_suppliers(
    material: Material,
    *,
    today: dt.date,
    need_by: dt.date | None = None,
    prices: list[SupplierPrice] | None = None,
    arrivals: dict[int, dt.date] | None = None,
) -> list[Candidate]:
    """The material's suppliers, best first (see the module docstring for the rule).

    `arrivals` caches arrival dates per lead time across calls (one calendar read each).
    """
    arrivals = {} if arrivals is None else arrivals
    if prices is None:
        prices = list(
            SupplierPrice.objects.filter(
                material=material, supplier__is_active=True
            ).select_related("supplier")
        )
    prices = [p for p in prices if p.supplier.is_active]
    if not prices:
        return []
    fastest = min(max(p.effective_lead_time_days, 1) for p in prices)
    cheapest = min(p.unit_price for p in prices)
    candidates = []
    for price in prices:
        lead = price.effective_lead_time_days
        if lead not in arrivals:
            arrivals[lead] = add_working_days(today, lead)
        arrival = arrivals[lead]
        price_part = cheapest / price.unit_price if price.unit_price > 0 else Decimal("1")
        score = (
            WEIGHTS["lead_time"] * Decimal(fastest) / Decimal(max(lead, 1))
            + WEIGHTS["price"] * price_part
            + WEIGHTS["rating"] * price.supplier.rating / MAX_RATING
        ).quantize(Decimal("0.0001"))
        candidates.append(
            Candidate(
                supplier=price.supplier,
                unit_price=price.unit_price,
                lead_time_days=lead,
                min_order_quantity=price.min_order_quantity,
                arrival=arrival,
                in_time=need_by is None or arrival <= need_by,
                score=score,
            )
        )
    default_id = material.default_supplier_id
    candidates.sort(
        key=lambda c: (not c.in_time, -c.score, c.supplier.pk != default_id, c.supplier.code)
    )
    return candidates
