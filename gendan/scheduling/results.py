"""What the engine's questions return: plain frozen data the Django side can store or render."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from gendan.scheduling.problem import Assignment, OpKey, Plan
from gendan.scheduling.solve import Status


class Answer(enum.StrEnum):
    """YES comes with a plan; NO is proven; UNKNOWN means the time limit hit first."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class ReasonKind(enum.StrEnum):
    """What holds an order's completion date where it is."""

    WORK_CENTRE = "work_centre"
    """A work centre is busy with other orders when the order's next step could run."""
    CALENDAR = "calendar"
    """A centre is closed (night, weekend, holiday) when the step could run."""
    MATERIAL = "material"
    """The step waits for its release date: material in stock or on order."""
    LEAD_TIME = "lead_time"
    """Nothing waits: the date is the order's own processing time from the frozen window on."""
    ROUTING = "routing"
    """The step waits for the previous step of the same order (only inside a chain)."""
    SLACK = "slack"
    """The step could start earlier; only seen in plans that are not left-justified."""


@dataclass(frozen=True)
class Step:
    """One operation on the critical chain, with what made it start when it did."""

    operation_id: str
    work_centre: str
    start: int
    end: int
    waited_for: ReasonKind
    blocker: OpKey | None = None


@dataclass(frozen=True)
class Reason:
    """Why the earliest date is what it is.

    `kind` is the first non-routing cause found walking back from the order's last step (the
    constraint that binds); `work_centre` names the bottleneck (or the closed centre) when there
    is one; `chain` is the walk itself, last step first; `wait_by_centre` adds up how long the
    order's steps queued for each centre in the plan found.
    """

    kind: ReasonKind
    work_centre: str | None
    operation_id: str | None
    chain: tuple[Step, ...]
    wait_by_centre: tuple[tuple[str, int], ...]
    text: str


@dataclass(frozen=True)
class PromiseCheck:
    """The answer of `check_promise`."""

    order_id: str
    due: int
    answer: Answer
    plan: Plan | None
    wall_time: float
    note: str = ""


@dataclass(frozen=True)
class EarliestDate:
    """The answer of `earliest_date`: a completion date, whether it is proven, and why."""

    order_id: str
    status: Status
    date: int | None
    proven_optimal: bool
    lower_bound: int | None
    reason: Reason | None
    plan: Plan | None
    wall_time: float


@dataclass(frozen=True)
class Slip:
    """An order that finishes later than planned, or later than promised, after an expedite."""

    order_id: str
    due: int | None
    planned_end: int | None
    new_end: int
    delay: int
    lateness: int


@dataclass(frozen=True)
class ExpediteResult:
    """The answer of `expedite_whatif`.

    `slips` lists every other order that ends later than in the current plan or past its due
    date, worst first; `broken_promises` keeps those past their due date.
    """

    order_id: str
    due: int
    answer: Answer
    status: Status
    proven_optimal: bool
    weighted_lateness: int | None
    disturbance: int | None
    slips: tuple[Slip, ...]
    plan: Plan | None
    wall_time: float

    @property
    def broken_promises(self) -> tuple[Slip, ...]:
        return tuple(s for s in self.slips if s.lateness > 0)


@dataclass(frozen=True)
class PlanResult:
    """The answer of `plan_all`."""

    status: Status
    proven_optimal: bool
    weighted_tardiness: int | None
    makespan: int | None
    plan: Plan | None
    wall_time: float


@dataclass(frozen=True)
class FreeSlot:
    """The answer of `first_free_slot`: where a naive planner would put the order."""

    order_id: str
    date: int | None
    inserted: tuple[Assignment, ...]
    plan: Plan | None
