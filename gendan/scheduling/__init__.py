"""Gendan's capable-to-promise scheduling engine (plain Python over OR-Tools CP-SAT, no Django).

Build a `Problem` (work centres, orders, the current plan, all in integer time units; see
`TimeScale` for datetimes) and ask one of the questions below. Every question takes keyword-only
arguments, a `time_limit` in seconds and `num_workers` (default 2).
"""

from gendan.scheduling.check import promises, violations
from gendan.scheduling.jobshop import (
    JobShopInstance,
    JobShopResult,
    parse_jobshop,
    read_jobshop,
    solve_jobshop,
)
from gendan.scheduling.naive import first_free_slot
from gendan.scheduling.problem import Assignment, Operation, Order, Plan, Problem, WorkCentre
from gendan.scheduling.promise import check_promise, earliest_date
from gendan.scheduling.replan import expedite_whatif, plan_all
from gendan.scheduling.results import (
    Answer,
    EarliestDate,
    ExpediteResult,
    FreeSlot,
    PlanResult,
    PromiseCheck,
    Reason,
    ReasonKind,
    Slip,
    Step,
)
from gendan.scheduling.solve import Status
from gendan.scheduling.timescale import TimeScale, merge_windows

__all__ = [
    "Answer",
    "Assignment",
    "EarliestDate",
    "ExpediteResult",
    "FreeSlot",
    "JobShopInstance",
    "JobShopResult",
    "Operation",
    "Order",
    "Plan",
    "PlanResult",
    "Problem",
    "PromiseCheck",
    "Reason",
    "ReasonKind",
    "Slip",
    "Status",
    "Step",
    "TimeScale",
    "WorkCentre",
    "check_promise",
    "earliest_date",
    "expedite_whatif",
    "first_free_slot",
    "merge_windows",
    "parse_jobshop",
    "plan_all",
    "promises",
    "read_jobshop",
    "solve_jobshop",
    "violations",
]
