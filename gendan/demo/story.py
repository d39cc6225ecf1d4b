"""One demo order's life (a *story*) and the writer that plans its events.

The writer plans events, each a gap after the previous one and a function that performs it
through the real actions. Nothing runs while planning; `gendan.demo.orders` later runs every
story's events in one chronological sequence on the demo clock.
"""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from gendan.accounts.models import User
from gendan.customers.models import Customer
from gendan.demo import texts as S
from gendan.demo.customers import Segment
from gendan.demo.registry import DemoContext, hooks_for
from gendan.orders.actions import add_comment, log_communication, transition_order
from gendan.orders.models import Order
from gendan.orders.status import Status
from gendan.tasks.actions import cancel_task, complete_task, due_at_for, open_task
from gendan.tasks.models import Task, TaskState

UNITS = {"t": "吨", "ream": "令", "roll": "卷", "sheet": "张", "pc": "件"}


class DemoOrderFailed(RuntimeError):
    """An action refused a demo step: a rule changed and the demo has not caught up."""


@dataclass(frozen=True)
class TaskPlan:
    """A task the story opens: for a department (code) or a person (key), and how it ends."""

    title: str
    department: str | None
    assignee: str | None
    working_days: int
    #: Person key of who completes it ("clerk" = the order's clerk).
    completer: str
    opener: str
    kind: str
    outcome: str
    #: How long it usually takes, in hours (low, high), and how often it runs late.
    takes: tuple[float, float] = (2, 20)
    late: float = 0.15


@dataclass
class Story:
    index: int
    customer: Customer
    segment: Segment
    clerk: str
    emergency: bool
    target: Status
    path: list[str]
    rng: random.Random
    contact: str
    lines: list[dict[str, Any]] = field(default_factory=list)
    order: Order | None = None
    #: Tasks opened and not yet completed or cancelled, with their plan.
    open_tasks: list[tuple[Task, TaskPlan]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def current(self) -> Order:
        if self.order is None:
            raise DemoOrderFailed(f"demo order {self.index} was used before it was created")
        return self.order

    def person(self, key: str) -> str:
        return self.clerk if key == "clerk" else key


@dataclass
class Planned:
    gap: dt.timedelta
    label: str
    run: Callable[[], None]


class StoryWriter:
    """Plans a story's events: transitions, tasks, talks and comments."""

    def __init__(self, ctx: DemoContext, story: Story) -> None:
        self.ctx = ctx
        self.story = story
        self.rng = story.rng
        self.plan: list[Planned] = []
        #: Tasks planned to be open at this point of the story (known while planning).
        self.pending: list[TaskPlan] = []
        #: Scratch space between the steps of one transition (e.g. what a negotiation agreed).
        self.notes: dict[str, Any] = {}
        #: Emergencies move in hours, everything else in working days.
        self.pace = 0.12 if story.emergency else 1.0

    # --- gaps -------------------------------------------------------------------------------

    def hours(self, low: float, high: float) -> dt.timedelta:
        return dt.timedelta(hours=self.rng.uniform(low, high) * self.pace)

    def days(self, low: float, high: float) -> dt.timedelta:
        return dt.timedelta(days=self.rng.uniform(low, high) * self.pace)

    def add(self, gap: dt.timedelta, label: str, run: Callable[[], None]) -> None:
        self.plan.append(Planned(max(gap, dt.timedelta(minutes=2)), label, run))

    def user(self, key: str) -> User:
        return self.ctx.user(self.story.person(key))

    def facts(self) -> dict[str, Any]:
        """What texts may mention, read from the order as it is at the moment of the event."""
        story = self.story
        order = story.current
        first = story.lines[0]
        product = first["product"]
        return {
            **story.facts,
            "product": product.name,
            "grammage": first["grammage"],
            "width_text": f"幅宽{first['width_mm']}mm" if first["width_mm"] else "平板",
            "quantity": f"{first['quantity']:g}{UNITS.get(first['unit'], first['unit'])}",
            "place": order.delivery_place,
            "reference": order.customer_reference or order.number,
            "requested": order.requested_date.isoformat(),
            "contact": story.contact,
            "workshop": product.line.production_department.name,
            "arrival": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
        }

    # --- building blocks --------------------------------------------------------------------

    def talk(self, gap: dt.timedelta, talk: S.Talk | Callable[[], S.Talk]) -> None:
        """A call, e-mail, meeting or visit; `talk` may be chosen when it happens."""
        story = self.story

        def run() -> None:
            chosen = talk() if callable(talk) else talk
            facts = self.facts()
            log_communication(
                order=story.current,
                user=self.user(chosen.speaker),
                channel=chosen.channel,
                counterpart=chosen.counterpart or f"{story.customer.name} {story.contact}",
                summary=S.fill(chosen.summary, facts),
                body=S.fill(chosen.body, facts),
            )

        self.add(gap, "communication", run)

    def comment(self, gap: dt.timedelta, who: str, text: str) -> None:
        def run() -> None:
            add_comment(
                order=self.story.current, user=self.user(who), text=S.fill(text, self.facts())
            )

        self.add(gap, "comment", run)

    def transition(self, gap: dt.timedelta, name: str, who: str, reason: str = "") -> None:
        """A pipeline transition, with the hooks registered for it before and after."""
        story, ctx = self.story, self.ctx

        def run() -> None:
            before = hooks_for(name, "before")
            for hook in before:
                hook(ctx, story.current, story)
            if before:
                story.current.refresh_from_db()
            story.order = transition_order(
                order=story.current, name=name, user=self.user(who), reason=reason
            )
            for hook in hooks_for(name, "after"):
                hook(ctx, story.current, story)

        self.add(gap, f"transition “{name}”", run)

    def open_tasks(self, gap: dt.timedelta, plans: list[TaskPlan]) -> None:
        if not plans:
            return
        story, ctx = self.story, self.ctx
        self.pending += plans

        def run() -> None:
            departments = ctx.extra["departments"]
            for plan in plans:
                if story.emergency:
                    due = due_at_for(hours=max(2, plan.working_days * 4))
                else:
                    due = due_at_for(working_days=plan.working_days)
                task = open_task(
                    user=self.user(plan.opener),
                    title=f"{plan.title}（{story.current.number}）",
                    due_at=due,
                    order=story.current,
                    department=departments[plan.department] if plan.department else None,
                    assignee=self.user(plan.assignee) if plan.assignee else None,
                    kind=plan.kind,
                    due_in_hours=story.emergency,
                )
                story.open_tasks.append((task, plan))

        self.add(gap, "open tasks", run)

    def complete_pending(self, outcome: str | None = None) -> None:
        """Complete the open tasks one after another, each taking its usual time."""
        story = self.story
        for plan in self.pending:
            late = self.rng.random() < plan.late
            gap = self.days(2.5, 5) if late else self.hours(*plan.takes)

            def run() -> None:
                task, done = story.open_tasks.pop(0)
                complete_task(
                    task=task,
                    user=self.user(done.completer),
                    outcome=S.fill(outcome or done.outcome, self.facts()),
                )

            self.add(gap, "complete task", run)
        self.pending = []

    def cancel_pending(self, gap: dt.timedelta, reason: str) -> None:
        """Cancel the order's open work: the story's tasks and any a feature opened."""
        story = self.story

        def run() -> None:
            story.open_tasks.clear()
            for task in Task.objects.filter(order=story.current, state=TaskState.OPEN):
                cancel_task(task=task, user=self.user("sales_head"), reason=reason)

        self.add(gap, "cancel tasks", run)
        self.pending = []
