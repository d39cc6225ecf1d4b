"""`{% promise_panel order as promise %}`: what "planning/_promise.html" shows for an order
(the last stored answer, whether one is being computed, whether the user may ask again)."""

from dataclasses import dataclass
from typing import Any

from django import template
from django.utils import timezone

from gendan.orders.models import Order
from gendan.planning.actions import PENDING_FOR
from gendan.planning.models import AnswerState, PlanRun, PromiseAnswer
from gendan.planning.permissions import can_ask_promise

register = template.Library()
LOOK_BACK = 5


@dataclass(frozen=True)
class PromisePanel:
    answer: PromiseAnswer | None
    pending: bool
    stale: bool
    can_ask: bool

    @property
    def days_saved(self) -> int | None:
        return self.answer.days_earlier_than_free_slot if self.answer else None


@register.simple_tag(takes_context=True)
def promise_panel(context: dict[str, Any], order: Order) -> PromisePanel:
    rows = list(PromiseAnswer.objects.filter(order=order).select_related("bottleneck")[:LOOK_BACK])
    answer = next((r for r in rows if r.state != AnswerState.PENDING), None)
    pending = any(
        r.state == AnswerState.PENDING
        and r.requested_at >= timezone.now() - PENDING_FOR
        and (answer is None or r.requested_at > answer.requested_at)
        for r in rows
    )
    stale = False
    if answer is not None:
        current = PlanRun.objects.filter(is_current=True).values_list("pk", flat=True).first()
        stale = answer.is_stale(order_version=order.version, current_run_id=current)
    request = context.get("request")
    user = getattr(request, "user", None)
    return PromisePanel(answer, pending, stale, bool(user is not None and can_ask_promise(user)))
