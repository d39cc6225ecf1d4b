"""Planning's background jobs: the plan of every open order, and promise answers asked for
while a page was loading. `gendan worker` runs them; tests run them inline."""

import logging

from django.tasks import task

from gendan.accounts.models import User
from gendan.core.errors import ActionError
from gendan.planning.models import AnswerState, PromiseAnswer

log = logging.getLogger(__name__)


@task()
def replan_job(user_id: int | None = None) -> int | None:
    """Re-plan every open order; the new run's id (None when no plan was found)."""
    from gendan.planning.actions import replan

    user = User.objects.filter(pk=user_id).first() if user_id else None
    try:
        return replan(user=user).pk
    except ActionError as error:
        log.warning("re-plan found no plan: %s", error)
        return None


@task()
def answer_promise_job(answer_id: int) -> str:
    """Fill in a pending promise answer."""
    from gendan.planning import services
    from gendan.planning.actions import store_promise
    from gendan.planning.models import PlanRun

    pending = PromiseAnswer.objects.select_related("order").filter(pk=answer_id).first()
    if pending is None or pending.state != AnswerState.PENDING:
        return "skipped"
    try:
        outcome = services.promise(pending.order)
    except Exception:
        log.exception("promise answer %s failed", answer_id)
        PromiseAnswer.objects.filter(pk=answer_id).update(state=AnswerState.FAILED)
        raise
    store_promise(
        order=pending.order, outcome=outcome, run=PlanRun.objects.current(), answer=pending
    )
    return "answered"
