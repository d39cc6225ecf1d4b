"""Human-readable order numbers: unique and gap-free per year (I2).

The counter row is locked (SELECT ... FOR UPDATE) inside the transaction that creates the
order, so concurrent creators queue for it, and a rolled-back creation gives its number back.
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction

from gendan.orders.models import NumberSequence


def format_number(pattern: str, *, year: int, seq: int) -> str:
    return pattern.format(year=year, seq=seq)


def next_order_number(today: dt.date) -> str:
    """Take the next number for `today`'s year. Must run inside the creating transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("order numbers are taken inside the transaction that uses them")
    key = f"order-{today.year}"
    sequence = _locked_sequence(key)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    pattern: str = settings.GENDAN["ORDER_NUMBER_PATTERN"]
    return format_number(pattern, year=today.year, seq=sequence.last_value)


def _locked_sequence(key: str) -> NumberSequence:
    try:
        return NumberSequence.objects.select_for_update().get(key=key)
    except NumberSequence.DoesNotExist:
        pass
    try:
        with transaction.atomic():  # savepoint: another creator may insert the row first
            NumberSequence.objects.create(key=key)
    except IntegrityError:
        pass
    return NumberSequence.objects.select_for_update().get(key=key)
