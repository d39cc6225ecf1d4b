"""What the production review (R2, S1) reads from planning: `ctp_answer_for(order)`.

It returns the last stored engine answer without solving, so a review page can show it while
loading; `compute=True` asks the engine now (a short time limit) and stores the answer, for a
button or an action.
"""

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gendan.planning.feasibility import latest_answer
from gendan.planning.models import AnswerState, PlanRun, PromiseAnswer

if TYPE_CHECKING:
    from gendan.accounts.models import User
    from gendan.orders.models import Order


@dataclass(frozen=True)
class CtpAnswer:
    """The capable-to-promise answer for an order, for the production review."""

    #: The date asked about: the promised date, else the requested one.
    asked_date: dt.date | None
    #: True: the date holds; False: proven not to; None: unknown (time limit or no plan).
    holds: bool | None
    earliest_date: dt.date | None
    #: Whether no earlier date exists (proven by the solver).
    proven: bool
    reason: str
    bottleneck: str | None
    #: The date a first-free-slot planner would promise (nothing moved), for comparison.
    first_free_slot_date: dt.date | None
    computed_at: dt.datetime | None
    #: The order or the plan changed since the answer was computed.
    stale: bool
    failed: bool

    @classmethod
    def of(cls, answer: PromiseAnswer, *, stale: bool) -> "CtpAnswer":
        return cls(
            asked_date=answer.asked_date,
            holds=answer.holds,
            earliest_date=answer.earliest_date,
            proven=answer.proven,
            reason=answer.reason,
            bottleneck=str(answer.bottleneck) if answer.bottleneck else None,
            first_free_slot_date=answer.free_slot_date,
            computed_at=answer.computed_at,
            stale=stale,
            failed=answer.state == AnswerState.FAILED,
        )


def ctp_answer_for(
    order: "Order", *, compute: bool = False, user: "User | None" = None
) -> CtpAnswer | None:
    """The order's capable-to-promise answer: the stored one (None if never computed), or a
    fresh one when `compute` is True."""
    if compute:
        from gendan.planning.actions import compute_promise

        return CtpAnswer.of(compute_promise(order=order, user=user), stale=False)
    answer = latest_answer(order)
    if answer is None:
        return None
    current = PlanRun.objects.filter(is_current=True).values_list("pk", flat=True).first()
    return CtpAnswer.of(
        answer, stale=answer.is_stale(order_version=order.version, current_run_id=current)
    )
