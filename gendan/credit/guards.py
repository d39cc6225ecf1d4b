"""The credit check as a pipeline guard (`approve_intake`, see orders/pipeline.py)."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from gendan.accounts.models import User
    from gendan.orders.models import Order


def credit_cleared(order: "Order", user: "User") -> str | None:
    """None when the credit check passes or finance has secured the order, else why not."""
    from gendan.credit.decision import decide  # the pipeline loads before the apps' models
    from gendan.credit.models import CreditResult

    decision = decide(order)
    if decision.cleared:
        return None
    if decision.result == CreditResult.BLOCKED:
        return decision.summary
    return (
        decision.summary
        + " "
        + _("Finance records the guarantee or prepayment on the order's intake page.")
    )
