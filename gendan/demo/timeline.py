"""Laying a demo order's events on the calendar: office hours on working days, ending on time.

A story is a list of events, each a gap after the one before. `fit` turns the gaps into
moments that end shortly before a given time; for normal orders every moment falls into office
hours (08:30 to 18:00 on working days of China's public calendar), emergencies run around the
clock.
"""

import datetime as dt
import functools
from collections.abc import Sequence

import chinese_calendar
from django.utils import timezone

OPENS = dt.time(8, 30)
CLOSES = dt.time(18, 0)


@functools.cache
def is_working_day(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # a year the package has no holiday data for
        return day.weekday() < 5


def office_hours(moment: dt.datetime, jitter: dt.timedelta) -> dt.datetime:
    """`moment` if the office is open then, else the next opening plus `jitter`."""
    local = timezone.localtime(moment)
    if is_working_day(local.date()) and OPENS <= local.time() < CLOSES:
        return moment
    day = local.date()
    if local.time() >= CLOSES or not is_working_day(day):
        day += dt.timedelta(days=1)
        while not is_working_day(day):
            day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, OPENS)) + jitter


def timeline(
    start: dt.datetime,
    gaps: Sequence[dt.timedelta],
    jitters: Sequence[dt.timedelta],
    office: bool,
) -> list[dt.datetime]:
    """The moments of events that follow each other by `gaps`, strictly increasing."""
    times: list[dt.datetime] = []
    moment = start
    for gap, jitter in zip(gaps, jitters, strict=True):
        moment = moment + gap
        if office:
            moment = office_hours(moment, jitter)
        if times and moment <= times[-1]:
            moment = times[-1] + dt.timedelta(minutes=1)
        times.append(moment)
    return times


def fit(
    gaps: Sequence[dt.timedelta],
    jitters: Sequence[dt.timedelta],
    office: bool,
    end_by: dt.datetime,
) -> list[dt.datetime]:
    """Event moments whose last one falls before `end_by`, as close to it as the hours allow.

    Office hours stretch a story unpredictably, so the start is nudged back and forth a few
    times; the closest timeline that ends in time wins.
    """
    start = end_by - sum(gaps, dt.timedelta()) * 1.3
    best: list[dt.datetime] | None = None
    times: list[dt.datetime] = []
    for _ in range(12):
        times = timeline(start, gaps, jitters, office)
        miss = end_by - times[-1]
        if miss >= dt.timedelta():
            if best is None or times[-1] > best[-1]:
                best = times
            if miss < dt.timedelta(hours=3):
                break
            start += miss - dt.timedelta(minutes=30)
        else:
            start += miss * 1.1
    if best is None:  # never fitted: move the last timeline back as it is
        over = times[-1] - end_by
        best = [moment - over for moment in times]
    return best
