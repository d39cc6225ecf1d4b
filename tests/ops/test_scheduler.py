"""The periodic scheduler: each job once per period, however many workers tick."""

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import connection
from django.tasks import Task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gendan.core.scheduler import SCHEDULE, PeriodicJob, Scheduler, enqueue_due, run_due
from tests.ops import periodic

EVERY_15 = PeriodicJob(
    "test_count_run", "tests.ops.periodic.count_run", lambda: dt.timedelta(minutes=15)
)
BROKEN = PeriodicJob(
    "test_broken", "tests.ops.periodic.no_such_job", lambda: dt.timedelta(minutes=5)
)
NOON = dt.datetime(2026, 3, 2, 12, 0, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_counter() -> Iterator[None]:
    periodic.RUNS.clear()
    yield
    periodic.RUNS.clear()


def test_two_schedulers_ticking_at_once_enqueue_the_job_once(db: None) -> None:
    first, second = Scheduler([EVERY_15]), Scheduler([EVERY_15])
    assert enqueue_due(first.jobs, now=NOON) == ["test_count_run"]
    assert enqueue_due(second.jobs, now=NOON) == []
    assert len(periodic.RUNS) == 1


def test_the_job_runs_again_in_the_next_period_only(db: None) -> None:
    enqueue_due([EVERY_15], now=NOON)
    enqueue_due([EVERY_15], now=NOON + dt.timedelta(minutes=10))  # 12:10: same 12:00 period
    assert len(periodic.RUNS) == 1
    enqueue_due([EVERY_15], now=NOON + dt.timedelta(minutes=15))  # 12:15: a new period
    assert len(periodic.RUNS) == 2


def test_interval_follows_the_setting(db: None, settings: pytest.FixtureRequest) -> None:
    reminders = next(job for job in SCHEDULE if job.name == "remind_and_escalate")
    settings.GENDAN = {**settings.GENDAN, "REMINDER_INTERVAL_MINUTES": 5}  # type: ignore[attr-defined]
    assert reminders.interval() == dt.timedelta(minutes=5)
    assert reminders.period_start(NOON) == int(NOON.replace(second=0).timestamp())


def test_replanning_runs_every_planning_replan_minutes(settings: pytest.FixtureRequest) -> None:
    replan = next(job for job in SCHEDULE if job.name == "replan")
    assert replan.task_path == "gendan.planning.jobs.replan_job"
    assert replan.interval() == dt.timedelta(minutes=60)
    settings.GENDAN = {**settings.GENDAN, "PLANNING_REPLAN_MINUTES": 20}  # type: ignore[attr-defined]
    assert replan.interval() == dt.timedelta(minutes=20)


def test_late_purchase_orders_are_reported_hourly(db: None) -> None:
    late = next(job for job in SCHEDULE if job.name == "report_late_purchase_orders")
    assert late.task_path == "gendan.purchasing.jobs.report_late_purchase_orders"
    assert late.interval() == dt.timedelta(hours=1)
    assert enqueue_due([late], now=NOON) == ["report_late_purchase_orders"]
    assert enqueue_due([late], now=NOON + dt.timedelta(minutes=59, seconds=29)) == []
    assert enqueue_due([late], now=NOON + dt.timedelta(hours=1)) == ["report_late_purchase_orders"]


def test_every_scheduled_job_is_a_background_task() -> None:
    for job in SCHEDULE:
        assert isinstance(job.task, Task), job.task_path


def test_foreground_run_claims_the_period_so_workers_skip_it(db: None) -> None:
    assert run_due([EVERY_15], now=NOON) == {"test_count_run": 1}
    assert enqueue_due([EVERY_15], now=NOON) == []
    assert run_due([EVERY_15], now=NOON) == {}
    assert run_due([EVERY_15], now=NOON, force=True) == {"test_count_run": 2}


def test_a_broken_job_does_not_stop_the_others(db: None) -> None:
    assert Scheduler([BROKEN, EVERY_15]).tick() == ["test_count_run"]


def test_runjobs_once_runs_only_due_jobs(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("runjobs", "--once")
    first = capsys.readouterr().out
    assert "remind_and_escalate: {'reminded': 0, 'escalated': 0}" in first
    call_command("runjobs", "--once")
    assert "No periodic job is due." in capsys.readouterr().out


def test_runjobs_without_once_explains_itself(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--once"):
        call_command("runjobs")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_batch_enqueues_and_runs_the_periodic_jobs(settings: pytest.FixtureRequest) -> None:
    settings.TASKS = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    call_command("worker", "--batch", "--interval=0", verbosity=0)
    results = {r.task_path: r.status for r in DBTaskResult.objects.all()}
    assert results == {job.task_path: "SUCCESSFUL" for job in SCHEDULE}
    call_command("worker", "--batch", "--interval=0", verbosity=0)
    assert DBTaskResult.objects.count() == len(SCHEDULE)  # same periods: nothing new


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_schedulers_on_separate_connections_enqueue_once() -> None:
    now = timezone.now()
    barrier = threading.Barrier(4)
    won: list[list[str]] = []

    def tick() -> None:
        try:
            barrier.wait()
            won.append(enqueue_due([EVERY_15], now=now))
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(len, won)) == [0, 0, 0, 1]
    assert len(periodic.RUNS) == 1
