import datetime as dt

import pytest

from gendan.accounts.models import User
from tests.planning.factory import add_people, local


@pytest.fixture(autouse=True)
def _planning_settings(settings: pytest.FixtureRequest) -> None:
    """Pages over plain HTTP without `collectstatic`; short solver time limits."""
    settings.SECURE_SSL_REDIRECT = False  # type: ignore[attr-defined]
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.GENDAN = {  # type: ignore[attr-defined]
        **settings.GENDAN,  # type: ignore[attr-defined]
        "PLANNING_ASK_SECONDS": 2,
        "EMERGENCY_OPTION_SECONDS": 2,
        "PLANNING_REPLAN_SECONDS": 3,
    }


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/planning" in str(item.path) or "tests/emergency" in str(item.path):
            item.add_marker(pytest.mark.filterwarnings("ignore:No directory at:UserWarning"))


@pytest.fixture
def staff(users: dict[str, User]) -> dict[str, User]:
    """The suite's users plus a planner, buyers and the logistics head."""
    return add_people(users)


class Clock:
    """The time `django.utils.timezone.now` answers while a test runs."""

    def __init__(self, now: "dt.datetime") -> None:
        self.now = now

    def __call__(self) -> "dt.datetime":
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Stops the clock at Wednesday 2026-09-30 07:00 (the day before the National Day holiday);
    `clock.now = ...` or `clock.advance(hours=2)` moves it."""
    from django.utils import timezone

    fixed = Clock(local(2026, 9, 30, 7, 0))
    monkeypatch.setattr(timezone, "now", fixed)
    return fixed
