"""Every change planning makes goes through these functions (pages, API, jobs alike).

Storing a plan run, storing a promise answer, applying a run to the work orders (through
production's own actions, which write the ledger and tell the owners), adding capacity and
outsourcing an operation. Each runs in one transaction.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import Blocked, NotPermitted
from gendan.ledger.models import Kind
from gendan.ledger.record import record
from gendan.orders.models import Order, OrderLine
from gendan.planning import permissions
from gendan.planning.builder import OUTSOURCED, Built
from gendan.planning.calendars import Span
from gendan.planning.models import (
    AnswerState,
    CapacityAdjustment,
    CapacityKind,
    Outsourcing,
    PlannedOperation,
    PlanRun,
    PromiseAnswer,
    RunKind,
)
from gendan.planning.services import PromiseOutcome
from gendan.production.models import (
    ProductionPlan,
    RoutingOperation,
    WorkCentre,
    WorkOrder,
    WorkOrderStatus,
)
from gendan.scheduling import Plan

#: Plan runs kept; older ones are removed when a new one is stored.
KEEP_RUNS = 10
#: Promise answers kept per order (the latest ones).
KEEP_ANSWERS = 5
#: A promise answer still being computed is not asked for again within this time.
PENDING_FOR = dt.timedelta(minutes=10)


# --- plan runs -----------------------------------------------------------------------------


def save_run(
    *,
    built: Built,
    plan: Plan,
    kind: RunKind,
    user: User | None,
    status: str,
    proven: bool,
    wall_time: float,
    note: str = "",
) -> PlanRun:
    """Store `plan` as the current run (the previous one stays as history)."""
    problem = built.problem
    late: dict[str, int] = {}
    for order in problem.orders:
        end = plan.order_end(order.id)
        if order.due is not None and end is not None and end > order.due:
            late[order.id] = (end - order.due) * order.weight
    with transaction.atomic():
        PlanRun.objects.select_for_update().filter(is_current=True).update(is_current=False)
        run = PlanRun.objects.create(
            kind=kind,
            created_by=user,
            planned_for=built.now,
            unit_minutes=int(built.scale.unit.total_seconds() // 60),
            status=status,
            proven_optimal=proven,
            weighted_late_hours=built.hours(sum(late.values())),
            late_orders=len(late),
            orders_planned=len(problem.orders),
            makespan_at=built.moment(plan.makespan) if len(plan) else None,
            wall_time=wall_time,
            is_current=True,
            note=note,
        )
        rows = []
        for a in plan:
            ref = built.ops.get(a.key)
            info = built.orders.get(a.order_id)
            if ref is None or info is None:
                continue
            centre = built.centres.get(a.work_centre)
            rows.append(
                PlannedOperation(
                    run=run,
                    order_id=info.pk,
                    work_order_id=ref.work_order_pk,
                    routing_operation_id=ref.routing_operation_pk,
                    op_key=a.operation_id,
                    name=ref.name[:120],
                    work_centre=centre if a.work_centre != OUTSOURCED else None,
                    outsourced=a.work_centre == OUTSOURCED,
                    starts_at=built.moment(a.start),
                    ends_at=built.moment(a.end),
                    pinned=problem.is_pinned(*a.key),
                )
            )
        PlannedOperation.objects.bulk_create(rows, batch_size=1000)
        old = PlanRun.objects.order_by("-created_at", "-id").values_list("pk", flat=True)[
            KEEP_RUNS:
        ]
        PlanRun.objects.filter(pk__in=list(old)).delete()
    return run


def replan(*, user: User | None, time_limit: float | None = None) -> PlanRun:
    """Plan every open order now and store the plan as the current run (the worker's job;
    planners start it from the Gantt page)."""
    if user is not None and not permissions.can_replan(user):
        raise NotPermitted(_("Only planners and management re-plan the factory."))
    from gendan.planning import services

    built, result = services.replan(time_limit=time_limit)
    plan, status = result.plan, str(result.status)
    if plan is None:
        plan, status = services.dispatched_plan(built), "dispatched"
    if plan is None:
        raise Blocked(
            _(
                "No plan was found within the time limit (%(status)s): try again with more "
                "time, or check the work centres' calendars."
            )
            % {"status": result.status}
        )
    note = ""
    if built.unplanned:
        note = _("Not planned: %(orders)s") % {
            "orders": "; ".join(f"{number}: {why}" for number, why in built.unplanned.items())
        }
    return save_run(
        built=built,
        plan=plan,
        kind=RunKind.REPLAN,
        user=user,
        status=status,
        proven=result.proven_optimal,
        wall_time=result.wall_time,
        note=note,
    )


def request_replan(*, user: User) -> None:
    """Have the worker re-plan every open order (a planner's button)."""
    if not permissions.can_replan(user):
        raise NotPermitted(_("Only planners and management re-plan the factory."))
    from gendan.planning.jobs import replan_job

    transaction.on_commit(lambda: replan_job.enqueue(user_id=user.pk))


def _slots(run: PlanRun, orders: Iterable[int] | None) -> dict[int, tuple[Span, int | None]]:
    """Per work order: (start, end) of its planned parts, and the centre if all share one."""
    ops = PlannedOperation.objects.filter(run=run, work_order__isnull=False)
    if orders is not None:
        ops = ops.filter(order_id__in=list(orders))
    spans: dict[int, list[PlannedOperation]] = defaultdict(list)
    for op in ops:
        assert op.work_order_id is not None
        spans[op.work_order_id].append(op)
    out: dict[int, tuple[Span, int | None]] = {}
    for wo_id, parts in spans.items():
        centres = {p.work_centre_id for p in parts}
        centre = centres.pop() if len(centres) == 1 else None
        out[wo_id] = ((min(p.starts_at for p in parts), max(p.ends_at for p in parts)), centre)
    return out


def apply_plan(
    *, run: PlanRun, user: User, reason: str, orders: Sequence[int] | None = None
) -> list[WorkOrder]:
    """Give the run's dates to the work orders that have not started (all orders, or the
    order ids in `orders`), through production's actions. Returns the work orders moved."""
    if not permissions.can_apply_plan(user):
        raise NotPermitted(_("Only planners and management change the work orders' dates."))
    if not reason.strip():
        raise Blocked(fields={"reason": [_("Give the reason for the change.")]})
    from gendan.production.actions import apply_schedule, change_work_order_plan

    slots = _slots(run, orders)
    moved: list[WorkOrder] = []
    with transaction.atomic():
        work_orders = WorkOrder.objects.filter(
            pk__in=list(slots), status__in=[WorkOrderStatus.DRAFT, WorkOrderStatus.RELEASED]
        ).select_related("work_centre", "plan")
        same: dict[int, dict[int, Span]] = defaultdict(dict)
        plans: dict[int, ProductionPlan] = {}
        for wo in work_orders:
            (start, end), centre = slots[wo.pk]
            if centre is not None and centre != wo.work_centre_id:
                moved.append(
                    change_work_order_plan(
                        work_order=wo,
                        user=user,
                        planned_start=start,
                        planned_end=end,
                        reason=reason,
                        work_centre=WorkCentre.objects.get(pk=centre),
                    )
                )
            elif (start, end) != (wo.planned_start, wo.planned_end):
                same[wo.plan_id][wo.pk] = (start, end)
                plans[wo.plan_id] = wo.plan
        for plan_id, plan_slots in same.items():
            moved += apply_schedule(plan=plans[plan_id], user=user, slots=plan_slots, reason=reason)
    return moved


# --- promise answers -----------------------------------------------------------------------


def store_promise(
    *,
    order: Order,
    outcome: PromiseOutcome,
    run: PlanRun | None,
    user: User | None = None,
    answer: PromiseAnswer | None = None,
) -> PromiseAnswer:
    """Keep the engine's answer for `order` (filling in a pending request when given)."""
    row = answer or PromiseAnswer(order=order, requested_by=user)
    centres = {}
    if outcome.bottleneck:
        centres = {c.code: c for c in WorkCentre.objects.filter(code=outcome.bottleneck)}
    row.state = AnswerState.DONE if outcome.answer is not None else AnswerState.FAILED
    row.computed_at = timezone.now()
    row.run = run
    row.order_version = order.version
    row.asked_date = outcome.asked_date
    row.answer = str(outcome.answer) if outcome.answer is not None else ""
    row.earliest_date = outcome.earliest_date
    row.earliest_at = outcome.earliest_at
    row.proven = outcome.proven
    row.reason_kind = outcome.reason_kind
    row.reason = outcome.reason
    row.bottleneck = centres.get(outcome.bottleneck or "")
    row.free_slot_date = outcome.free_slot_date
    row.wall_time = outcome.wall_time
    row.save()
    older = PromiseAnswer.objects.filter(order=order).exclude(state=AnswerState.PENDING)
    kept = older.values_list("pk", flat=True)[:KEEP_ANSWERS]
    older.exclude(pk__in=list(kept)).delete()
    return row


def compute_promise(
    *, order: Order, user: User | None, time_limit: float | None = None
) -> PromiseAnswer:
    """Ask the engine now (a short time limit) and keep the answer."""
    if user is not None and not permissions.can_ask_promise(user):
        raise NotPermitted(_("Your role may not ask for promise dates."))
    from gendan.planning import services

    run = PlanRun.objects.current()
    try:
        outcome = services.promise(order, time_limit=time_limit)
    except ValueError as error:  # data the engine cannot schedule (validated before solving)
        raise Blocked(
            _(
                "The engine cannot plan with the current master data: %(error)s. Check the work "
                "centres and routings."
            )
            % {"error": error}
        ) from error
    return store_promise(order=order, outcome=outcome, run=run, user=user)


def request_promise(*, order: Order, user: User | None = None) -> PromiseAnswer | None:
    """Have the worker compute the order's promise answer, unless it is already on its way.
    Returns the pending request (None when one was already pending)."""
    recent = PromiseAnswer.objects.filter(
        order=order,
        state=AnswerState.PENDING,
        order_version=order.version,
        requested_at__gte=timezone.now() - PENDING_FOR,
    )
    if recent.exists():
        return None
    pending = PromiseAnswer.objects.create(
        order=order, requested_by=user, order_version=order.version
    )
    from gendan.planning.jobs import answer_promise_job

    transaction.on_commit(lambda: answer_promise_job.enqueue(answer_id=pending.pk))
    return pending


# --- capacity ------------------------------------------------------------------------------


def add_capacity(
    *,
    centre: WorkCentre,
    kind: CapacityKind,
    spans: Sequence[Span],
    reason: str,
    user: User,
) -> list[CapacityAdjustment]:
    """Open a work centre for extra time (overtime, a shift on a rest day)."""
    if not permissions.can_replan(user):
        raise NotPermitted(_("Only planners and management add working time."))
    if not reason.strip():
        raise Blocked(fields={"reason": [_("Give the reason for the extra working time.")]})
    if not spans or any(end <= start for start, end in spans):
        raise Blocked(fields={"spans": [_("Give at least one period that ends after it starts.")]})
    with transaction.atomic():
        rows = CapacityAdjustment.objects.bulk_create(
            CapacityAdjustment(
                work_centre=centre,
                kind=kind,
                starts_at=start,
                ends_at=end,
                reason=reason.strip()[:300],
                created_by=user,
            )
            for start, end in spans
        )
        hours = sum((row.hours for row in rows), Decimal("0"))
        record(
            kind=Kind.SYSTEM,
            actor=user,
            subject=centre,
            summary=_("%(kind)s on %(centre)s: %(hours)s h in %(count)d periods from %(start)s")
            % {
                "kind": CapacityKind(kind).label,
                "centre": centre,
                "hours": hours,
                "count": len(rows),
                "start": timezone.localtime(min(s for s, _e in spans)).strftime("%Y-%m-%d %H:%M"),
            },
            body=reason.strip(),
        )
    return rows


def outsource(
    *,
    order: Order,
    line: OrderLine,
    routing_operation: RoutingOperation,
    lead_hours: int,
    cost: Decimal,
    reason: str,
    user: User,
) -> Outsourcing:
    """Give one operation of an order line to an outside shop (it then takes `lead_hours`)."""
    if not permissions.can_replan(user):
        raise NotPermitted(_("Only planners and management outsource operations."))
    errors: dict[str, list[str]] = {}
    if lead_hours < 1:
        errors["lead_hours"] = [_("Give the outside shop's lead time in hours (1 or more).")]
    if not reason.strip():
        errors["reason"] = [_("Give the reason for outsourcing.")]
    if line.order_id != order.pk:
        errors["line"] = [_("The line is not a line of this order.")]
    if errors:
        raise Blocked(fields=errors)
    with transaction.atomic():
        row, _created = Outsourcing.objects.update_or_create(
            order_line=line,
            routing_operation=routing_operation,
            defaults={
                "order": order,
                "lead_hours": lead_hours,
                "cost": cost,
                "reason": reason.strip()[:300],
                "created_by": user,
            },
        )
        record(
            order=order,
            kind=Kind.CHANGED,
            actor=user,
            summary=_("Line %(line)d: %(operation)s outsourced (%(hours)d h, ¥%(cost)s)")
            % {
                "line": line.position,
                "operation": routing_operation.name,
                "hours": lead_hours,
                "cost": cost,
            },
            body=reason.strip(),
            data={"step": "planning", "event": "outsourced", "operation": routing_operation.pk},
        )
    return row
