"""Guards quality puts in front of other steps.

- `no_open_nonconformance(work_order)`: registered in `production.hooks.FINISH_GUARDS`; a work
  order whose goods are quarantined and undecided (or in rework awaiting re-inspection) cannot
  be finished: nonconforming goods do not move on to the next operation.
- `no_open_quality_issue(order, user)`: for the order pipeline (`ship`, closure): every
  nonconformance of the order is closed.
"""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from gendan.quality.models import Nonconformance

if TYPE_CHECKING:
    from gendan.accounts.models import User
    from gendan.orders.models import Order
    from gendan.production.models import WorkOrder


def no_open_nonconformance(work_order: "WorkOrder") -> str | None:
    numbers = list(
        Nonconformance.objects.not_closed()
        .filter(inspection__work_order=work_order)
        .order_by("number")
        .values_list("number", flat=True)
    )
    if numbers:
        return _(
            "Goods of work order %(wo)s are quarantined (%(numbers)s): decide the "
            "nonconformance before the work order is finished."
        ) % {"wo": work_order.number, "numbers": ", ".join(numbers)}
    return None


def no_open_quality_issue(order: "Order", user: "User") -> str | None:
    numbers = list(
        Nonconformance.objects.not_closed()
        .filter(order=order)
        .order_by("number")
        .values_list("number", flat=True)
    )
    if numbers:
        return _("Nonconformances still open: %(numbers)s.") % {"numbers": ", ".join(numbers)}
    return None
