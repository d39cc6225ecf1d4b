"""Document numbers for purchase and work orders: `PO-2026-000001`, `WO-2026-000001`.

Gap-free per prefix and year on the same locked counter rows as order numbers
(`orders.NumberSequence`): a rolled-back creation gives its number back.
"""

import datetime as dt

from django.db import IntegrityError, transaction

from gendan.orders.models import NumberSequence


def next_document_number(prefix: str, today: dt.date) -> str:
    """Take the next `prefix` number of `today`'s year. Must run inside the creating
    transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document numbers are taken inside the transaction that uses them")
    key = f"{prefix.lower()}-{today.year}"
    sequence = _locked(key)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return f"{prefix}-{today.year}-{sequence.last_value:06d}"


def _locked(key: str) -> NumberSequence:
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
