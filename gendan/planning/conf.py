"""Planning settings, read from `settings.GENDAN` with the defaults below.

A deployment sets them through the environment in `gendan/settings.py` (keys as named here);
tests override them with the `settings` fixture. They are read at each use, never cached.
"""

import datetime as dt

from django.conf import settings

DEFAULTS: dict[str, int] = {
    # The engine's time unit: 15 minutes gives small domains and exact-enough dates.
    "PLANNING_UNIT_MINUTES": 15,
    # Work planned to start within this many hours from now stays put (the frozen window).
    "PLANNING_FROZEN_HOURS": 24,
    # How far ahead work-centre calendars are built (further if a material or a due date is).
    "PLANNING_HORIZON_DAYS": 120,
    # Time limit of a question asked on a page (promise, earliest date), in seconds.
    "PLANNING_ASK_SECONDS": 3,
    # Time limit of the plan for all open orders (run by the worker), in seconds.
    "PLANNING_REPLAN_SECONDS": 30,
    # CP-SAT workers per solve.
    "PLANNING_WORKERS": 2,
    # How often the worker re-plans every open order, in minutes.
    "PLANNING_REPLAN_MINUTES": 60,
}


def value(name: str, *, minimum: int = 1) -> int:
    configured = settings.GENDAN.get(name, DEFAULTS[name])
    number = int(str(configured))
    if number < minimum:
        raise ValueError(f"setting {name} must be at least {minimum}, not {configured!r}")
    return number


def unit() -> dt.timedelta:
    return dt.timedelta(minutes=value("PLANNING_UNIT_MINUTES"))


def frozen() -> dt.timedelta:
    return dt.timedelta(hours=value("PLANNING_FROZEN_HOURS", minimum=0))


def horizon_days() -> int:
    return value("PLANNING_HORIZON_DAYS")


def ask_seconds() -> float:
    return float(value("PLANNING_ASK_SECONDS"))


def replan_seconds() -> float:
    return float(value("PLANNING_REPLAN_SECONDS"))


def workers() -> int:
    return value("PLANNING_WORKERS")


def replan_interval() -> dt.timedelta:
    return dt.timedelta(minutes=value("PLANNING_REPLAN_MINUTES"))
