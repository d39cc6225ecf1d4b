"""A periodic job for the scheduler tests: it counts its runs."""

from django.tasks import task

RUNS: list[int] = []


@task()
def count_run() -> int:
    RUNS.append(1)
    return len(RUNS)
