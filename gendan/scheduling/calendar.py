"""Work-centre calendars: where an operation of a given length may start.

Policy (documented in docs/scheduling.md): an operation runs uninterrupted inside one available
window; it never spans a break, a night off or a holiday. Paper-mill steps behave this way (a
winder set is not left half-wound over a weekend), and it keeps every operation a fixed-length
interval, which CP-SAT propagates far better than stretchable ones. A step longer than any window
must be split into several operations by the caller.
"""

from __future__ import annotations

from bisect import bisect_right

from gendan.scheduling.problem import Window
from gendan.scheduling.timescale import merge_windows

ALWAYS: tuple[Window, ...] = ((-(2**40), 2**40),)
"""The calendar of a centre without windows: open at every time the engine can represent."""


def centre_windows(windows: tuple[Window, ...] | None) -> tuple[Window, ...]:
    """Merged windows of a centre; ALWAYS when it has no calendar."""
    return ALWAYS if windows is None else merge_windows(windows)


def start_ranges(windows: tuple[Window, ...], length: int, lo: int, hi: int) -> list[Window]:
    """Closed ranges [a, b] of start times s in [lo, hi] such that [s, s+length) fits a window."""
    out: list[Window] = []
    for ws, we in windows:
        a, b = max(ws, lo), min(we - length, hi)
        if a <= b:
            out.append((a, b))
    return out


def earliest_fit(windows: tuple[Window, ...], t: int, length: int) -> int | None:
    """The earliest start >= t at which [start, start+length) fits inside one window."""
    i = max(bisect_right(windows, (t, 2**62)) - 1, 0)
    for ws, we in windows[i:]:
        s = max(ws, t)
        if s + length <= we:
            return s
    return None


def fits(windows: tuple[Window, ...], start: int, length: int) -> bool:
    """True when [start, start+length) lies inside one window."""
    return earliest_fit(windows, start, length) == start


def window_start_at(windows: tuple[Window, ...], t: int) -> bool:
    """True when a window opens exactly at t after a closed period (a calendar wait ends at t)."""
    return any(ws == t for ws, _ in windows)
