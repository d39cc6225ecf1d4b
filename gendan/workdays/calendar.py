"""Working-day arithmetic on the company calendar (K5).

The base is China's public-holiday calendar with its make-up working days (the
`chinesecalendar` package); the company's `CalendarOverride` rows win over it. For years the
package has no data for yet, Monday to Friday are working days until the package is updated.
Emergency deadlines count clock hours instead (see `deadline_in_hours`).
"""

import datetime as dt
from collections.abc import Iterable

import chinese_calendar
from django.utils import timezone

from gendan.workdays.models import CalendarOverride

#: A deadline counted in working days falls due at the end of that day's office hours.
END_OF_WORKING_DAY = dt.time(18, 0)


def _public_is_working_day(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # a year the package has no holiday data for
        return day.weekday() < 5


class WorkingCalendar:
    """The calendar for one computation: overrides are read once, in one query, per window.

    Overrides are few (a handful a year) so they are read fresh for each computation; that
    keeps every worker process in step without a cache to invalidate.
    """

    def __init__(self, first: dt.date, last: dt.date) -> None:
        self.first, self.last = first, last
        rows = CalendarOverride.objects.filter(date__range=(first, last))
        self._overrides = dict(rows.values_list("date", "is_working_day"))

    def is_working_day(self, day: dt.date) -> bool:
        if not self.first <= day <= self.last:
            raise ValueError(f"{day} is outside the calendar window {self.first}..{self.last}")
        override = self._overrides.get(day)
        return override if override is not None else _public_is_working_day(day)


def is_working_day(day: dt.date) -> bool:
    return WorkingCalendar(day, day).is_working_day(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (start itself not counted).

    `add_working_days(date(2026, 9, 30), 3)` is 2026-10-10: the National Day holiday is
    skipped and Saturday 10 October is a make-up working day.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    # A working day in every seven is the sparsest the calendar gets (Spring Festival week).
    calendar = WorkingCalendar(start, start + dt.timedelta(days=days * 7 + 14))
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if day > calendar.last:
            calendar = WorkingCalendar(day, day + dt.timedelta(days=remaining * 7 + 14))
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days lie after `start` up to and including `end` (negative if before)."""
    if end < start:
        return -working_days_between(end, start)
    calendar = WorkingCalendar(start, end)
    return sum(1 for day in _days(start, end) if calendar.is_working_day(day))


def _days(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    day = start + dt.timedelta(days=1)
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def deadline_in_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """A deadline `days` working days after `start`, at the end of that working day."""
    local_start = timezone.localtime(start)
    due_day = add_working_days(local_start.date(), days)
    return timezone.make_aware(dt.datetime.combine(due_day, END_OF_WORKING_DAY))


def deadline_in_hours(start: dt.datetime, hours: int) -> dt.datetime:
    """An emergency deadline: clock hours, holidays included (seed 001)."""
    return start + dt.timedelta(hours=hours)
