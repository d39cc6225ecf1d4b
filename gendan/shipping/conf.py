"""Shipping's business settings, read from `settings.GENDAN` each time (tests override them)."""

from typing import cast

from django.conf import settings

#: Working days sales has to act on a delivery discrepancy.
DISCREPANCY_WORKING_DAYS = 2
#: Working days finance has to take up a settlement request.
SETTLEMENT_WORKING_DAYS = 2
#: Working days the clerk has to issue the shipping notice once its task opens.
NOTICE_TASK_WORKING_DAYS = 1


def notice_days() -> int:
    """Working days before the delivery date on which the shipping notice task opens (E6)."""
    return cast(int, settings.GENDAN.get("SHIPPING_NOTICE_DAYS", 5))
