"""Conversion between datetimes and the engine's integer time units.

The engine works in whole units from an origin (for example 15-minute units from Monday 00:00 of
this week). Rounding always errs on the safe side of a promise: a release or a window start is
rounded up (material that arrives at 08:05 cannot be used at 08:00), a due date or a window end is
rounded down, and a duration is rounded up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from gendan.scheduling.problem import Window


@dataclass(frozen=True)
class TimeScale:
    """Units of `unit` length counted from `origin` (aware or naive, but consistently so)."""

    origin: datetime
    unit: timedelta = timedelta(minutes=1)

    def __post_init__(self) -> None:
        if self.unit <= timedelta(0):
            raise ValueError("time unit must be positive")

    def _ratio(self, delta: timedelta) -> tuple[int, int]:
        q, r = divmod(delta, self.unit)
        return int(q), 0 if r == timedelta(0) else 1

    def floor(self, moment: datetime) -> int:
        """The last unit boundary at or before `moment` (use for due dates and window ends)."""
        q, _ = self._ratio(moment - self.origin)
        return q

    def ceil(self, moment: datetime) -> int:
        """The first unit boundary at or after `moment` (use for releases and window starts)."""
        q, r = self._ratio(moment - self.origin)
        return q + r

    def to_datetime(self, units: int) -> datetime:
        """The datetime of a unit boundary."""
        return self.origin + units * self.unit

    def duration(self, length: timedelta) -> int:
        """A processing or set-up time in whole units, rounded up."""
        if length < timedelta(0):
            raise ValueError("negative duration")
        q, r = self._ratio(length)
        return q + r

    def to_timedelta(self, units: int) -> timedelta:
        return units * self.unit

    def windows(self, spans: Iterable[tuple[datetime, datetime]]) -> tuple[Window, ...]:
        """Available datetime spans (shifts) as merged unit windows, shrunk to whole units."""
        raw = [(self.ceil(s), self.floor(e)) for s, e in spans]
        return merge_windows(raw)


def merge_windows(windows: Iterable[Window]) -> tuple[Window, ...]:
    """Sort windows, drop empty ones and merge those that touch or overlap.

    Merging matters: two back-to-back shifts (06:00-14:00, 14:00-22:00) form one window, so an
    operation may run across the shift change, but not across a night or a holiday.
    """
    out: list[Window] = []
    for s, e in sorted(w for w in windows if w[1] > w[0]):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return tuple(out)
