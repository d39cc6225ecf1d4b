"""The work-centre Gantt chart as plain data for a server-rendered page: one row per work
centre, bars placed in percent of the span shown, days shaded when the company rests.

Two sources: the current plan run (the engine's plan) or the work orders' own planned dates
(the plan in force on the shop floor).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.orders.models import Order
from gendan.orders.status import Priority
from gendan.planning.calendars import shift_spans
from gendan.planning.models import PlannedOperation, PlanRun
from gendan.production.models import ACTIVE_WORK_STATUSES, WorkCentre, WorkOrder, WorkOrderStatus
from gendan.workdays.calendar import WorkingCalendar

SOURCES = ("run", "work_orders")


@dataclass(frozen=True)
class Item:
    """One bar's facts before placing."""

    centre_id: int | None
    order_id: int
    order_number: str
    name: str
    start: dt.datetime
    end: dt.datetime
    emergency: bool
    late: bool
    frozen: bool = False
    running: bool = False


@dataclass
class Bar:
    left: float
    width: float
    lane: int
    label: str
    title: str
    css: str
    url: str


@dataclass
class Row:
    code: str
    name: str
    url: str
    bars: list[Bar] = field(default_factory=list)
    lanes: int = 1
    open_hours: float = 0
    busy_hours: float = 0

    @property
    def load(self) -> int | None:
        """Share of the centre's working time in the span that is planned, in percent."""
        return round(100 * self.busy_hours / self.open_hours) if self.open_hours else None


@dataclass(frozen=True)
class Day:
    date: dt.date
    left: float
    width: float
    closed: bool


@dataclass
class Gantt:
    start: dt.date
    days: int
    rows: list[Row]
    header: list[Day]
    now_left: float | None
    source: str

    @property
    def previous_start(self) -> dt.date:
        return self.start - dt.timedelta(days=max(self.days // 2, 1))

    @property
    def next_start(self) -> dt.date:
        return self.start + dt.timedelta(days=max(self.days // 2, 1))


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _due(order: Order) -> dt.date:
    return order.promised_date or order.requested_date


def _run_items(run: PlanRun, since: dt.datetime, until: dt.datetime) -> list[Item]:
    ends = dict(
        PlannedOperation.objects.filter(run=run)
        .values("order_id")
        .annotate(end=Max("ends_at"))
        .values_list("order_id", "end")
    )
    ops = (
        PlannedOperation.objects.filter(run=run, starts_at__lt=until, ends_at__gt=since)
        .select_related("order")
        .order_by("starts_at")
    )
    items = []
    for op in ops:
        due = _midnight(_due(op.order) + dt.timedelta(days=1))
        items.append(
            Item(
                op.work_centre_id,
                op.order_id,
                op.order.number,
                op.name,
                op.starts_at,
                op.ends_at,
                op.order.priority == Priority.EMERGENCY,
                ends[op.order_id] > due,
                frozen=op.pinned,
            )
        )
    return items


def _work_order_items(since: dt.datetime, until: dt.datetime) -> list[Item]:
    ends = dict(
        WorkOrder.objects.filter(status__in=ACTIVE_WORK_STATUSES)
        .values("order_id")
        .annotate(end=Max("planned_end"))
        .values_list("order_id", "end")
    )
    work_orders = (
        WorkOrder.objects.filter(
            status__in=ACTIVE_WORK_STATUSES, planned_start__lt=until, planned_end__gt=since
        )
        .select_related("order")
        .order_by("planned_start")
    )
    items = []
    for wo in work_orders:
        due = _midnight(_due(wo.order) + dt.timedelta(days=1))
        items.append(
            Item(
                wo.work_centre_id,
                wo.order_id,
                wo.order.number,
                f"{wo.number} {wo.name}",
                wo.planned_start,
                wo.planned_end,
                wo.order.priority == Priority.EMERGENCY,
                ends[wo.order_id] > due,
                running=wo.status == WorkOrderStatus.IN_PROGRESS,
            )
        )
    return items


def _visible(user: User, order_ids: Iterable[int]) -> set[int]:
    ids = set(order_ids)
    if user.sees_all:
        return ids
    return set(Order.objects.for_user(user).filter(pk__in=ids).values_list("pk", flat=True))


def _lanes(bars: list[tuple[Item, Bar]]) -> int:
    ends: list[dt.datetime] = []
    for item, bar in bars:
        for lane, end in enumerate(ends):
            if end <= item.start:
                bar.lane, ends[lane] = lane, item.end
                break
        else:
            bar.lane = len(ends)
            ends.append(item.end)
    return max(len(ends), 1)


def build_gantt(
    *,
    user: User,
    start: dt.date,
    days: int,
    source: str = "run",
    run: PlanRun | None = None,
) -> Gantt:
    since, until = _midnight(start), _midnight(start + dt.timedelta(days=days))
    span = (until - since).total_seconds()
    if source == "run":
        items = _run_items(run, since, until) if run is not None else []
    else:
        items = _work_order_items(since, until)
    visible = _visible(user, {i.order_id for i in items})
    centres = list(WorkCentre.objects.filter(is_active=True).order_by("code"))
    calendar = WorkingCalendar(start - dt.timedelta(days=1), start + dt.timedelta(days=days))
    rows = {c.pk: Row(c.code, c.name, _centre_url(c)) for c in centres}
    first, last = start - dt.timedelta(days=1), start + dt.timedelta(days=days - 1)
    for c in centres:
        for s, e in shift_spans(c, first, last, calendar):
            rows[c.pk].open_hours += _overlap(s, e, since, until) / 3600
    placed: dict[int, list[tuple[Item, Bar]]] = defaultdict(list)
    for item in items:
        row = rows.get(item.centre_id) if item.centre_id is not None else None
        if row is None:
            continue
        s, e = max(item.start, since), min(item.end, until)
        row.busy_hours += (e - s).total_seconds() / 3600
        shown = item.order_id in visible
        css = ["bar"]
        if item.emergency:
            css.append("bar-emergency")
        if item.late:
            css.append("bar-late")
        if item.frozen or item.running:
            css.append("bar-frozen")
        begins, ends = timezone.localtime(item.start), timezone.localtime(item.end)
        when = f"{begins:%m-%d %H:%M} - {ends:%m-%d %H:%M}"
        label = _short(item.order_number) if shown else _("other order")
        title = f"{item.order_number} · {item.name} · {when}" if shown else f"{label} · {when}"
        if item.late:
            title += " · " + _("late for its date")
        bar = Bar(
            left=round(100 * (s - since).total_seconds() / span, 3),
            width=max(round(100 * (e - s).total_seconds() / span, 3), 0.15),
            lane=0,
            label=label,
            title=title,
            css=" ".join(css),
            url=reverse("orders:detail", args=[item.order_number]) if shown else "",
        )
        placed[item.centre_id].append((item, bar))  # type: ignore[index]
    for pk, bars in placed.items():
        rows[pk].lanes = _lanes(bars)
        rows[pk].bars = [bar for _item, bar in bars]
    header = [
        Day(
            start + dt.timedelta(days=i),
            round(100 * i / days, 3),
            round(100 / days, 3),
            not calendar.is_working_day(start + dt.timedelta(days=i)),
        )
        for i in range(days)
    ]
    now = timezone.now()
    now_left = None
    if since <= now < until:
        now_left = round(100 * (now - since).total_seconds() / span, 3)
    return Gantt(start, days, list(rows.values()), header, now_left, source)


def _short(number: str) -> str:
    """The distinctive end of an order number for a narrow bar: SO-2026-000061 → 61."""
    tail = number.rsplit("-", 1)[-1]
    return tail.lstrip("0") or tail


def _overlap(s: dt.datetime, e: dt.datetime, since: dt.datetime, until: dt.datetime) -> float:
    return max((min(e, until) - max(s, since)).total_seconds(), 0)


def _centre_url(centre: WorkCentre) -> str:
    try:
        return reverse("production:work_centre", args=[centre.pk])
    except NoReverseMatch:
        return ""
