"""Running the same database work from several threads at once, each on its own connection."""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None


def run_together(work: list[Callable[[], Any]], *, timeout: float = 60) -> list[Outcome]:
    """Start every callable in its own thread at the same moment; return what each gave.

    Django connections are per thread, so each callable works on its own database connection;
    it is closed when the callable ends (the test database can only be dropped when no
    connection is left open).
    """
    start = threading.Barrier(len(work))
    outcomes = [Outcome() for _ in work]

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            start.wait(timeout)
            outcomes[index].value = call()
        except BaseException as error:  # reported to the test, not swallowed
            outcomes[index].error = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(work)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        if thread.is_alive():
            raise TimeoutError("a worker thread did not finish: a lock is never released")
    return outcomes


def in_thread(call: Callable[[], Any]) -> tuple[threading.Thread, Outcome]:
    """Start one callable in a thread of its own (own connection); join the thread to wait."""
    outcome = Outcome()

    def run() -> None:
        try:
            outcome.value = call()
        except BaseException as error:
            outcome.error = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome
