"""The questions asked of the engine, on database data: promise check and earliest date (with
the reason in words and the first-free-slot date beside it), expedite what-if, and the plan of
every open order. Nothing here writes to the database; `actions.py` stores the answers.

Solves take seconds: pages never call these while loading. A question a user asks runs with a
short time limit (`PLANNING_ASK_SECONDS`); the plan of all orders runs in the worker.
"""

import datetime as dt
import time
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gendan.orders.models import Order
from gendan.planning import conf
from gendan.planning.builder import Built, build, run_plan
from gendan.planning.words import reason_text
from gendan.scheduling import (
    Answer,
    ExpediteResult,
    Plan,
    PlanResult,
    ReasonKind,
    check_promise,
    earliest_date,
    expedite_whatif,
    first_free_slot,
    plan_all,
    violations,
)
from gendan.scheduling.naive import baseline

#: Share of a question's time limit for the earliest date; a promise check gets the rest.
EARLIEST_SHARE = 0.6


@dataclass(frozen=True)
class PromiseOutcome:
    """The answer for one order, ready to be stored (`models.PromiseAnswer`)."""

    order_number: str
    asked_date: dt.date | None
    #: yes / no (proven) / unknown; None when the order could not be planned at all.
    answer: Answer | None
    earliest_date: dt.date | None
    earliest_at: dt.datetime | None
    proven: bool
    reason_kind: str
    reason: str
    bottleneck: str | None
    free_slot_date: dt.date | None
    wall_time: float
    plan: Plan | None


def promise(
    order: Order,
    *,
    now: dt.datetime | None = None,
    time_limit: float | None = None,
    built: Built | None = None,
) -> PromiseOutcome:
    """Can `order` be delivered by its promised (else requested) date without breaking any
    other promise, what is the earliest date, why, and what would first-free-slot promise?"""
    started = time.perf_counter()
    limit = time_limit or conf.ask_seconds()
    built = built or build(now=now, include=[order])
    asked = order.promised_date or order.requested_date
    number = order.number
    if number in built.unplanned:
        return PromiseOutcome(
            number, asked, None, None, None, False, "", built.unplanned[number], None, None,
            time.perf_counter() - started, None,
        )  # fmt: skip
    problem = built.problem
    workers = conf.workers()
    est = earliest_date(
        problem, order_id=number, time_limit=limit * EARLIEST_SHARE, num_workers=workers
    )
    free = first_free_slot(problem, order_id=number)
    due = built.due_units(asked) if asked else None
    date, plan, proven = est.date, est.plan, est.proven_optimal
    if due is None:
        answer = Answer.YES if date is not None else Answer.UNKNOWN
    elif date is not None and date <= due:
        answer = Answer.YES
    elif date is not None and proven:
        answer = Answer.NO
    else:
        left = max(limit - (time.perf_counter() - started), 0.5)
        check = check_promise(
            problem, order_id=number, due=due, time_limit=left, num_workers=workers
        )
        answer = check.answer
        if check.answer == Answer.YES and check.plan is not None:
            plan = check.plan
            date = check.plan.order_end(number)
            proven = False
    reason = reason_text(built, number, est.reason)
    if answer == Answer.NO and est.lower_bound is not None and not proven:
        reason += " " + _("No plan meets the date asked (proven).")
    return PromiseOutcome(
        order_number=number,
        asked_date=asked,
        answer=answer,
        earliest_date=built.delivery_date(date) if date is not None else None,
        earliest_at=built.moment(date) if date is not None else None,
        proven=proven,
        reason_kind=str(est.reason.kind) if est.reason else "",
        reason=reason,
        bottleneck=est.reason.work_centre
        if est.reason and est.reason.kind in (ReasonKind.WORK_CENTRE, ReasonKind.CALENDAR)
        else None,
        free_slot_date=built.delivery_date(free.date) if free.date is not None else None,
        wall_time=time.perf_counter() - started,
        plan=plan,
    )


def expedite(
    order: Order,
    due_date: dt.date,
    *,
    now: dt.datetime | None = None,
    time_limit: float | None = None,
) -> tuple[Built, ExpediteResult]:
    """Force `order` to be delivered by `due_date`: which orders slip, and by how much."""
    built = build(now=now, include=[order], due_overrides={order.pk: due_date})
    result = expedite_whatif(
        built.problem,
        order_id=order.number,
        due=built.due_units(due_date),
        time_limit=time_limit or conf.ask_seconds(),
        num_workers=conf.workers(),
    )
    return built, result


def replan(
    *, now: dt.datetime | None = None, time_limit: float | None = None
) -> tuple[Built, PlanResult]:
    """The plan of every open order, warm-started from the current stored run."""
    built = build(now=now)
    result = plan_all(
        built.problem,
        warm_start=run_plan(built, built.run),
        time_limit=time_limit or conf.replan_seconds(),
        num_workers=conf.workers(),
    )
    return built, result


def dispatched_plan(built: Built) -> Plan | None:
    """A valid plan without the solver: the plan in force with the rest dispatched by date.

    The fallback when the solver finds nothing within its time limit (a busy machine): a
    plan that is valid but not optimised is better than none.
    """
    start = baseline(built.problem)
    if start is None or violations(built.problem, start):
        return None
    return Plan(tuple(start.values()))
