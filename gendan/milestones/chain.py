"""The milestone chain of an order (E8): purchase → receipt → inspection → work orders → progress
→ inspections → warehouse → shipment → delivery, each planned against actual, in traffic lights.

Each execution app answers for its own steps with a provider `steps(order, today) -> list[Step]`
(in `<app>/milestones.py`); `PROVIDERS` lists them in the order the goods flow, each with its
probe `probe() -> condition`: whether the provider may have steps for an order, as a condition
on the order row (`OuterRef("pk")`). The chain asks every probe and the allocation sheet's due
dates in one query and calls only the providers whose probe holds: an order in execution with
nothing bought, made or shipped yet costs a few queries, not one or more per provider. This
module only judges the light of a step, so the rule is the same for every step:

- done on or before its planned date → green; done after it → amber (late, but behind us);
- not done, planned date passed → red;
- not done, the forecast (e.g. a supplier's new expected date) is after the plan → red: it will
  be late unless someone acts;
- not done, due within `WARNING_DAYS` → amber;
- otherwise green; a step with nothing planned yet is grey.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from gendan.orders.models import Order

#: A step not done and due within this many calendar days shows amber.
WARNING_DAYS = 2


class Light(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    GREY = "grey"


LIGHT_LABELS = {
    Light.GREEN: _("on time"),
    Light.AMBER: _("at risk"),
    Light.RED: _("late"),
    Light.GREY: _("not planned yet"),
}


@dataclass(frozen=True)
class Step:
    """One milestone of one order, as its app knows it."""

    key: str
    label: str | Promise
    planned: dt.date | None
    actual: dt.date | None = None
    done: bool = False
    forecast: dt.date | None = None
    detail: str | Promise = ""
    url: str = ""

    def light(self, today: dt.date) -> Light:
        if self.done:
            late = self.planned and self.actual and self.actual > self.planned
            return Light.AMBER if late else Light.GREEN
        if self.planned is None:
            return Light.GREY
        if today > self.planned or (self.forecast and self.forecast > self.planned):
            return Light.RED
        if (self.planned - today).days <= WARNING_DAYS:
            return Light.AMBER
        return Light.GREEN

    def days_late(self, today: dt.date) -> int:
        """Days past the plan: of the actual date when done, of today (or the forecast) when not."""
        if self.planned is None:
            return 0
        end = self.actual if self.done else max(today, self.forecast or today)
        return max(0, ((end or today) - self.planned).days)


@dataclass(frozen=True)
class Milestone:
    """A step with its light, as the order page shows it."""

    step: Step
    light: Light
    days_late: int

    @property
    def light_label(self) -> str:
        return str(LIGHT_LABELS[self.light])


Provider = Callable[["Order", dt.date], Sequence[Step]]
#: Whether a provider may have steps for an order: a condition on the order row (`OuterRef("pk")`).
Probe = Callable[[], Any]

#: The providers with their probes, in the order the goods flow.
PROVIDERS: tuple[tuple[str, str], ...] = (
    ("gendan.purchasing.milestones.steps", "gendan.purchasing.milestones.has_steps"),
    ("gendan.quality.milestones.incoming_steps", "gendan.quality.milestones.has_incoming_steps"),
    ("gendan.production.milestones.steps", "gendan.production.milestones.has_steps"),
    ("gendan.quality.milestones.product_steps", "gendan.quality.milestones.has_product_steps"),
    ("gendan.warehouse.milestones.steps", "gendan.warehouse.milestones.has_steps"),
    ("gendan.shipping.milestones.steps", "gendan.shipping.milestones.has_steps"),
)


@functools.cache
def _probe_query() -> QuerySet[Order, tuple[Any, ...]]:
    """Orders with one column per probe, then the due dates (`plans.due_columns`). Built once:
    the conditions do not depend on the order, and building them costs more than the query."""
    from gendan.milestones import plans
    from gendan.orders.models import Order

    probes: list[Probe] = [import_string(probe) for _steps, probe in PROVIDERS]
    conditions = [ExpressionWrapper(Q(probe()), output_field=BooleanField()) for probe in probes]
    return Order.objects.values_list(*conditions, *plans.due_columns())


def _applicable(order: Order) -> list[Provider]:
    """The providers whose probe holds for the order; the due dates are read in the same
    query and kept for `plans.allocated_due` while the chain is built."""
    from gendan.milestones import plans

    row = _probe_query().filter(pk=order.pk).get()
    plans.remember_dues(order, row[len(PROVIDERS) :])
    return [
        import_string(path)
        for (path, _probe), holds in zip(PROVIDERS, row[: len(PROVIDERS)], strict=True)
        if holds
    ]


def milestone_chain(order: Order, today: dt.date | None = None) -> list[Milestone]:
    """Every step of the order's chain that applies to it, with its light."""
    from gendan.milestones import plans

    today = today or timezone.localdate()
    chain: list[Milestone] = []
    try:
        for provider in _applicable(order):
            for step in provider(order, today):
                chain.append(Milestone(step, step.light(today), step.days_late(today)))
    finally:
        plans.forget_dues(order)
    return chain


def worst_light(chain: Sequence[Milestone]) -> Light | None:
    """The colour of the whole chain: its worst step (None for an empty chain)."""
    for light in (Light.RED, Light.AMBER, Light.GREEN):
        if any(m.light is light for m in chain):
            return light
    return Light.GREY if chain else None
