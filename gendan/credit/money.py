"""Amounts as people read them: ¥1,230,000 (no cents when there are none)."""

from decimal import Decimal

CENT = Decimal("0.01")


def yuan(amount: Decimal | int) -> str:
    value = Decimal(amount).quantize(CENT)
    if value == value.to_integral_value():
        return f"¥{int(value):,}"
    return f"¥{value:,.2f}"
