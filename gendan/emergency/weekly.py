"""The weekly emergency coordination review (U7): last week's emergency orders and what went
wrong, and this week's plan for the emergency orders still open.

A week runs Monday to Sunday. "Problems" are those recorded by people plus the ones the
records show: a confirmation or an answer later than its deadline in hours, promises of other
orders broken by the option chosen, emergency tasks still open past their deadline, and orders
marked urgent without an identification form.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.emergency.models import OPEN_CASE_STATUSES, EmergencyCase, EmergencyProblem
from gendan.orders.models import Order
from gendan.orders.status import OPEN_STATUSES, Priority
from gendan.planning.models import PlannedOperation, PlanRun
from gendan.tasks.models import Task


@dataclass
class CaseRow:
    case: EmergencyCase
    problems: list[str] = field(default_factory=list)


@dataclass
class PlanRow:
    case: EmergencyCase
    #: (start, end, work centre, step) of the steps planned this week.
    steps: list[tuple[dt.datetime, dt.datetime, str, str]]
    planned_end: dt.datetime | None
    open_tasks: list[Task]

    @property
    def on_time(self) -> bool | None:
        if self.planned_end is None:
            return None
        due = self.case.order.promised_date or self.case.required_date
        return timezone.localtime(self.planned_end).date() <= due


@dataclass
class WeeklyReview:
    week_start: dt.date
    last_week: list[CaseRow]
    this_week: list[PlanRow]
    unidentified: list[Order]
    run: PlanRun | None

    @property
    def last_week_start(self) -> dt.date:
        return self.week_start - dt.timedelta(days=7)

    @property
    def week_end(self) -> dt.date:
        return self.week_start + dt.timedelta(days=6)

    @property
    def problem_count(self) -> int:
        return sum(len(row.problems) for row in self.last_week) + len(self.unidentified)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _problems(case: EmergencyCase, recorded: list[EmergencyProblem], now: dt.datetime) -> list[str]:
    out: list[str] = []
    if case.confirmed_at is not None and case.confirmed_at > case.confirmation_due_at:
        out.append(
            _("Confirmed with the customer %(hours)s h after the deadline.")
            % {"hours": _late_hours(case.confirmed_at - case.confirmation_due_at)}
        )
    elif case.confirmed_at is None and now > case.confirmation_due_at and case.is_open:
        out.append(_("Not yet confirmed with the customer, past the deadline."))
    if case.answer_due_at is not None:
        answered = case.decided_at or (now if case.is_open else None)
        if answered is not None and answered > case.answer_due_at:
            out.append(
                _("Production's answer came %(hours)s h after the deadline.")
                % {"hours": _late_hours(answered - case.answer_due_at)}
                if case.decided_at
                else _("Production has not answered yet, past the deadline.")
            )
    option = case.chosen_option
    if option is not None:
        broken = option.broken_promises
        if broken:
            out.append(
                _("The option chosen broke the promise of %(count)d other orders: %(orders)s.")
                % {"count": len(broken), "orders": ", ".join(s["order"] for s in broken)}
            )
        if not option.meets_required:
            out.append(
                _("Delivered later than required: %(date)s instead of %(required)s.")
                % {"date": option.promise_date, "required": case.required_date}
            )
    out += [p.text for p in recorded]
    return out


def _late_hours(delta: dt.timedelta) -> str:
    return f"{delta.total_seconds() / 3600:.1f}"


def weekly_review(user: User, week_start: dt.date) -> WeeklyReview:
    """The review held in the week starting `week_start` (a Monday)."""
    now = timezone.now()
    since, until = _midnight(week_start - dt.timedelta(days=7)), _midnight(week_start)
    cases = EmergencyCase.objects.for_user(user).select_related(
        "order", "order__customer", "order__clerk", "chosen_option", "identified_by"
    )
    last = list(
        cases.filter(identified_at__gte=since, identified_at__lt=until).order_by("identified_at")
    )
    recorded: dict[int, list[EmergencyProblem]] = defaultdict(list)
    for problem in EmergencyProblem.objects.filter(case__in=[c.pk for c in last]):
        recorded[problem.case_id].append(problem)
    last_week = [CaseRow(c, _problems(c, recorded[c.pk], now)) for c in last]
    open_cases = list(cases.filter(status__in=OPEN_CASE_STATUSES).order_by("required_date"))
    run = PlanRun.objects.current()
    week_from, week_to = until, _midnight(week_start + dt.timedelta(days=7))
    steps: dict[int, list[tuple[dt.datetime, dt.datetime, str, str]]] = defaultdict(list)
    ends: dict[int, dt.datetime] = {}
    if run is not None:
        order_ids = [c.order_id for c in open_cases]
        for op in (
            PlannedOperation.objects.filter(
                run=run, order_id__in=order_ids, starts_at__lt=week_to, ends_at__gt=week_from
            )
            .select_related("work_centre")
            .order_by("starts_at")
        ):
            where = op.work_centre.code if op.work_centre else _("outside shop")
            steps[op.order_id].append((op.starts_at, op.ends_at, where, op.name))
        ends = dict(
            PlannedOperation.objects.filter(run=run, order_id__in=order_ids)
            .values("order_id")
            .annotate(end=Max("ends_at"))
            .values_list("order_id", "end")
        )
    tasks: dict[int, list[Task]] = defaultdict(list)
    for task in (
        Task.objects.open()
        .filter(order_id__in=[c.order_id for c in open_cases], kind__startswith="emergency")
        .select_related("department", "assignee")
    ):
        assert task.order_id is not None
        tasks[task.order_id].append(task)
    this_week = [
        PlanRow(c, steps.get(c.order_id, []), ends.get(c.order_id), tasks.get(c.order_id, []))
        for c in open_cases
    ]
    unidentified = list(
        Order.objects.for_user(user)
        .filter(priority=Priority.EMERGENCY, status__in=OPEN_STATUSES, emergency_case__isnull=True)
        .select_related("customer")
        .order_by("requested_date")
    )
    return WeeklyReview(week_start, last_week, this_week, unidentified, run)
