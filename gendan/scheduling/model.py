"""The one CP-SAT model behind every question, job-shop benchmark included.

Each operation has a start variable and, per alternative work centre, an interval of length
setup + duration (optional when there are several alternatives, exactly one present). Unary
centres get a no-overlap constraint, the others a cumulative one. Calendars do not add intervals:
they cut the start variable's domain to the times where the operation fits inside a window, which
propagates better and costs nothing when the centre is always open. Operations in the frozen
window are fixed intervals. Order deadlines (existing promises) become hard upper bounds, pushed
back through the routing as latest starts ("tails"), and releases pushed forward as earliest
starts ("heads"): redundant, but they shrink every domain before the solver starts.

The questions differ only in the objective and the deadlines they add; see `questions.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from gendan.scheduling.calendar import centre_windows, start_ranges
from gendan.scheduling.greedy import ready_time
from gendan.scheduling.problem import Assignment, Operation, OpKey, Order, Plan, Problem

Solution = Mapping[OpKey, Assignment]


@dataclass
class OpVars:
    """The variables of one operation."""

    order: Order
    op: Operation
    start: cp_model.IntVar
    end: cp_model.IntVar
    lengths: dict[str, int]
    presence: dict[str, cp_model.IntVar] = field(default_factory=dict)
    pinned: Assignment | None = None


def default_horizon(problem: Problem, deadlines: Mapping[str, int] | None = None) -> int:
    """A horizon no active schedule can exceed: the latest fixed date plus all the work."""
    base = max(
        [0, problem.frozen_until]
        + [o.release for o in problem.orders]
        + [op.release for _, op in problem.operations()]
        + [o.due for o in problem.orders if o.due is not None]
        + list((deadlines or {}).values())
        + [a.end for a in (problem.plan or ())]
        + [c.windows[-1][1] for c in problem.work_centres if c.windows]
    )
    work = sum(op.setup + max(op.durations.values()) for _, op in problem.operations())
    return base + work


def _topological(order: Order) -> list[Operation]:
    ops = {op.id: op for op in order.operations}
    indeg = {k: 0 for k in ops}
    succ: dict[str, list[str]] = {k: [] for k in ops}
    for a, b in order.arcs():
        indeg[b] += 1
        succ[a].append(b)
    queue = [k for k in ops if indeg[k] == 0]
    out: list[Operation] = []
    while queue:
        k = queue.pop(0)
        out.append(ops[k])
        for s in succ[k]:
            indeg[s] -= 1
            if indeg[s] == 0:
                queue.append(s)
    if len(out) != len(ops):
        raise ValueError(f"order {order.id}: precedence has a cycle")
    return out


def _shift_of(key: OpKey, planned: int) -> Callable[[Solution], int]:
    """How far a solution moves one operation's start from the plan."""
    return lambda sol: abs(sol[key].start - planned)


class EngineModel:
    """A CP-SAT model of a Problem plus handles on the variables the questions need."""

    def __init__(
        self,
        problem: Problem,
        *,
        deadlines: Mapping[str, int] | None = None,
        horizon: int | None = None,
    ) -> None:
        problem.validate()
        self.problem = problem
        self.deadlines = dict(deadlines or {})
        self.horizon = horizon or problem.horizon or default_horizon(problem, deadlines)
        self.model = cp_model.CpModel()
        self.ops: dict[OpKey, OpVars] = {}
        self.sinks: dict[str, list[OpKey]] = {}
        self._order_end: dict[str, cp_model.IntVar] = {}
        self._derived: list[tuple[cp_model.IntVar, Callable[[Solution], int]]] = []
        self.empty_domains: list[OpKey] = []
        for order in problem.orders:
            self._add_order(order)
        self._add_resources()

    # -- construction -----------------------------------------------------------------------

    def _add_order(self, order: Order) -> None:
        p, m, horizon = self.problem, self.model, self.horizon
        arcs = order.arcs()
        preds: dict[str, list[str]] = {op.id: [] for op in order.operations}
        succs: dict[str, list[str]] = {op.id: [] for op in order.operations}
        for a, b in arcs:
            preds[b].append(a)
            succs[a].append(b)
        topo = _topological(order)
        minlen = {op.id: op.setup + min(op.durations.values()) for op in topo}
        head: dict[str, int] = {}
        for op in topo:
            pin = p.plan.get(order.id, op.id) if p.is_pinned(order.id, op.id) and p.plan else None
            if pin is not None:
                head[op.id] = pin.end
                continue
            ready = max([ready_time(p, order, op)] + [head[q] for q in preds[op.id]])
            head[op.id] = ready + minlen[op.id]
        tail: dict[str, int] = {}
        for op in reversed(topo):
            tail[op.id] = max([0] + [tail[s] + minlen[s] for s in succs[op.id]])
        limit = min(horizon, self.deadlines.get(order.id, horizon))
        for op in topo:
            key = (order.id, op.id)
            pin = p.plan.get(order.id, op.id) if p.is_pinned(order.id, op.id) and p.plan else None
            if pin is not None:
                self.ops[key] = self._pinned(order, op, pin)
                continue
            lo = head[op.id] - minlen[op.id]
            self.ops[key] = self._free(order, op, lo, limit - tail[op.id])
        for a, b in arcs:
            m.add(self.ops[(order.id, b)].start >= self.ops[(order.id, a)].end)
        self.sinks[order.id] = [(order.id, k) for k, v in succs.items() if not v]
        if order.id in self.deadlines:
            for key in self.sinks[order.id]:
                m.add(self.ops[key].end <= self.deadlines[order.id])

    def _pinned(self, order: Order, op: Operation, pin: Assignment) -> OpVars:
        m = self.model
        start = m.new_constant(pin.start)
        end = m.new_constant(pin.end)
        ov = OpVars(order, op, start, end, {pin.work_centre: pin.end - pin.start}, pinned=pin)
        ov.presence[pin.work_centre] = m.new_constant(1)
        return ov

    def _free(self, order: Order, op: Operation, lo: int, hi_end: int) -> OpVars:
        """Variables of a movable operation: start in [lo, hi_end - length], inside a window."""
        m, name = self.model, f"{order.id}/{op.id}"
        ranges: dict[str, list[tuple[int, int]]] = {}
        lengths: dict[str, int] = {}
        for cid, d in sorted(op.durations.items()):
            length = op.setup + d
            windows = centre_windows(self.problem.centre(cid).windows)
            r = start_ranges(windows, length, lo, hi_end - length)
            if r:
                ranges[cid], lengths[cid] = r, length
        if not ranges:
            self.empty_domains.append((order.id, op.id))
            m.add_bool_or([])  # no room anywhere: the model is infeasible, and says so
            start = m.new_int_var(lo, lo, f"s {name}")
            return OpVars(order, op, start, m.new_int_var(lo, lo, f"e {name}"), {})
        union = sorted(v for r in ranges.values() for v in r)
        start = m.new_int_var_from_domain(cp_model.Domain.from_intervals(union), f"s {name}")
        end_lo = min(r[0][0] + lengths[c] for c, r in ranges.items())
        end_hi = max(r[-1][1] + lengths[c] for c, r in ranges.items())
        end = m.new_int_var(end_lo, end_hi, f"e {name}")
        ov = OpVars(order, op, start, end, lengths)
        if len(ranges) == 1:
            (cid,) = ranges
            ov.presence[cid] = m.new_constant(1)
            m.add(end == start + lengths[cid])
            return ov
        for cid, r in ranges.items():
            lit = m.new_bool_var(f"on {cid} {name}")
            ov.presence[cid] = lit
            m.add(end == start + lengths[cid]).only_enforce_if(lit)
            if r != union:
                m.add_linear_expression_in_domain(
                    start, cp_model.Domain.from_intervals(r)
                ).only_enforce_if(lit)
        m.add_exactly_one(ov.presence.values())
        return ov

    def _add_resources(self) -> None:
        m = self.model
        per_centre: dict[str, list[tuple[cp_model.IntervalVar, int]]] = {
            c.id: [] for c in self.problem.work_centres
        }
        for key, ov in self.ops.items():
            for cid, lit in ov.presence.items():
                length = ov.lengths[cid]
                if length == 0:
                    continue
                name = f"{key[0]}/{key[1]} on {cid}"
                if len(ov.presence) == 1:
                    iv = m.new_interval_var(ov.start, length, ov.end, name)
                else:
                    iv = m.new_optional_fixed_size_interval_var(ov.start, length, lit, name)
                per_centre[cid].append((iv, ov.op.demand))
        for centre in self.problem.work_centres:
            items = per_centre[centre.id]
            if not items:
                continue
            if centre.capacity == 1:
                m.add_no_overlap([iv for iv, _ in items])
            elif sum(d for _, d in items) > centre.capacity:
                m.add_cumulative([iv for iv, _ in items], [d for _, d in items], centre.capacity)

    # -- expressions the questions use -------------------------------------------------------

    def order_end(self, order_id: str) -> cp_model.IntVar:
        """The completion of an order: the latest end of its last operations."""
        if order_id not in self._order_end:
            ends = [self.ops[k].end for k in self.sinks[order_id]]
            var = self.model.new_int_var(0, self.horizon, f"end {order_id}")
            self.model.add_max_equality(var, ends)
            keys = list(self.sinks[order_id])
            self._derived.append((var, lambda sol: max(sol[k].end for k in keys)))
            self._order_end[order_id] = var
        return self._order_end[order_id]

    def makespan(self) -> cp_model.IntVar:
        """The end of the last operation of all orders."""
        var = self.model.new_int_var(0, self.horizon, "makespan")
        for keys in self.sinks.values():
            for k in keys:
                self.model.add(var >= self.ops[k].end)
        self._derived.append((var, lambda sol: max((a.end for a in sol.values()), default=0)))
        return var

    def tardiness(self, order_id: str) -> cp_model.IntVar | None:
        """max(0, completion - due) of an order with a due date; None without one."""
        due = self.problem.order(order_id).due
        if due is None:
            return None
        end = self.order_end(order_id)
        var = self.model.new_int_var(0, self.horizon, f"late {order_id}")
        self.model.add_max_equality(var, [0, end - due])
        keys = list(self.sinks[order_id])
        self._derived.append((var, lambda sol: max(0, max(sol[k].end for k in keys) - due)))
        return var

    def weighted_tardiness(self, order_ids: list[str] | None = None) -> cp_model.LinearExpr | int:
        """Sum of weight x tardiness; the constant 0 when no order has a due date and weight."""
        ids = order_ids if order_ids is not None else [o.id for o in self.problem.orders]
        terms: list[tuple[cp_model.IntVar, int]] = []
        for oid in ids:
            weight = self.problem.order(oid).weight
            late = self.tardiness(oid) if weight else None
            if late is not None:
                terms.append((late, weight))
        if not terms:
            return 0
        return cp_model.LinearExpr.weighted_sum([v for v, _ in terms], [w for _, w in terms])

    def disturbance(self, plan: Plan) -> cp_model.LinearExpr | int:
        """Sum over movable planned operations of |new start - planned start|."""
        shifts: list[cp_model.IntVar] = []
        for key, ov in self.ops.items():
            a = plan.get(*key)
            if a is None or ov.pinned is not None:
                continue
            var = self.model.new_int_var(0, self.horizon, f"shift {key}")
            self.model.add_abs_equality(var, ov.start - a.start)
            self._derived.append((var, _shift_of(key, a.start)))
            shifts.append(var)
        return cp_model.LinearExpr.sum(shifts) if shifts else 0

    # -- hints and solutions -----------------------------------------------------------------

    def hint(self, solution: Solution) -> None:
        """Suggest a (complete, ideally feasible) schedule as the solver's starting point."""
        self.model.clear_hints()  # type: ignore[no-untyped-call]
        for key, ov in self.ops.items():
            a = solution.get(key)
            if a is None or ov.pinned is not None:
                continue
            self.model.add_hint(ov.start, a.start)
            self.model.add_hint(ov.end, a.end)
            if len(ov.presence) > 1:
                for cid, lit in ov.presence.items():
                    self.model.add_hint(lit, cid == a.work_centre)
        if all(k in solution for k in self.ops):
            for var, fn in self._derived:
                self.model.add_hint(var, fn(solution))

    def solution(self, solver: cp_model.CpSolver) -> dict[OpKey, Assignment]:
        """The schedule in the solver's current solution."""
        out: dict[OpKey, Assignment] = {}
        for key, ov in self.ops.items():
            if ov.pinned is not None:
                out[key] = ov.pinned
                continue
            start = solver.value(ov.start)
            cid = next(c for c, lit in ov.presence.items() if solver.value(lit))
            out[key] = Assignment(key[0], key[1], cid, start, start + ov.lengths[cid])
        return out
