"""The intake feasibility check (I6) answered by the capable-to-promise engine.

Select it with `GENDAN["FEASIBILITY_CHECKER"] = "gendan.planning.feasibility.
CapableToPromiseChecker"`. Intake asks while pages load, so the checker never solves: it gives
the last stored engine answer for the order when there is one, and otherwise asks the worker
for one and answers with intake's lead-time estimate meanwhile, saying so.
"""

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.intake.feasibility import Feasibility, LeadTimeBacklogChecker
from gendan.planning.models import AnswerState, PlanRun, PromiseAnswer

if TYPE_CHECKING:
    from gendan.orders.models import Order


def latest_answer(order: "Order") -> PromiseAnswer | None:
    """The order's last answered (or failed) promise answer."""
    return (
        PromiseAnswer.objects.filter(order=order)
        .exclude(state=AnswerState.PENDING)
        .select_related("bottleneck")
        .first()
    )


def as_feasibility(answer: PromiseAnswer, *, stale: bool) -> Feasibility:
    """A done answer as intake's `Feasibility`."""
    when = timezone.localtime(answer.computed_at or answer.requested_at).strftime("%Y-%m-%d %H:%M")
    if answer.holds:
        verdict = _("the date asked, %(date)s, holds") % {"date": answer.asked_date}
    elif answer.holds is False:
        verdict = _("the date asked, %(date)s, does not hold") % {"date": answer.asked_date}
    else:
        verdict = _("whether %(date)s holds is not known (time limit)") % {
            "date": answer.asked_date
        }
    reason = _(
        "Capacity check of %(when)s: earliest delivery %(earliest)s; %(verdict)s. %(why)s"
    ) % {
        "when": when,
        "earliest": answer.earliest_date or "—",
        "verdict": verdict,
        "why": answer.reason,
    }
    if stale:
        reason += " " + _("The order or the plan changed since: a new check is on its way.")
    return Feasibility(answer.earliest_date, bool(answer.holds), reason)


class CapableToPromiseChecker:
    """`gendan.intake.feasibility.FeasibilityChecker` over the engine's stored answers."""

    def check(self, order: "Order") -> Feasibility:
        from gendan.planning.actions import request_promise

        if order.pk is None:  # not saved yet: nothing to ask the engine about
            return LeadTimeBacklogChecker().check(order)
        answer = latest_answer(order)
        current = PlanRun.objects.filter(is_current=True).values_list("pk", flat=True).first()
        stale = answer is None or answer.is_stale(
            order_version=order.version, current_run_id=current
        )
        if stale:
            request_promise(order=order)
        if answer is not None and answer.state == AnswerState.DONE:
            return as_feasibility(answer, stale=stale)
        estimate = LeadTimeBacklogChecker().check(order)
        if answer is not None:  # the engine could not plan the order (no routing...)
            why = _("No capacity check (%(reason)s); lead-time estimate: %(estimate)s")
            values = {"reason": answer.reason.rstrip("."), "estimate": estimate.reason}
        else:
            why = _("Capacity check on its way; lead-time estimate meanwhile: %(estimate)s")
            values = {"estimate": estimate.reason}
        return Feasibility(estimate.earliest_date, estimate.holds, why % values)
