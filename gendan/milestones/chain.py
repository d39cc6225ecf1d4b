"""The milestone chain of an order (E8): purchase → receipt → inspection → work orders → progress
→ inspections → warehouse → shipment → delivery, each planned against actual, in traffic lights.

Each execution app answers for its own steps with a provider `steps(order, today) -> list[Step]`
(in `<app>/milestones.py`); `PROVIDERS` lists them in the order the goods flow. This module only
judges the light of a step, so the rule is the same for every step:

- done on or before its planned date → green; done after it → amber (late, but behind us);
- not done, planned date passed → red;
- not done, the forecast (e.g. a supplier's new expected date) is after the plan → red: it will
  be late unless someone acts;
- not done, due within `WARNING_DAYS` → amber;
- otherwise green; a step with nothing planned yet is grey.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

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

#: The providers, in the order the goods flow.
PROVIDERS: tuple[str, ...] = (
    "gendan.purchasing.milestones.steps",
    "gendan.quality.milestones.incoming_steps",
    "gendan.production.milestones.steps",
    "gendan.quality.milestones.product_steps",
    "gendan.warehouse.milestones.steps",
    "gendan.shipping.milestones.steps",
)


def milestone_chain(order: Order, today: dt.date | None = None) -> list[Milestone]:
    """Every step of the order's chain that applies to it, with its light."""
    today = today or timezone.localdate()
    chain: list[Milestone] = []
    for path in PROVIDERS:
        provider: Provider = import_string(path)
        for step in provider(order, today):
            chain.append(Milestone(step, step.light(today), step.days_late(today)))
    return chain


def worst_light(chain: Sequence[Milestone]) -> Light | None:
    """The colour of the whole chain: its worst step (None for an empty chain)."""
    for light in (Light.RED, Light.AMBER, Light.GREEN):
        if any(m.light is light for m in chain):
            return light
    return Light.GREY if chain else None
