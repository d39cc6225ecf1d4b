"""Every step of an emergency order goes through one of these functions (pages, API, jobs).

identify → confirm with the customer (the processing sheet goes out at once) → production's
options (computed by the worker) → a planner chooses one (the plan is updated, the clerks of
orders that slip are told) → closed. Each runs in one transaction, locks the rows it changes,
writes the order's ledger and notifies people after the commit.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from gendan.accounts.models import Department, Role, User
from gendan.core.errors import Blocked, NotPermitted
from gendan.emergency import conf, permissions
from gendan.emergency.assess import assess
from gendan.emergency.models import (
    Basis,
    CaseStatus,
    EmergencyCase,
    EmergencyOption,
    EmergencyProblem,
    OptionsState,
)
from gendan.ledger.models import Kind
from gendan.ledger.record import record
from gendan.notifications.actions import notify_on_commit
from gendan.orders.models import Order
from gendan.orders.status import FINAL_STATUSES, Priority
from gendan.purchasing.models import PurchaseOrderLine
from gendan.purchasing.numbering import next_document_number
from gendan.tasks.models import Task, TaskState
from gendan.workdays.calendar import deadline_in_hours

#: The departments that get the processing sheet, with their task kind.
SHEET_DEPARTMENTS = (
    ("production", "emergency_production"),
    ("procurement", "emergency_procurement"),
    ("logistics", "emergency_logistics"),
)
CONFIRMATION_KIND = "emergency_confirmation"
EXPEDITE_KIND = "emergency_expedite"
#: Departments whose heads hear of every emergency order (U6's dedicated group).
GROUP_DEPARTMENTS = ("sales", "production", "procurement", "logistics")


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def emergency_group() -> list[User]:
    """The heads of sales, production, procurement and logistics, and the general managers."""
    heads = User.objects.filter(
        role=Role.HEAD, departments__code__in=GROUP_DEPARTMENTS, is_active=True
    )
    managers = User.objects.filter(role=Role.GENERAL_MANAGER, is_active=True)
    return list({u.pk: u for u in [*heads, *managers]}.values())


_notify_later = notify_on_commit


def _ledger(order: Order, user: User | None, summary: str, event: str, **extra: Any) -> None:
    record(
        order=order,
        kind=extra.pop("kind", Kind.CHANGED),
        actor=user,
        summary=summary,
        body=extra.pop("body", ""),
        changes=extra.pop("changes", None),
        data={"step": "emergency", "event": event, **extra},
    )


def _lock(case: EmergencyCase) -> EmergencyCase:
    return EmergencyCase.objects.select_for_update().select_related("order").get(pk=case.pk)


# --- identification (U1, U2) ---------------------------------------------------------------


def identify_emergency(
    *,
    order: Order,
    user: User,
    basis: Basis | str,
    reason: str,
    required_date: dt.date | None = None,
) -> EmergencyCase:
    """Fill in the 紧急订单识别表: the order becomes an emergency, first in every queue, and its
    clerk must confirm it with the customer within `EMERGENCY_DEFAULT_HOURS` clock hours."""
    from gendan.tasks.actions import open_task

    if basis == Basis.MANAGEMENT_FLAG:
        if not permissions.can_flag_for_key_customer(user):
            raise NotPermitted(
                _("Only management flags an order as an emergency for a key customer or project.")
            )
    elif not permissions.can_identify(user, order):
        raise NotPermitted(
            _("Only the order's clerk, the sales head and management identify emergency orders.")
        )
    errors: dict[str, list[str]] = {}
    if basis not in Basis.values:
        errors["basis"] = [_("Choose why the order is urgent.")]
    if not reason.strip():
        errors["reason"] = [_("Give the reason for the urgency.")]
    required = required_date or order.requested_date
    if required < timezone.localdate():
        errors["required_date"] = [_("The date the customer requires is in the past.")]
    found = assess(order, required_date=required)
    if basis == Basis.SHORT_LEAD_TIME and not found.is_short and "required_date" not in errors:
        errors["basis"] = [
            _(
                "%(lead)d working days until %(date)s is %(share)s of the normal cycle of "
                "%(cycle)s days, not below %(threshold)s: choose another reason, or leave the "
                "order normal."
            )
            % {
                "lead": found.lead_days,
                "date": required,
                "share": found.share if found.share is not None else "—",
                "cycle": found.normal_cycle_days or "—",
                "threshold": found.threshold,
            }
        ]
    if errors:
        raise Blocked(fields=errors)
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status in FINAL_STATUSES:
            raise Blocked(
                _("Order %(number)s is %(status)s: it cannot become an emergency.")
                % {"number": locked.number, "status": locked.get_status_display()}
            )
        existing = EmergencyCase.objects.filter(order=locked).first()
        if existing is not None:
            raise Blocked(
                _("Order %(number)s is already emergency %(case)s.")
                % {"number": locked.number, "case": existing.number}
            )
        now = timezone.now()
        hours = conf.hours("EMERGENCY_DEFAULT_HOURS")
        case = EmergencyCase.objects.create(
            number=next_document_number("EM", timezone.localdate()),
            order=locked,
            basis=basis,
            reason=reason.strip(),
            required_date=required,
            normal_cycle_days=found.normal_cycle_days,
            lead_days=found.lead_days,
            identified_by=user,
            identified_at=now,
            confirmation_due_at=deadline_in_hours(now, hours),
        )
        if locked.priority != Priority.EMERGENCY:
            locked.priority = Priority.EMERGENCY
            locked.version += 1
            locked.save(update_fields=["priority", "version", "updated_at"])
        Task.objects.filter(order=locked, state=TaskState.OPEN).update(priority=Priority.EMERGENCY)
        _ledger(
            locked,
            user,
            _("Emergency order %(case)s identified: %(basis)s; the customer requires %(date)s")
            % {"case": case.number, "basis": Basis(basis).label, "date": required},
            "identified",
            body=case.reason,
            changes={"priority": [str(Priority.NORMAL.label), str(Priority.EMERGENCY.label)]},
            case=case.number,
        )
        case.confirmation_task = open_task(
            user=user,
            title=_("Confirm emergency order %(number)s with the customer")
            % {"number": locked.number},
            description=_(
                "Confirm specification, quantity, date (%(date)s) and delivery place with the "
                "customer, then record it on the emergency form."
            )
            % {"date": required},
            due_at=case.confirmation_due_at,
            due_in_hours=True,
            order=locked,
            assignee=locked.clerk,
            kind=CONFIRMATION_KIND,
            priority=Priority.EMERGENCY,
        )
        case.save(update_fields=["confirmation_task"])
        _notify_later(
            emergency_group(),
            _("Emergency order %(number)s (%(customer)s): needed by %(date)s. %(reason)s")
            % {
                "number": locked.number,
                "customer": locked.customer,
                "date": required,
                "reason": case.reason[:120],
            },
            case.get_absolute_url(),
        )
    return case


# --- confirmation and the processing sheet (U3, U5) ----------------------------------------


def _department(code: str) -> Department:
    return Department.objects.get(code=code)


def _sheet_text(case: EmergencyCase) -> str:
    order = case.order
    lines = "; ".join(
        f"{line.product.code} {line.quantity.normalize()} {line.unit}"
        for line in order.lines.select_related("product")
    )
    return _(
        "紧急订单处理单 %(case)s · order %(number)s · %(customer)s · %(lines)s · required by "
        "%(date)s at %(place)s · urgent because: %(reason)s"
    ) % {
        "case": case.number,
        "number": order.number,
        "customer": order.customer,
        "lines": lines,
        "date": case.required_date,
        "place": order.delivery_place,
        "reason": case.reason,
    }


def _expedite_tasks(case: EmergencyCase, user: User, due_at: dt.datetime) -> list[Task]:
    """One procurement task per open purchase order line of the order (U5)."""
    from gendan.tasks.actions import open_task

    procurement = _department("procurement")
    tasks = []
    for line in (
        PurchaseOrderLine.objects.open()
        .filter(purchase_order__order=case.order)
        .select_related("purchase_order", "purchase_order__supplier", "material")
    ):
        tasks.append(
            open_task(
                user=user,
                title=_("Expedite %(po)s: %(material)s (expected %(expected)s)")
                % {
                    "po": line.purchase_order.number,
                    "material": line.material.code,
                    "expected": line.expected_date,
                },
                description=_(
                    "Emergency order %(number)s needs it for %(date)s: ask %(supplier)s for "
                    "express delivery, or propose a substitute or another supplier."
                )
                % {
                    "number": case.order.number,
                    "date": case.required_date,
                    "supplier": line.purchase_order.supplier,
                },
                due_at=due_at,
                due_in_hours=True,
                order=case.order,
                department=procurement,
                kind=EXPEDITE_KIND,
                priority=Priority.EMERGENCY,
            )
        )
    return tasks


def confirm_with_customer(
    *,
    case: EmergencyCase,
    user: User,
    note: str,
    confirmed_date: dt.date | None = None,
) -> EmergencyCase:
    """Record what the customer confirmed and send the 紧急订单处理单 at once: tasks for
    production (answer within `EMERGENCY_ANSWER_HOURS`), procurement and logistics, and an
    expedite task for each open purchase order line. Production's options are computed by the
    worker right away."""
    from gendan.tasks.actions import complete_task, open_task

    if not permissions.can_confirm(user, case.order):
        raise NotPermitted(
            _(
                "Only the order's clerk, the sales head and management confirm "
                "emergency orders with the customer."
            )
        )
    if not note.strip():
        raise Blocked(fields={"note": [_("Say what the customer confirmed.")]})
    if confirmed_date is not None and confirmed_date < timezone.localdate():
        raise Blocked(fields={"confirmed_date": [_("The confirmed date is in the past.")]})
    with transaction.atomic():
        locked = _lock(case)
        if locked.status != CaseStatus.IDENTIFIED:
            raise Blocked(
                _("Emergency %(case)s is already %(status)s.")
                % {"case": locked.number, "status": locked.get_status_display()}
            )
        now = timezone.now()
        changes = {}
        if confirmed_date is not None and confirmed_date != locked.required_date:
            changes["required_date"] = [str(locked.required_date), str(confirmed_date)]
            locked.required_date = confirmed_date
        locked.confirmed_by = user
        locked.confirmed_at = now
        locked.confirmed_date = locked.required_date
        locked.confirmation_note = note.strip()
        locked.sheet_sent_at = now
        locked.answer_due_at = deadline_in_hours(now, conf.hours("EMERGENCY_ANSWER_HOURS"))
        locked.status = CaseStatus.CONFIRMED
        locked.options_state = OptionsState.PENDING
        task = locked.confirmation_task
        if task is not None and task.state == TaskState.OPEN:
            complete_task(
                task=task,
                user=task.assignee or user,
                outcome=_("Confirmed by %(user)s: %(note)s") % {"user": user, "note": note.strip()},
            )
        late = now > locked.confirmation_due_at
        _ledger(
            locked.order,
            user,
            (
                _("Emergency %(case)s confirmed with the customer late: %(date)s")
                if late
                else _("Emergency %(case)s confirmed with the customer: %(date)s")
            )
            % {"case": locked.number, "date": locked.required_date},
            "confirmed",
            kind=Kind.COMMUNICATION,
            body=locked.confirmation_note,
            changes=changes or None,
            late=late,
        )
        sheet = _sheet_text(locked)
        answer_hours = conf.hours("EMERGENCY_ANSWER_HOURS")
        other_due = deadline_in_hours(now, conf.hours("EMERGENCY_DEPARTMENT_HOURS"))
        titles = {
            "production": _(
                "Emergency %(number)s: can it be delivered by %(date)s? Answer with options "
                "within %(hours)d h"
            ),
            "procurement": _("Emergency %(number)s: secure the materials for %(date)s"),
            "logistics": _("Emergency %(number)s: reserve transport for %(date)s"),
        }
        for code, kind in SHEET_DEPARTMENTS:
            opened = open_task(
                user=user,
                title=titles[code]
                % {
                    "number": locked.order.number,
                    "date": locked.required_date,
                    "hours": answer_hours,
                },
                description=sheet,
                due_at=locked.answer_due_at if code == "production" else other_due,
                due_in_hours=True,
                order=locked.order,
                department=_department(code),
                kind=kind,
                priority=Priority.EMERGENCY,
            )
            if code == "production":
                locked.production_task = opened
        _expedite_tasks(locked, user, other_due)
        locked.save()
        _ledger(
            locked.order,
            user,
            _("紧急订单处理单 %(case)s sent to production, procurement and logistics")
            % {"case": locked.number},
            "sheet_sent",
            kind=Kind.SYSTEM,
            body=sheet,
        )
        from gendan.emergency.jobs import compute_options_job

        case_id = locked.pk
        transaction.on_commit(lambda: compute_options_job.enqueue(case_id=case_id))
    return locked


# --- production's options (U4, S2) ---------------------------------------------------------


def request_options(*, case: EmergencyCase, user: User) -> EmergencyCase:
    """Have the worker compute production's options again (e.g. after the plan changed)."""
    if not permissions.can_compute_options(user, case.order):
        raise NotPermitted(_("Your role may not ask for the options of this emergency."))
    with transaction.atomic():
        locked = _lock(case)
        if locked.status != CaseStatus.CONFIRMED:
            raise Blocked(
                _("Options are computed once the order is confirmed and until one is chosen.")
            )
        locked.options_state = OptionsState.PENDING
        locked.save(update_fields=["options_state"])
        from gendan.emergency.jobs import compute_options_job

        case_id = locked.pk
        transaction.on_commit(lambda: compute_options_job.enqueue(case_id=case_id))
    return locked


def store_options(*, case: EmergencyCase) -> EmergencyCase:
    """Ask the engine for the options (seconds) and keep them (the worker's job)."""
    from gendan.emergency.options import compute

    computed = compute(case)
    with transaction.atomic():
        locked = _lock(case)
        if locked.status != CaseStatus.CONFIRMED:
            return locked
        locked.options.all().delete()
        EmergencyOption.objects.bulk_create(
            EmergencyOption(
                case=locked,
                kind=draft.kind,
                position=index,
                summary=draft.summary,
                promise_date=draft.promise_date,
                meets_required=draft.meets_required,
                cost=draft.cost,
                cost_detail=draft.cost_detail[:300],
                slips=draft.slips,
                moved_orders=draft.moved_orders,
                capacity=draft.capacity,
                outsourcing=draft.outsourcing,
                plan=draft.plan,
                proven=draft.proven,
            )
            for index, draft in enumerate(computed.drafts)
        )
        locked.options_state = OptionsState.READY if computed.drafts else OptionsState.FAILED
        locked.options_computed_at = timezone.now()
        locked.options_run_id = computed.run_id
        locked.options_note = computed.note
        locked.save(
            update_fields=[
                "options_state", "options_computed_at", "options_run", "options_note",
            ]
        )  # fmt: skip
        if locked.production_task is not None and locked.production_task.state == TaskState.OPEN:
            heads = [locked.production_task.assignee] if locked.production_task.assignee else []
            _notify_later(
                heads or _production_people(),
                _("Options for emergency order %(number)s are ready: choose one.")
                % {"number": locked.order.number},
                locked.get_absolute_url(),
            )
    return locked


def _production_people() -> list[User]:
    return list(
        User.objects.filter(
            departments__code="production", role__in=[Role.HEAD, Role.REVIEWER], is_active=True
        )
    )


def _option_plan(option: EmergencyOption, built: Any) -> Any:
    from gendan.scheduling import Assignment, Plan

    out = []
    for number, op, centre, start, end in option.plan:
        if (number, op) not in built.ops:
            continue
        s, e = parse_datetime(start), parse_datetime(end)
        assert s is not None and e is not None
        out.append(Assignment(number, op, centre, built.scale.floor(s), built.scale.floor(e)))
    return Plan(tuple(out))


def choose_option(*, option: EmergencyOption, user: User, note: str = "") -> EmergencyCase:
    """A planner picks production's answer: extra capacity or outsourcing is booked, the
    option's plan becomes the current plan and the work orders that have not started get its
    dates, the order's promised date follows, and the clerks of every order that now finishes
    later are told by how much."""
    from gendan.planning.actions import add_capacity, apply_plan, outsource, save_run
    from gendan.planning.builder import build
    from gendan.planning.models import CapacityKind, PlanRun, RunKind
    from gendan.production.models import RoutingOperation, WorkCentre
    from gendan.tasks.actions import complete_task

    if not permissions.can_choose_option(user):
        raise NotPermitted(
            _("Only planners and the production head choose how an emergency order is met.")
        )
    with transaction.atomic():
        case = _lock(option.case)
        if case.status != CaseStatus.CONFIRMED:
            raise Blocked(
                _("Emergency %(case)s is %(status)s: no option can be chosen now.")
                % {"case": case.number, "status": case.get_status_display()}
            )
        option = EmergencyOption.objects.get(pk=option.pk, case=case)
        current = PlanRun.objects.filter(is_current=True).values_list("pk", flat=True).first()
        if current != case.options_run_id:
            raise Blocked(
                _("The plan changed since these options were computed: compute them again.")
            )
        order = Order.objects.select_for_update().get(pk=case.order_id)
        reason = _("Emergency order %(number)s: %(option)s") % {
            "number": order.number,
            "option": option.get_kind_display(),
        }
        if option.capacity:
            add_capacity(
                centre=WorkCentre.objects.get(code=option.capacity["centre"]),
                kind=CapacityKind(option.capacity["kind"]),
                spans=[
                    (parse_datetime(s), parse_datetime(e))  # type: ignore[misc]
                    for s, e in option.capacity["spans"]
                ],
                reason=reason,
                user=user,
            )
        if option.outsourcing:
            line = order.lines.get(pk=option.outsourcing["line"])
            outsource(
                order=order,
                line=line,
                routing_operation=RoutingOperation.objects.get(
                    pk=option.outsourcing["routing_operation"]
                ),
                lead_hours=option.outsourcing["lead_hours"],
                cost=option.cost,
                reason=reason,
                user=user,
            )
        built = build(include=[order], due_overrides={order.pk: case.required_date})
        plan = _option_plan(option, built)
        run = save_run(
            built=built,
            plan=plan,
            kind=RunKind.EMERGENCY,
            user=user,
            status="chosen",
            proven=option.proven,
            wall_time=0,
            note=reason,
        )
        affected = [order.pk, *option.moved_orders]
        apply_plan(run=run, user=user, reason=reason, orders=affected)
        if option.promise_date is not None and option.promise_date != order.promised_date:
            before = order.promised_date
            order.promised_date = option.promise_date
            order.version += 1
            order.save(update_fields=["promised_date", "version", "updated_at"])
            _ledger(
                order,
                user,
                _("Promised delivery set to %(date)s (%(option)s)")
                % {"date": option.promise_date, "option": option.get_kind_display()},
                "promised_date",
                changes={
                    "promised_date": [str(before) if before else "", str(option.promise_date)]
                },
            )
        case.chosen_option = option
        case.decided_by = user
        case.decided_at = timezone.now()
        case.decision_note = note.strip()
        case.status = CaseStatus.DECIDED
        case.save(
            update_fields=["chosen_option", "decided_by", "decided_at", "decision_note", "status"]
        )
        task = case.production_task
        if task is not None and task.state == TaskState.OPEN:
            complete_task(task=task, user=user, outcome=option.summary)
        _ledger(
            order,
            user,
            _("Production's answer to %(case)s: %(summary)s")
            % {"case": case.number, "summary": option.summary},
            "option_chosen",
            body=note.strip(),
            option=option.kind,
            cost=str(option.cost),
        )
        _tell_slipping_clerks(case, option, user)
        _notify_later(
            [order.clerk, *emergency_group()],
            _("Emergency order %(number)s: %(summary)s")
            % {"number": order.number, "summary": option.summary},
            case.get_absolute_url(),
        )
    return case


def _hours(value: float) -> str:
    return f"{Decimal(str(value)).quantize(Decimal('0.1')).normalize():f}"


def _tell_slipping_clerks(case: EmergencyCase, option: EmergencyOption, user: User) -> None:
    """A ledger entry on every order that now finishes later, and a word to its clerk."""
    if not option.slips:
        return
    orders = Order.objects.in_bulk([s["order_id"] for s in option.slips])
    for slip in option.slips:
        other = orders.get(slip["order_id"])
        if other is None:
            continue
        new_end = parse_datetime(slip["new_end"])
        assert new_end is not None
        values = {
            "number": other.number,
            "case": case.order.number,
            "end": _local(new_end),
            "delay": _hours(slip["delay_hours"]),
            "late": _hours(slip["late_hours"]),
            "due": slip.get("due") or "—",
        }
        if slip["late_hours"] > 0:
            message = (
                _(
                    "Order %(number)s now finishes %(end)s, %(late)s h after its date %(due)s, "
                    "because emergency order %(case)s goes first: talk to the customer."
                )
                % values
            )
        else:
            message = (
                _(
                    "Order %(number)s now finishes %(end)s (%(delay)s h later) because emergency "
                    "order %(case)s goes first; its date %(due)s still holds."
                )
                % values
            )
        _ledger(
            other,
            user,
            message,
            "slipped_for_emergency",
            kind=Kind.SYSTEM,
            emergency=case.number,
            delay_hours=slip["delay_hours"],
            late_hours=slip["late_hours"],
        )
        _notify_later([other.clerk], message, other.get_absolute_url())


# --- problems and closing (U7) -------------------------------------------------------------


def record_problem(*, case: EmergencyCase, user: User, text: str) -> EmergencyProblem:
    """Note what went wrong, for the weekly emergency review."""
    if not permissions.can_record_problem(user):
        raise NotPermitted(_("Your role may not record problems."))
    if not text.strip():
        raise Blocked(fields={"text": [_("Describe the problem.")]})
    with transaction.atomic():
        problem = EmergencyProblem.objects.create(case=case, text=text.strip(), recorded_by=user)
        _ledger(
            case.order,
            user,
            _("Problem on emergency %(case)s: %(text)s")
            % {"case": case.number, "text": problem.text[:200]},
            "problem",
            kind=Kind.COMMENT,
        )
    return problem


def close_case(*, case: EmergencyCase, user: User, outcome: str) -> EmergencyCase:
    """Close the emergency (delivered, or no longer urgent), with its outcome."""
    if not permissions.can_close(user, case.order):
        raise NotPermitted(
            _("Only the order's clerk, the sales head and management close emergency orders.")
        )
    if not outcome.strip():
        raise Blocked(fields={"outcome": [_("Say how the emergency ended.")]})
    with transaction.atomic():
        locked = _lock(case)
        if not locked.is_open:
            raise Blocked(_("Emergency %(case)s is already closed.") % {"case": locked.number})
        locked.status = CaseStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.outcome = outcome.strip()
        locked.save(update_fields=["status", "closed_at", "outcome"])
        _ledger(
            locked.order,
            user,
            _("Emergency %(case)s closed") % {"case": locked.number},
            "closed",
            body=locked.outcome,
        )
    return locked
