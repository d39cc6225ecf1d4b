"""Time travel for the demo: run the real actions as if it were an earlier moment.

The actions stamp their rows with `django.utils.timezone.now()` (ledger entries, status
changes, task deadlines, `auto_now` fields). `DemoClock` replaces that function while the demo
builds, and `travel(moment)` sets the moment each step happens at, so a demo order created
ninety days ago has a ledger that reads ninety days of history in the right order, with
deadlines counted from the day the task was opened.

Two details make this complete:
- fields declared `default=timezone.now` hold the original function, not the module
  attribute, so their defaults are pointed at the demo clock too for the duration;
- the demo runs in one transaction (all or nothing), so callbacks that actions schedule with
  `transaction.on_commit` (notifications) would all run at the end, at the real time.
  `flush_on_commit()` runs them right after each step instead, at the step's moment.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from django.apps import apps
from django.db import transaction
from django.utils import timezone


class DemoClock:
    """A stopped clock that the demo moves forward (or back) step by step."""

    def __init__(self, start: dt.datetime) -> None:
        if timezone.is_naive(start):
            raise ValueError("the demo clock needs an aware datetime")
        self.current = start

    def now(self) -> dt.datetime:
        return self.current

    def travel(self, moment: dt.datetime) -> None:
        self.current = moment

    @contextmanager
    def installed(self) -> Iterator["DemoClock"]:
        """Make `timezone.now()` (and `default=timezone.now` fields) answer this clock."""
        real_now = timezone.now
        fields = [
            field
            for model in apps.get_models()
            for field in model._meta.concrete_fields
            if field.default is real_now
        ]
        with mock.patch.object(timezone, "now", self.now):
            for field in fields:
                _set_default(field, self.now)
            try:
                yield self
            finally:
                for field in fields:
                    _set_default(field, real_now)


def _set_default(field: Any, default: Callable[[], dt.datetime]) -> None:
    field.default = default
    field.__dict__.pop("_get_default", None)  # Django caches the default getter per field


def flush_on_commit() -> None:
    """Run the on-commit callbacks queued so far now, inside the demo's transaction.

    Callbacks may queue more (a notification queues its e-mail); those run too.
    """
    connection = transaction.get_connection()
    while connection.run_on_commit:
        pending, connection.run_on_commit = connection.run_on_commit, []
        for _savepoints, callback, _robust in pending:
            callback()
