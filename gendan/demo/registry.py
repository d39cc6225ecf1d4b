"""The demo's extension points: steps that build one area each, and hooks into order lives.

A feature adds its demo data with a module in `gendan.demo` that registers
- a step: `@demo_step(order=50)` runs once, after the steps with a lower order number
  (people 10, catalog 20, customers 30, orders 40);
- or hooks into each demo order's life: `@on_transition("approve_review", when="before")`
  runs just before that transition of every demo order, on the demo clock, so that the
  feature's own records (a review report, a contract...) exist when its guards are checked;
  `when="after"` runs right after the transition.
and lists the module in `gendan.demo.MODULES`.
"""

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from gendan.demo.clock import DemoClock

if TYPE_CHECKING:
    from gendan.accounts.models import User
    from gendan.catalog.models import Product
    from gendan.customers.models import Customer
    from gendan.orders.models import Order


@dataclass(frozen=True)
class DemoOptions:
    orders: int = 300
    customers: int = 40
    seed: int = 2026
    #: Fail on the first demo step a rule refuses (tests); otherwise that order stops where it
    #: is and the refusal is reported, so the rest of the demo still loads.
    strict: bool = False


@dataclass(frozen=True)
class Login:
    """A demo account, as printed for the people trying the demo."""

    username: str
    name: str
    role: str
    departments: str
    password: str


@dataclass
class DemoContext:
    """What the steps share: options, the random source, the clock and what was built."""

    options: DemoOptions
    rng: random.Random
    clock: DemoClock
    #: The real time when the demo started; nothing is dated after it.
    started: dt.datetime
    users: dict[str, "User"] = field(default_factory=dict)
    logins: list[Login] = field(default_factory=list)
    customers: list["Customer"] = field(default_factory=list)
    products: list["Product"] = field(default_factory=list)
    orders: list["Order"] = field(default_factory=list)
    #: Room for later steps to pass things along (keyed by the step's module name).
    extra: dict[str, Any] = field(default_factory=dict)
    #: Why demo orders stopped early (not strict): "step: rule's message" -> how many orders.
    refusals: Counter[str] = field(default_factory=Counter)

    def user(self, key: str) -> "User":
        return self.users[key]


Step = Callable[[DemoContext], None]
#: A hook gets the context, the order (fresh from the database) and the order's demo story.
Hook = Callable[[DemoContext, "Order", Any], None]


@dataclass(frozen=True)
class RegisteredStep:
    order: int
    name: str
    run: Step


STEPS: list[RegisteredStep] = []
HOOKS: dict[tuple[str, str], list[Hook]] = {}


def demo_step(*, order: int) -> Callable[[Step], Step]:
    def register(function: Step) -> Step:
        name = f"{function.__module__}.{function.__name__}"
        if not any(step.name == name for step in STEPS):
            STEPS.append(RegisteredStep(order, name, function))
        return function

    return register


def on_transition(
    name: str, *, when: Literal["before", "after"] = "before"
) -> Callable[[Hook], Hook]:
    def register(function: Hook) -> Hook:
        hooks = HOOKS.setdefault((when, name), [])
        if function not in hooks:
            hooks.append(function)
        return function

    return register


def hooks_for(name: str, when: Literal["before", "after"]) -> list[Hook]:
    return HOOKS.get((when, name), [])
