"""Work-centre calendars as datetime spans: shifts on the company's working days, plus the
capacity adjustments planners added (overtime, extra shifts).

The shift rule is production's (`gendan.production.models.WorkCentre`): on each working day
of the company calendar (every day for a centre that runs on rest days) the centre works
`hours_per_day` from `day_starts_at`, the shifts back to back; a day's shifts may run past
midnight and belong to the day they started.
"""

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from gendan.production.models import WorkCentre
from gendan.workdays.calendar import WorkingCalendar

Span = tuple[dt.datetime, dt.datetime]


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def shift_spans(
    centre: WorkCentre, first: dt.date, last: dt.date, calendar: WorkingCalendar
) -> list[Span]:
    """The centre's working spans of the production days `first`..`last`."""
    length = dt.timedelta(hours=float(centre.hours_per_day))
    spans: list[Span] = []
    day = first
    while day <= last:
        if centre.runs_on_rest_days or calendar.is_working_day(day):
            opens = _at(day, centre.day_starts_at)
            spans.append((opens, opens + length))
        day += dt.timedelta(days=1)
    return spans


def rest_day_spans(
    centre: WorkCentre, first: dt.date, last: dt.date, calendar: WorkingCalendar
) -> list[Span]:
    """What the centre's shifts would be on the rest days it does not work (an extra shift)."""
    if centre.runs_on_rest_days:
        return []
    length = dt.timedelta(hours=float(centre.hours_per_shift))
    spans: list[Span] = []
    day = first
    while day <= last:
        if not calendar.is_working_day(day):
            opens = _at(day, centre.day_starts_at)
            spans.append((opens, opens + length))
        day += dt.timedelta(days=1)
    return spans


def overtime_spans(shifts: Iterable[Span], hours: float, *, after: dt.datetime) -> list[Span]:
    """`hours` of overtime after each shift ending after `after`, never into the next shift."""
    extra = dt.timedelta(hours=hours)
    ordered = sorted(shifts)
    out: list[Span] = []
    for index, (_start, end) in enumerate(ordered):
        if end <= after:
            continue
        until = end + extra
        if index + 1 < len(ordered):
            until = min(until, ordered[index + 1][0])
        if until > end:
            out.append((end, until))
    return out


def span_hours(spans: Iterable[Span]) -> float:
    return sum((end - start).total_seconds() for start, end in spans) / 3600
