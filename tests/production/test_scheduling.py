"""Forward scheduling over the work centres' shift calendars and the company calendar."""

import datetime as dt
from decimal import Decimal

import pytest

from gendan.production.planning import (
    CompanyCalendar,
    ShiftCalendar,
    Step,
    company_forward_schedule,
    forward_schedule,
    place,
    shift_windows,
)
from gendan.workdays.models import CalendarOverride
from tests.purchasing.helpers import local

pytestmark = pytest.mark.django_db
D = Decimal


def centre(key="C", units=1, hours="8", start=dt.time(8, 0), continuous=False) -> ShiftCalendar:
    return ShiftCalendar(
        key=key,
        units=units,
        hours_per_day=D(hours),
        day_starts_at=start,
        runs_on_rest_days=continuous,
    )


def test_sixteen_hours_from_the_eve_of_national_day_end_after_the_holiday() -> None:
    # 30 Sep 2026 is a working day; 1-7 October are the National Day holiday.
    slot = place(centre(), local(2026, 9, 30, 8), dt.timedelta(hours=16), CompanyCalendar())
    assert slot == (local(2026, 9, 30, 8), local(2026, 10, 8, 16))


def test_make_up_saturday_is_worked() -> None:
    # Friday 9 Oct 2026 full; Saturday 10 Oct is a make-up working day, Sunday 11 is not.
    slot = place(centre(), local(2026, 10, 9, 8), dt.timedelta(hours=24), CompanyCalendar())
    assert slot == (local(2026, 10, 9, 8), local(2026, 10, 12, 16))


def test_continuous_centre_runs_through_the_holiday() -> None:
    paper_machine = centre(hours="24", start=dt.time(0, 0), continuous=True)
    slot = place(paper_machine, local(2026, 9, 30, 12), dt.timedelta(hours=48), CompanyCalendar())
    assert slot == (local(2026, 9, 30, 12), local(2026, 10, 2, 12))


def test_company_rest_day_override_is_respected() -> None:
    CalendarOverride.objects.create(
        date=dt.date(2026, 6, 2), is_working_day=False, note="Plant shutdown"
    )
    slot = place(centre(), local(2026, 6, 1, 8), dt.timedelta(hours=12), CompanyCalendar())
    assert slot == (local(2026, 6, 1, 8), local(2026, 6, 3, 12))


def test_start_outside_working_hours_waits_for_the_next_shift() -> None:
    slot = place(centre(), local(2026, 6, 1, 18), dt.timedelta(hours=2), CompanyCalendar())
    assert slot == (local(2026, 6, 2, 8), local(2026, 6, 2, 10))


def test_night_shift_past_midnight_belongs_to_the_day_it_started() -> None:
    # Two 8-hour shifts from 16:00: Friday's shifts run until Saturday 08:00.
    evening = centre(hours="16", start=dt.time(16, 0))
    slot = place(evening, local(2026, 6, 6, 2), dt.timedelta(hours=4), CompanyCalendar())
    # Saturday 6 June 02:00 is still Friday's production day (until 08:00).
    assert slot == (local(2026, 6, 6, 2), local(2026, 6, 6, 6))


def test_steps_of_a_chain_follow_each_other_and_parallel_units_share_the_run() -> None:
    pm = centre("PM", units=1, hours="24", start=dt.time(0, 0), continuous=True)
    winders = centre("WD", units=2)
    steps = [
        Step(key="pm", chain=1, centre=pm, setup_minutes=D(60), run_minutes=D(600)),
        # 960 run minutes on two winders: 8 hours each, plus 30 minutes set-up.
        Step(key="wd", chain=1, centre=winders, setup_minutes=D(30), run_minutes=D(960)),
    ]
    slots = forward_schedule(steps, local(2026, 6, 1, 0), CompanyCalendar())
    assert slots["pm"] == (local(2026, 6, 1, 0), local(2026, 6, 1, 11))
    assert slots["wd"] == (local(2026, 6, 1, 11), local(2026, 6, 2, 11, 30))


def test_a_work_centre_does_one_step_at_a_time() -> None:
    wd = centre("WD")
    steps = [
        Step(key="a", chain=1, centre=wd, setup_minutes=D(0), run_minutes=D(240)),
        Step(key="b", chain=2, centre=wd, setup_minutes=D(0), run_minutes=D(240)),
    ]
    slots = company_forward_schedule(steps, local(2026, 6, 1, 8))
    assert slots["b"][0] == slots["a"][1] == local(2026, 6, 1, 12)


def test_shift_windows_skip_rest_days_and_hand_out_each_production_day() -> None:
    windows = list(shift_windows(centre(), local(2026, 9, 30, 12), CompanyCalendar(), days=12))
    assert windows == [
        (local(2026, 9, 30, 8), local(2026, 9, 30, 16)),
        (local(2026, 10, 8, 8), local(2026, 10, 8, 16)),
        (local(2026, 10, 9, 8), local(2026, 10, 9, 16)),
        (local(2026, 10, 10, 8), local(2026, 10, 10, 16)),
    ]
