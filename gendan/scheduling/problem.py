"""The scheduling problem as plain, immutable data.

Everything is in integer time units counted from an origin the caller chooses (see
`timescale.TimeScale`); the engine never sees a datetime. The Django side builds these objects
from orders, routings, stock and the working-day calendar; tests and the benchmark build them by
hand.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

OpKey = tuple[str, str]
"""An operation is identified by (order id, operation id): routing step ids repeat across orders."""

Window = tuple[int, int]
"""A half-open available time window [start, end) on a work centre."""


@dataclass(frozen=True)
class WorkCentre:
    """A machine or a group of identical machines.

    `capacity` 1 means one operation at a time (a paper machine, a sheeter); above 1 the centre
    is cumulative and runs operations side by side up to `capacity` units of demand (a packing
    hall with three lines). `windows` lists the times the centre works (shifts on working days);
    None means always available. An operation must fit inside one window: it is never split across
    a break (see docs/scheduling.md, "Calendars").
    """

    id: str
    capacity: int = 1
    windows: tuple[Window, ...] | None = None


@dataclass(frozen=True)
class Operation:
    """One routing step of an order.

    `durations` maps each work centre that can do the step to its processing time there
    (alternatives: PM1 or PM2, winder 1 or 2). `setup` is added on whichever centre is chosen,
    so the centre is occupied for setup + duration. `release` is the earliest start for this step
    alone, e.g. when its material arrives. `demand` is the capacity it takes on a cumulative centre.
    """

    id: str
    durations: Mapping[str, int]
    setup: int = 0
    release: int = 0
    demand: int = 1


@dataclass(frozen=True)
class Order:
    """A customer order (or a job) with its routing.

    `operations` are in routing order; unless `precedence` is given they form a chain. With
    `precedence` (pairs of operation ids, "a before b") the routing may branch and join, and
    the list order no longer matters. `due` is the promised completion (None: no promise yet);
    `weight` scales its tardiness in `plan_all` and `expedite_whatif`; `release` is the earliest
    start of every operation, e.g. the date the caller computed from stock, open purchase orders
    and supplier lead time.
    """

    id: str
    operations: tuple[Operation, ...]
    due: int | None = None
    weight: int = 1
    release: int = 0
    precedence: tuple[tuple[str, str], ...] | None = None

    def arcs(self) -> list[tuple[str, str]]:
        """The precedence arcs between this order's operation ids."""
        if self.precedence is not None:
            return list(self.precedence)
        ops = self.operations
        return [(ops[i].id, ops[i + 1].id) for i in range(len(ops) - 1)]


@dataclass(frozen=True)
class Assignment:
    """Where and when one operation runs in a plan: [start, end) on `work_centre`."""

    order_id: str
    operation_id: str
    work_centre: str
    start: int
    end: int

    @property
    def key(self) -> OpKey:
        return (self.order_id, self.operation_id)


@dataclass(frozen=True)
class Plan:
    """A schedule: one assignment per operation (possibly for a subset of the orders)."""

    assignments: tuple[Assignment, ...]
    _index: dict[OpKey, Assignment] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        for a in self.assignments:
            self._index[a.key] = a

    def __iter__(self) -> Iterator[Assignment]:
        return iter(self.assignments)

    def __len__(self) -> int:
        return len(self.assignments)

    def get(self, order_id: str, operation_id: str) -> Assignment | None:
        return self._index.get((order_id, operation_id))

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def order_end(self, order_id: str) -> int | None:
        """Completion of an order: the end of its last planned operation (None if not planned)."""
        ends = [a.end for a in self.assignments if a.order_id == order_id]
        return max(ends) if ends else None

    def order_ends(self) -> dict[str, int]:
        ends: dict[str, int] = {}
        for a in self.assignments:
            ends[a.order_id] = max(ends.get(a.order_id, a.end), a.end)
        return ends

    @property
    def makespan(self) -> int:
        return max((a.end for a in self.assignments), default=0)


@dataclass(frozen=True)
class Problem:
    """Work centres, open orders and the current plan.

    `plan` is the plan in force (what the shop floor has been told): it is the warm start, the
    reference for measuring disturbance, and the source of the frozen window: an operation whose
    planned start is before `now + frozen` keeps its centre and times (it has started or is
    about to), and no other operation may start before `now + frozen`. `horizon` bounds every
    time; None lets the engine derive one that is always large enough.
    """

    work_centres: tuple[WorkCentre, ...]
    orders: tuple[Order, ...]
    plan: Plan | None = None
    now: int = 0
    frozen: int = 0
    horizon: int | None = None

    @property
    def frozen_until(self) -> int:
        return self.now + self.frozen

    def centre(self, centre_id: str) -> WorkCentre:
        for c in self.work_centres:
            if c.id == centre_id:
                return c
        raise KeyError(centre_id)

    def order(self, order_id: str) -> Order:
        for o in self.orders:
            if o.id == order_id:
                return o
        raise KeyError(f"unknown order {order_id!r}")

    def operations(self) -> Iterator[tuple[Order, Operation]]:
        for o in self.orders:
            for op in o.operations:
                yield o, op

    def is_pinned(self, order_id: str, operation_id: str) -> bool:
        """True when the operation is inside the frozen window and must not move."""
        if self.plan is None:
            return False
        a = self.plan.get(order_id, operation_id)
        return a is not None and a.start < self.frozen_until

    def validate(self) -> None:
        """Raise ValueError on data the engine cannot schedule; called by every entry point."""
        centres = {c.id: c for c in self.work_centres}
        if len(centres) != len(self.work_centres):
            raise ValueError("duplicate work centre id")
        for c in self.work_centres:
            if c.capacity < 1:
                raise ValueError(f"work centre {c.id}: capacity must be >= 1")
            for s, e in c.windows or ():
                if e < s:
                    raise ValueError(f"work centre {c.id}: window ({s}, {e}) ends before it starts")
        if len({o.id for o in self.orders}) != len(self.orders):
            raise ValueError("duplicate order id")
        for o in self.orders:
            ids = [op.id for op in o.operations]
            if len(set(ids)) != len(ids):
                raise ValueError(f"order {o.id}: duplicate operation id")
            if o.weight < 0:
                raise ValueError(f"order {o.id}: negative weight")
            for a, b in o.arcs():
                if a not in ids or b not in ids:
                    raise ValueError(f"order {o.id}: precedence ({a}, {b}) names no operation")
            for op in o.operations:
                if not op.durations:
                    raise ValueError(f"order {o.id} op {op.id}: no work centre can do it")
                for cid, d in op.durations.items():
                    if cid not in centres:
                        raise ValueError(f"order {o.id} op {op.id}: unknown work centre {cid!r}")
                    if d < 0 or op.setup < 0:
                        raise ValueError(f"order {o.id} op {op.id}: negative time")
                    if op.demand > centres[cid].capacity:
                        raise ValueError(f"order {o.id} op {op.id}: demand above capacity of {cid}")
        if self.plan is not None:
            known = {(o.id, op.id): op for o, op in self.operations()}
            for planned in self.plan:
                step = known.get(planned.key)
                if step is None:
                    raise ValueError(f"plan names an unknown operation {planned.key}")
                if planned.work_centre not in step.durations:
                    raise ValueError(
                        f"plan puts {planned.key} on {planned.work_centre}, not an alternative"
                    )
