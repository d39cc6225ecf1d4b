"""Planned dates for work orders: simple forward scheduling over the work centres' shift
calendars.

This is the stand-in until the capable-to-promise engine (`gendan.scheduling`) plans with the
whole factory's load. Everything outside this module asks for dates through
`schedule_work_orders`, which calls the scheduler named by the setting
`GENDAN["PRODUCTION_SCHEDULER"]` (a dotted path; default `company_forward_schedule`). A
scheduler takes the steps and the earliest start and returns a (start, end) slot per step key.

The rule of `forward_schedule`:
- A work centre works `hours_per_day` (shifts x hours per shift) from `day_starts_at` on each
  working day of the company calendar, or every day when it runs on rest days. A production
  day's shifts may run past midnight; they belong to the day they started.
- A step lasts set-up + run time ÷ parallel units (the lot is split evenly over the units).
- Steps of one chain (the operations of one order line) run one after the other; a work centre
  does one step of this plan at a time. Other orders' load is not considered.
"""

import datetime as dt
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from gendan.workdays.calendar import WorkingCalendar

if TYPE_CHECKING:
    from gendan.production.models import WorkCentre, WorkOrder

Slot = tuple[dt.datetime, dt.datetime]
#: How far ahead the scheduler looks for working time before it gives up.
HORIZON_DAYS = 3 * 366


@dataclass(frozen=True)
class ShiftCalendar:
    """A work centre's working time as the scheduler sees it."""

    key: Hashable
    units: int
    hours_per_day: Decimal
    day_starts_at: dt.time
    runs_on_rest_days: bool

    @classmethod
    def of(cls, centre: "WorkCentre") -> "ShiftCalendar":
        return cls(
            key=centre.pk,
            units=centre.capacity_units,
            hours_per_day=centre.hours_per_day,
            day_starts_at=centre.day_starts_at,
            runs_on_rest_days=centre.runs_on_rest_days,
        )


@dataclass(frozen=True)
class Step:
    key: Hashable
    #: Steps with the same chain run in the order given, one after the other.
    chain: Hashable
    centre: ShiftCalendar
    setup_minutes: Decimal
    #: Run time of the whole lot on one unit.
    run_minutes: Decimal

    @property
    def duration(self) -> dt.timedelta:
        minutes = self.setup_minutes + self.run_minutes / max(self.centre.units, 1)
        return dt.timedelta(minutes=float(minutes))


class Scheduler(Protocol):
    def __call__(self, steps: Sequence[Step], start: dt.datetime) -> dict[Hashable, Slot]: ...


class CompanyCalendar:
    """`is_working_day` on the company calendar, reading overrides in windows as it goes."""

    def __init__(self, window_days: int = 120) -> None:
        self.window_days = window_days
        self._calendar: WorkingCalendar | None = None

    def __call__(self, day: dt.date) -> bool:
        calendar = self._calendar
        if calendar is None or not calendar.first <= day <= calendar.last:
            calendar = WorkingCalendar(day, day + dt.timedelta(days=self.window_days))
            self._calendar = calendar
        return calendar.is_working_day(day)


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def shift_windows(
    centre: ShiftCalendar,
    earliest: dt.datetime,
    is_working_day: Callable[[dt.date], bool],
    *,
    days: int = HORIZON_DAYS,
) -> Iterator[Slot]:
    """The centre's working windows (start, end) that end after `earliest`, in time order, for
    `days` production days. The capable-to-promise engine builds its calendars from these."""
    length = dt.timedelta(hours=float(centre.hours_per_day))
    # The previous day's shifts may still be running after midnight.
    day = timezone.localtime(earliest).date() - dt.timedelta(days=1)
    for _ in range(days):
        if centre.runs_on_rest_days or is_working_day(day):
            opens = _at(day, centre.day_starts_at)
            if opens + length > earliest:
                yield opens, opens + length
        day += dt.timedelta(days=1)


def place(
    centre: ShiftCalendar,
    earliest: dt.datetime,
    duration: dt.timedelta,
    is_working_day: Callable[[dt.date], bool],
) -> Slot:
    """The first slot of `duration` working time on `centre` starting no sooner than
    `earliest` (it may span several production days: work stops at the end of a day's shifts
    and goes on with the next working day's)."""
    remaining = duration
    start: dt.datetime | None = None
    for opens, closes in shift_windows(centre, earliest, is_working_day):
        begin = max(opens, earliest)
        if start is None:
            start = begin
        available = closes - begin
        if remaining <= available:
            return start, begin + remaining
        remaining -= available
    raise ValueError(f"no working time on {centre.key} within {HORIZON_DAYS} days")


def forward_schedule(
    steps: Sequence[Step], start: dt.datetime, is_working_day: Callable[[dt.date], bool]
) -> dict[Hashable, Slot]:
    """Slots for `steps` in the order given (see the module docstring for the rule)."""
    chain_free: dict[Hashable, dt.datetime] = {}
    centre_free: dict[Hashable, dt.datetime] = {}
    slots: dict[Hashable, Slot] = {}
    for step in steps:
        earliest = max(
            start,
            chain_free.get(step.chain, start),
            centre_free.get(step.centre.key, start),
        )
        slot = place(step.centre, earliest, step.duration, is_working_day)
        slots[step.key] = slot
        chain_free[step.chain] = slot[1]
        centre_free[step.centre.key] = slot[1]
    return slots


def company_forward_schedule(steps: Sequence[Step], start: dt.datetime) -> dict[Hashable, Slot]:
    """`forward_schedule` on the company calendar (the default scheduler)."""
    return forward_schedule(steps, start, CompanyCalendar())


def configured_scheduler() -> Scheduler:
    path = str(
        settings.GENDAN.get(
            "PRODUCTION_SCHEDULER", "gendan.production.planning.company_forward_schedule"
        )
    )
    return import_string(path)  # type: ignore[no-any-return]


def steps_for(work_orders: Sequence["WorkOrder"]) -> list[Step]:
    """One step per work order, chained per order line, in line and routing order."""
    ordered = sorted(work_orders, key=lambda w: (w.order_line.position, w.sequence))
    return [
        Step(
            key=id(wo),
            chain=wo.order_line_id,
            centre=ShiftCalendar.of(wo.work_centre),
            setup_minutes=Decimal(wo.setup_minutes),
            run_minutes=wo.run_minutes_per_unit * wo.quantity,
        )
        for wo in ordered
    ]


def schedule_work_orders(
    work_orders: Sequence["WorkOrder"], start: dt.datetime
) -> Mapping[Hashable, Slot]:
    """Planned (start, end) for each work order, keyed by `id(work_order)` so that unsaved
    work orders can be scheduled too."""
    return configured_scheduler()(steps_for(work_orders), start)
