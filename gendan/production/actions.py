"""Every change in production goes through one of these functions (web, API, CLI and jobs).

Each runs in one transaction, locks the rows it changes, checks the rule, saves, writes a
ledger entry on the customer order and notifies people after the commit. On any error
nothing has changed.
"""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import Department, Role, User
from gendan.core.errors import Blocked, NotPermitted
from gendan.ledger.models import Kind
from gendan.ledger.record import record_step
from gendan.notifications.actions import notify_on_commit
from gendan.orders.actions import route_order
from gendan.orders.models import Order, OrderLine
from gendan.orders.status import Priority, Status
from gendan.production import permissions
from gendan.production.hooks import finish_blockers
from gendan.production.models import (
    ACTIVE_WORK_STATUSES,
    REPORTABLE_STATUSES,
    DelayCause,
    PlanChange,
    PlanStatus,
    ProductionPlan,
    ProgressReport,
    Routing,
    WorkCentre,
    WorkOrder,
    WorkOrderStatus,
)
from gendan.production.planning import Slot, schedule_work_orders
from gendan.purchasing.models import PurchaseOrderLine
from gendan.purchasing.numbering import next_document_number
from gendan.tasks.models import TaskState

ZERO = Decimal("0")
#: Order statuses in which a production plan may be drafted and approved: the production
#: review already outputs a draft plan (R2).
PLANNING_STATUSES = frozenset(
    {Status.DEPARTMENT_REVIEW, Status.CONTRACT, Status.CONFIRMED, Status.IN_EXECUTION}
)
#: Progress is reported once the order has been released to execution.
REPORTING_STATUSES = frozenset({Status.IN_EXECUTION})


def _emergency_hours() -> int:
    """The emergency deadline in hours (seed 001), from the business settings."""
    return cast(int, settings.GENDAN["EMERGENCY_DEFAULT_HOURS"])


_ledger = partial(record_step, "production")


_notify_later = notify_on_commit


def _production() -> Department:
    return Department.objects.get(code=permissions.PRODUCTION)


def _production_heads() -> list[User]:
    return list(
        User.objects.filter(
            departments__code=permissions.PRODUCTION, role=Role.HEAD, is_active=True
        ).order_by("pk")
    )


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _decimal(value: Any, name: str, errors: dict[str, list[str]]) -> Decimal:
    try:
        number = Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation:
        errors[name] = [_("Enter a number.")]
        return ZERO
    if number < 0:
        errors[name] = [_("Enter a number of 0 or more.")]
    return number


# --- the plan ------------------------------------------------------------------------------


def default_start(order: Order) -> dt.datetime:
    """When production of `order` can start at the earliest: tomorrow, or the day after the
    last open purchase order line of the order is expected (incoming inspection needs the day
    the goods arrive)."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    last_material = (
        PurchaseOrderLine.objects.open()
        .filter(purchase_order__order=order)
        .aggregate(last=Max("expected_date"))["last"]
    )
    day = max(tomorrow, last_material + dt.timedelta(days=1)) if last_material else tomorrow
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _build_work_orders(plan: ProductionPlan, lines: list[OrderLine]) -> list[WorkOrder]:
    routings = {
        r.product_id: r
        for r in Routing.objects.filter(
            product__in=[line.product_id for line in lines], is_default=True
        ).prefetch_related("operations__work_centre__default_team", "operations__team")
    }
    missing = sorted({line.product.code for line in lines if line.product_id not in routings})
    if missing:
        raise Blocked(
            fields={
                "routing": [
                    _("No routing for %(products)s: add one in the master data first.")
                    % {"products": ", ".join(missing)}
                ]
            }
        )
    work_orders = []
    for line in lines:
        operations = list(routings[line.product_id].operations.all())
        if not operations:
            raise Blocked(
                fields={
                    "routing": [
                        _("The routing of %(product)s has no operations.")
                        % {"product": line.product.code}
                    ]
                }
            )
        for operation in operations:
            team = operation.team or operation.work_centre.default_team
            work_orders.append(
                WorkOrder(
                    plan=plan,
                    order=plan.order,
                    order_line=line,
                    product=line.product,
                    operation=operation,
                    sequence=operation.sequence,
                    name=operation.name,
                    work_centre=operation.work_centre,
                    team=team,
                    owner=team.leader if team is not None else None,
                    quantity=line.quantity,
                    unit=line.unit,
                    setup_minutes=operation.setup_minutes,
                    run_minutes_per_unit=operation.run_minutes_per_unit,
                )
            )
    return work_orders


def draft_production_plan(
    *, order: Order, user: User, start: dt.datetime | None = None
) -> ProductionPlan:
    """Draft (or redraft, while not approved) the order's production plan: one work order per
    routing operation of each order line, dated by forward scheduling from `start` (default:
    `default_start`). The production head is asked to approve it."""
    from gendan.tasks.actions import due_at_for, open_task

    if not permissions.can_plan(user):
        raise NotPermitted(_("Only the production department drafts production plans."))
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status not in PLANNING_STATUSES:
            raise Blocked(
                _(
                    "A production plan is drafted from the department review until execution; "
                    "order %(number)s is %(status)s."
                )
                % {"number": locked.number, "status": locked.get_status_display()}
            )
        plan = ProductionPlan.objects.select_for_update().filter(order=locked).first()
        redraft = plan is not None
        if plan is not None and plan.status == PlanStatus.APPROVED:
            raise Blocked(
                _(
                    "The production plan of %(number)s is approved: change its work orders one "
                    "by one, with a reason."
                )
                % {"number": locked.number}
            )
        lines = list(locked.lines.select_related("product"))
        if not lines:
            raise Blocked(_("The order has no lines to plan."))
        if plan is None:
            plan = ProductionPlan.objects.create(order=locked, drafted_by=user)
        else:
            plan.work_orders.all().delete()
            plan.drafted_by = user
            plan.drafted_at = timezone.now()
            plan.save(update_fields=["drafted_by", "drafted_at"])
        work_orders = _build_work_orders(plan, lines)
        start = start or default_start(locked)
        slots = schedule_work_orders(work_orders, start)
        today = timezone.localdate()
        for wo in work_orders:
            wo.planned_start, wo.planned_end = slots[id(wo)]
            wo.number = next_document_number("WO", today)
        WorkOrder.objects.bulk_create(work_orders)
        route_order(locked, _production())
        first = min(wo.planned_start for wo in work_orders)
        last = max(wo.planned_end for wo in work_orders)
        _ledger(
            locked,
            user=user,
            subject=plan,
            kind=Kind.CHANGED if redraft else Kind.CREATED,
            event="production_plan_redrafted" if redraft else "production_plan_drafted",
            summary=_("Production plan drafted: %(count)d work orders, %(first)s → %(last)s")
            % {"count": len(work_orders), "first": _local(first), "last": _local(last)},
            data={
                "work_orders": [
                    {
                        "number": wo.number,
                        "operation": wo.name,
                        "work_centre": wo.work_centre.code,
                        "planned_start": wo.planned_start.isoformat(),
                        "planned_end": wo.planned_end.isoformat(),
                    }
                    for wo in work_orders
                ]
            },
        )
        if plan.approval_task is None or plan.approval_task.state != TaskState.OPEN:
            emergency = locked.priority == Priority.EMERGENCY
            heads = _production_heads()
            plan.approval_task = open_task(
                user=None,
                title=_("Approve the production plan of order %(number)s")
                % {"number": locked.number},
                due_at=(
                    due_at_for(hours=_emergency_hours())
                    if emergency
                    else due_at_for(working_days=1)
                ),
                due_in_hours=emergency,
                order=locked,
                department=_production(),
                assignee=heads[0] if heads else None,
                kind="production_plan_approval",
            )
            plan.save(update_fields=["approval_task"])
    return plan


def approve_production_plan(*, plan: ProductionPlan, user: User, note: str = "") -> ProductionPlan:
    """The production head approves the plan: its work orders are released and each owner (or
    the production department) gets a task due at the work order's planned end."""
    from gendan.tasks.actions import complete_task, open_task

    if not permissions.can_approve_plan(user):
        raise NotPermitted(_("Only the production head approves production plans."))
    with transaction.atomic():
        # Order first, then plan: the same order of locks as drafting.
        order = Order.objects.select_for_update().get(pk=plan.order_id)
        locked = ProductionPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.status != PlanStatus.DRAFT:
            raise Blocked(_("The production plan is already approved."))
        if order.status not in PLANNING_STATUSES:
            raise Blocked(
                _("Order %(number)s is %(status)s: its production plan cannot be approved.")
                % {"number": order.number, "status": order.get_status_display()}
            )
        work_orders = list(
            locked.work_orders.select_related("work_centre", "owner", "team").order_by(
                "planned_start", "sequence"
            )
        )
        if not work_orders:
            raise Blocked(_("The plan has no work orders: draft it again."))
        locked.status = PlanStatus.APPROVED
        locked.approved_by = user
        locked.approved_at = timezone.now()
        locked.save(update_fields=["status", "approved_by", "approved_at"])
        production = _production()
        for wo in work_orders:
            wo.status = WorkOrderStatus.RELEASED
            wo.task = open_task(
                user=None,
                title=_("Work order %(number)s: %(operation)s on %(centre)s, %(qty)s %(unit)s")
                % {
                    "number": wo.number,
                    "operation": wo.name,
                    "centre": wo.work_centre.code,
                    "qty": wo.quantity,
                    "unit": wo.unit,
                },
                due_at=wo.planned_end,
                order=order,
                department=production,
                assignee=wo.owner,
                kind="work_order",
            )
            wo.save(update_fields=["status", "task", "updated_at"])
        if locked.approval_task is not None and locked.approval_task.state == TaskState.OPEN:
            complete_task(task=locked.approval_task, user=user, outcome=note.strip())
        _ledger(
            order,
            user=user,
            subject=locked,
            event="production_plan_approved",
            summary=_("Production plan approved: %(count)d work orders released")
            % {"count": len(work_orders)},
            body=note.strip(),
            changes={"status": [str(PlanStatus.DRAFT.label), str(PlanStatus.APPROVED.label)]},
            data={"work_orders": [wo.number for wo in work_orders]},
        )
        _notify_later(
            [order.clerk],
            _("Production plan of order %(number)s approved, production %(first)s → %(last)s")
            % {
                "number": order.number,
                "first": _local(work_orders[0].planned_start),
                "last": _local(max(wo.planned_end for wo in work_orders)),
            },
            order.get_absolute_url(),
        )
    return locked


# --- progress ------------------------------------------------------------------------------


def _report_span(
    work_order: WorkOrder, work_date: dt.date, hours: Decimal
) -> tuple[dt.datetime, dt.datetime]:
    """When the reported work happened: up to now for today's report, else from the start of
    that production day."""
    duration = dt.timedelta(hours=float(hours))
    if work_date == timezone.localdate():
        end = timezone.now()
        return end - duration, end
    begin = timezone.make_aware(
        dt.datetime.combine(work_date, work_order.work_centre.day_starts_at)
    )
    return begin, begin + duration


def report_progress(
    *,
    work_order: WorkOrder,
    user: User,
    good_quantity: Decimal | str | int = 0,
    scrap_quantity: Decimal | str | int = 0,
    hours: Decimal | str | int = 0,
    work_date: dt.date | None = None,
    delay_cause: DelayCause | str = "",
    note: str = "",
    finished: bool = False,
) -> ProgressReport:
    """Record what was done on a work order (E3): good quantity, scrap and hours add up on the
    work order; the first report starts it, a `finished` report ends it. A work order behind
    its plan needs the cause of the delay."""
    from gendan.tasks.actions import complete_task

    if not permissions.can_report_progress(user, work_order):
        raise NotPermitted(
            _("Only the work order's team and the production department report progress on it.")
        )
    errors: dict[str, list[str]] = {}
    good = _decimal(good_quantity, "good_quantity", errors)
    scrap = _decimal(scrap_quantity, "scrap_quantity", errors)
    worked = _decimal(hours, "hours", errors)
    today = timezone.localdate()
    work_date = work_date or today
    if work_date > today:
        errors["work_date"] = [_("Progress cannot be reported for a future day.")]
    if delay_cause and delay_cause not in DelayCause.values:
        errors["delay_cause"] = [_("Choose one of the listed causes.")]
    if delay_cause and not note.strip():
        errors["note"] = [_("Describe the delay in a few words.")]
    if not errors and good == 0 and scrap == 0 and worked == 0 and not finished:
        errors["good_quantity"] = [_("Enter the quantity made, the scrap or the hours worked.")]
    if errors:
        raise Blocked(fields=errors)
    with transaction.atomic():
        locked = (
            WorkOrder.objects.select_for_update(of=("self",))
            .select_related("work_centre", "order", "task")
            .get(pk=work_order.pk)
        )
        order = locked.order
        if locked.status not in REPORTABLE_STATUSES:
            raise Blocked(
                _("Work order %(number)s is %(status)s: progress cannot be reported on it.")
                % {"number": locked.number, "status": locked.get_status_display()}
            )
        if order.status not in REPORTING_STATUSES:
            raise Blocked(
                _(
                    "Order %(number)s is %(status)s: report progress once it is released to "
                    "execution."
                )
                % {"number": order.number, "status": order.get_status_display()}
            )
        begin, end = _report_span(locked, work_date, worked)
        late = (end if finished else timezone.now()) > locked.planned_end
        if late and not delay_cause:
            raise Blocked(
                fields={
                    "delay_cause": [
                        _(
                            "Work order %(number)s is behind its plan (planned end %(end)s): "
                            "choose the cause of the delay."
                        )
                        % {"number": locked.number, "end": _local(locked.planned_end)}
                    ]
                }
            )
        if finished and (problems := finish_blockers(locked)):
            raise Blocked(*problems)
        report = ProgressReport.objects.create(
            work_order=locked,
            work_date=work_date,
            good_quantity=good,
            scrap_quantity=scrap,
            hours=worked,
            delay_cause=delay_cause,
            note=note.strip(),
            finished=finished,
            reported_by=user,
        )
        before_status = locked.get_status_display()
        locked.good_quantity += good
        locked.scrap_quantity += scrap
        locked.hours_worked += worked
        if locked.actual_start is None or begin < locked.actual_start:
            locked.actual_start = begin
        locked.status = WorkOrderStatus.DONE if finished else WorkOrderStatus.IN_PROGRESS
        if finished:
            locked.actual_end = max(end, locked.actual_start)
        locked.save(
            update_fields=[
                "good_quantity",
                "scrap_quantity",
                "hours_worked",
                "actual_start",
                "actual_end",
                "status",
                "updated_at",
            ]
        )
        summary = _(
            "%(number)s %(operation)s: %(good)s %(unit)s good, %(scrap)s scrap, %(hours)s h "
            "(%(done)s of %(planned)s)"
        ) % {
            "number": locked.number,
            "operation": locked.name,
            "good": good,
            "scrap": scrap,
            "unit": locked.unit,
            "hours": worked,
            "done": locked.good_quantity,
            "planned": locked.quantity,
        }
        if delay_cause:
            summary += " · " + _("delay: %(cause)s") % {"cause": DelayCause(delay_cause).label}
        if finished:
            summary += " · " + _("finished")
        _ledger(
            order,
            user=user,
            subject=report,
            event="work_order_finished" if finished else "progress_reported",
            summary=summary,
            body=report.note,
            changes=(
                {"status": [str(before_status), str(locked.get_status_display())]}
                if str(before_status) != str(locked.get_status_display())
                else None
            ),
            data={
                "work_order": locked.number,
                "good_quantity": str(good),
                "scrap_quantity": str(scrap),
                "hours": str(worked),
                "delay_cause": delay_cause,
                "late": late,
            },
        )
        if finished and locked.task is not None and locked.task.state == TaskState.OPEN:
            try:
                with transaction.atomic():
                    complete_task(task=locked.task, user=user, outcome=summary)
            except NotPermitted:
                pass  # the task stays open for its owner to close
        recipients: list[User | None] = []
        if delay_cause:
            recipients += [order.clerk, *_production_heads()]
        if (
            finished
            and not WorkOrder.objects.filter(order=order, status__in=ACTIVE_WORK_STATUSES).exists()
        ):
            _ledger(
                order,
                user=user,
                subject=locked.plan,
                event="production_complete",
                summary=_("Production complete for order %(number)s") % {"number": order.number},
            )
            recipients.append(order.clerk)
            summary = _("Production complete for order %(number)s") % {"number": order.number}
        if recipients:
            _notify_later(
                [u for u in recipients if u is None or u.pk != user.pk],
                summary,
                locked.get_absolute_url(),
            )
    return report


# --- plan changes --------------------------------------------------------------------------


def _allowed_centres(work_order: WorkOrder) -> set[int]:
    if work_order.operation is None:
        return set(WorkCentre.objects.filter(is_active=True).values_list("pk", flat=True))
    return {
        work_order.operation.work_centre_id,
        *work_order.operation.alternative_work_centres.values_list("pk", flat=True),
    }


def _apply_change(
    work_order: WorkOrder,
    *,
    user: User,
    start: dt.datetime,
    end: dt.datetime,
    reason: str,
    work_centre: WorkCentre | None = None,
) -> dict[str, list[Any]]:
    """Move a locked work order; the PlanChange row and the before/after of what changed."""
    centre = work_centre or work_order.work_centre
    changes: dict[str, list[Any]] = {}
    if start != work_order.planned_start:
        changes["planned_start"] = [_local(work_order.planned_start), _local(start)]
    if end != work_order.planned_end:
        changes["planned_end"] = [_local(work_order.planned_end), _local(end)]
    if centre.pk != work_order.work_centre_id:
        changes["work_centre"] = [work_order.work_centre.code, centre.code]
    if not changes:
        return changes
    PlanChange.objects.create(
        work_order=work_order,
        reason=reason,
        before_start=work_order.planned_start,
        before_end=work_order.planned_end,
        after_start=start,
        after_end=end,
        before_work_centre=work_order.work_centre,
        after_work_centre=centre,
        changed_by=user,
    )
    work_order.planned_start, work_order.planned_end, work_order.work_centre = start, end, centre
    work_order.save(update_fields=["planned_start", "planned_end", "work_centre", "updated_at"])
    return changes


def change_work_order_plan(
    *,
    work_order: WorkOrder,
    user: User,
    planned_start: dt.datetime,
    planned_end: dt.datetime,
    reason: str,
    work_centre: WorkCentre | None = None,
) -> WorkOrder:
    """Move a work order in time, or to an alternative work centre of its operation, with the
    reason (E3 plan adjustment). The ledger keeps before and after."""
    if not permissions.can_plan(user):
        raise NotPermitted(_("Only the production department changes production plans."))
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("Give the reason for the change.")]
    if planned_end < planned_start:
        errors["planned_end"] = [_("The planned end is before the planned start.")]
    if errors:
        raise Blocked(fields=errors)
    with transaction.atomic():
        locked = (
            WorkOrder.objects.select_for_update(of=("self",))
            .select_related("work_centre", "order", "operation", "owner")
            .get(pk=work_order.pk)
        )
        if locked.status not in ACTIVE_WORK_STATUSES:
            raise Blocked(
                _("Work order %(number)s is %(status)s: its plan can no longer change.")
                % {"number": locked.number, "status": locked.get_status_display()}
            )
        if work_centre is not None and work_centre.pk not in _allowed_centres(locked):
            raise Blocked(
                fields={
                    "work_centre": [
                        _(
                            "%(centre)s is not a work centre of this operation: choose its own or "
                            "an alternative one."
                        )
                        % {"centre": work_centre}
                    ]
                }
            )
        changes = _apply_change(
            locked,
            user=user,
            start=planned_start,
            end=planned_end,
            reason=reason.strip(),
            work_centre=work_centre,
        )
        if not changes:
            return locked
        _ledger(
            locked.order,
            user=user,
            subject=locked,
            event="work_order_rescheduled",
            summary=_("Work order %(number)s re-planned: %(start)s → %(end)s")
            % {
                "number": locked.number,
                "start": _local(locked.planned_start),
                "end": _local(locked.planned_end),
            },
            body=reason.strip(),
            changes=changes,
            data={"work_order": locked.number},
        )
        _notify_later(
            [u for u in (locked.owner, locked.order.clerk) if u is not None and u.pk != user.pk],
            _("Work order %(number)s moved: %(start)s → %(end)s (%(reason)s)")
            % {
                "number": locked.number,
                "start": _local(locked.planned_start),
                "end": _local(locked.planned_end),
                "reason": reason.strip()[:80],
            },
            locked.get_absolute_url(),
        )
    return locked


def apply_schedule(
    *, plan: ProductionPlan, user: User, slots: Mapping[int, Slot], reason: str
) -> list[WorkOrder]:
    """Set new planned dates on several work orders of a plan at once (`slots` by work order
    id), e.g. from the capable-to-promise engine. One ledger entry lists every move."""
    if not permissions.can_plan(user):
        raise NotPermitted(_("Only the production department changes production plans."))
    if not reason.strip():
        raise Blocked(fields={"reason": [_("Give the reason for the change.")]})
    with transaction.atomic():
        work_orders = list(
            WorkOrder.objects.select_for_update(of=("self",))
            .select_related("work_centre", "order")
            .filter(plan=plan, pk__in=list(slots), status__in=ACTIVE_WORK_STATUSES)
        )
        moved: dict[str, dict[str, list[Any]]] = {}
        for wo in work_orders:
            start, end = slots[wo.pk]
            if end < start:
                raise Blocked(
                    _("The new slot of %(number)s ends before it starts.") % {"number": wo.number}
                )
            changes = _apply_change(wo, user=user, start=start, end=end, reason=reason.strip())
            if changes:
                moved[wo.number] = changes
        if moved:
            _ledger(
                plan.order,
                user=user,
                subject=plan,
                event="production_plan_rescheduled",
                summary=_("Production plan re-scheduled: %(count)d work orders moved")
                % {"count": len(moved)},
                body=reason.strip(),
                changes={
                    f"{number} {field}": values
                    for number, changes in moved.items()
                    for field, values in changes.items()
                },
                data={"work_orders": list(moved)},
            )
    return [wo for wo in work_orders if wo.number in moved]


def reschedule_plan(
    *, plan: ProductionPlan, user: User, reason: str, start: dt.datetime | None = None
) -> list[WorkOrder]:
    """Plan again the work orders of `plan` that have not started, from `start` (default:
    `default_start`, and never before the running work orders' planned end), with the
    configured scheduler."""
    if not permissions.can_plan(user):
        raise NotPermitted(_("Only the production department changes production plans."))
    pending = list(
        plan.work_orders.filter(
            status__in=[WorkOrderStatus.DRAFT, WorkOrderStatus.RELEASED]
        ).select_related("work_centre", "order_line")
    )
    if not pending:
        raise Blocked(_("No work order of this plan is waiting to start."))
    start = start or default_start(plan.order)
    running_end = plan.work_orders.filter(status=WorkOrderStatus.IN_PROGRESS).aggregate(
        last=Max("planned_end")
    )["last"]
    if running_end is not None:
        start = max(start, running_end)
    slots = schedule_work_orders(pending, start)
    return apply_schedule(
        plan=plan,
        user=user,
        slots={wo.pk: slots[id(wo)] for wo in pending},
        reason=reason,
    )
