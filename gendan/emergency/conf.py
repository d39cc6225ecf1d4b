"""Emergency-order settings (seed 001), read from `settings.GENDAN` with these defaults.

A deployment sets them through the environment in `gendan/settings.py` (keys as named here);
tests override them with the `settings` fixture.
"""

from decimal import Decimal

from django.conf import settings

DEFAULTS: dict[str, str] = {
    # X: hours within which the clerk confirms the order with the customer (clock hours).
    "EMERGENCY_DEFAULT_HOURS": "2",
    # Y: hours within which production answers whether the date holds, with options.
    "EMERGENCY_ANSWER_HOURS": "4",
    # Time limit of each engine question while the worker computes the options, in seconds.
    "EMERGENCY_OPTION_SECONDS": "10",
    # Hours procurement and logistics get for their part of the processing sheet.
    "EMERGENCY_DEPARTMENT_HOURS": "8",
    # An order whose lead time is below this share of the normal cycle is an emergency.
    "EMERGENCY_LEAD_SHARE": "0.5",
    # Overtime offered per working day on the bottleneck centre, and its cost per hour.
    "EMERGENCY_OVERTIME_HOURS": "4",
    "EMERGENCY_OVERTIME_COST_PER_HOUR": "600",
    # Cost per hour of a shift worked on a rest day.
    "EMERGENCY_EXTRA_SHIFT_COST_PER_HOUR": "900",
    # An outside shop: its lead time in hours and its price per unit of product.
    "EMERGENCY_OUTSOURCE_LEAD_HOURS": "72",
    "EMERGENCY_OUTSOURCE_COST_PER_UNIT": "400",
    # What a day of broken promise costs per order (penalty, goodwill), to price slips.
    "EMERGENCY_LATE_COST_PER_DAY": "2000",
}


def number(name: str) -> Decimal:
    value = Decimal(str(settings.GENDAN.get(name, DEFAULTS[name])))
    if value < 0:
        raise ValueError(f"setting {name} must not be negative, not {value}")
    return value


def hours(name: str) -> int:
    return max(int(number(name)), 1)
