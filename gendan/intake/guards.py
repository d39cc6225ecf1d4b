"""Intake's pipeline guards (see orders/pipeline.py): each answers None or what is missing.

Guards only read: they run for every page that lists an order's possible steps.
"""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from gendan.accounts.models import User
    from gendan.orders.models import Order


def written_record_present(order: "Order", user: "User") -> str | None:
    """I1: a verbal order (or another configured channel) needs its written record first."""
    from gendan.intake.lookups import intake_for
    from gendan.intake.models import IntakeSettings

    if order.channel not in IntakeSettings.load().written_record_channels:
        return None
    intake = intake_for(order)
    if intake is not None and intake.has_written_record:
        return None
    return _(
        "The order came in as “%(channel)s”: attach its written record (upload it or type "
        "it in on the order's intake page)."
    ) % {"channel": order.get_channel_display()}


def order_is_complete(order: "Order", user: "User") -> str | None:
    """I3: everything the order's type requires is there (lines themselves: `has_lines`)."""
    from gendan.intake.completeness import missing_items

    if not order.lines.exists():
        return None  # `has_lines` says so already
    missing = missing_items(order)
    if not missing:
        return None
    return _("The order is incomplete: %(missing)s.") % {"missing": "; ".join(missing)}


def margin_confirmed(order: "Order", user: "User") -> str | None:
    """I5: a low margin (or large discount) needs finance's confirmation of these prices."""
    from gendan.intake.lookups import intake_for
    from gendan.intake.pricing import price_check

    check = price_check(order)
    if not check.flagged:
        return None
    intake = intake_for(order)
    if intake is not None and intake.margin_confirmed_fingerprint == check.fingerprint:
        return None
    return _("Finance must confirm the price: %(problems)s.") % {
        "problems": "; ".join(check.problems)
    }
