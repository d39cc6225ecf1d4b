"""The periodic jobs and the small scheduler that enqueues them (run by `gendan worker`).

`SCHEDULE` is the table: which job runs how often. A feature that needs a periodic job adds
one row here; the job itself is a Django task (`@task()` in the feature's `jobs.py`).

Time is cut into periods of the job's interval, aligned on the Unix epoch (a 15-minute job's
periods start at :00, :15, :30 and :45). Whoever first *claims* a period enqueues the job for
it. The claim is one conditional UPDATE on a counter row (`orders.NumberSequence`, key
``every:<job name>``, value = the start of the last claimed period in epoch seconds), so when
several `gendan worker` processes tick at the same moment exactly one of them wins, on SQLite
and on PostgreSQL alike, and the job is enqueued once per period across all workers. The claim
and the enqueue are one transaction: if the enqueue fails, the period stays unclaimed.
"""

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.tasks import Task, task
from django.utils import timezone
from django.utils.module_loading import import_string

from gendan.orders.models import NumberSequence
from gendan.planning.conf import replan_interval

logger = logging.getLogger("gendan.scheduler")

#: How long finished background jobs stay in the queue table before they are removed.
KEEP_FINISHED_JOBS = dt.timedelta(days=14)
#: How often a running scheduler looks for due jobs.
TICK_SECONDS = 30.0

_KEY_PREFIX = "every:"
_KEY_LENGTH = NumberSequence._meta.get_field("key").max_length or 40


@dataclass(frozen=True)
class PeriodicJob:
    """A task (dotted path of a `@task()` object) to enqueue once every `interval()`."""

    name: str
    task_path: str
    #: A function so that intervals read from settings follow `override_settings` in tests.
    interval: Callable[[], dt.timedelta]

    def __post_init__(self) -> None:
        if len(self.key) > _KEY_LENGTH:
            raise ValueError(f"periodic job name {self.name!r} is too long for its claim key")

    @property
    def key(self) -> str:
        return f"{_KEY_PREFIX}{self.name}"

    @property
    def task(self) -> Task[..., Any]:
        return import_string(self.task_path)  # type: ignore[no-any-return]

    def period_start(self, now: dt.datetime) -> int:
        """The start (epoch seconds) of the period that `now` falls in."""
        seconds = max(int(self.interval().total_seconds()), 1)
        return int(now.timestamp()) // seconds * seconds


@task()
def prune_finished_jobs() -> int:
    """Remove finished background jobs older than `KEEP_FINISHED_JOBS` from the queue table."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - KEEP_FINISHED_JOBS
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted


def _minutes(setting: str) -> Callable[[], dt.timedelta]:
    """An interval read from `settings.GENDAN[setting]` each time it is asked for."""

    def interval() -> dt.timedelta:
        business: dict[str, Any] = settings.GENDAN
        return dt.timedelta(minutes=business[setting])

    return interval


SCHEDULE: tuple[PeriodicJob, ...] = (
    PeriodicJob(
        "remind_and_escalate",
        "gendan.tasks.jobs.remind_and_escalate",
        _minutes("REMINDER_INTERVAL_MINUTES"),
    ),
    PeriodicJob(
        "purge_idempotency_keys",
        "gendan.api.jobs.purge_idempotency_keys",
        lambda: dt.timedelta(hours=1),
    ),
    PeriodicJob(
        "replan",
        "gendan.planning.jobs.replan_job",
        replan_interval,  # PLANNING_REPLAN_MINUTES
    ),
    PeriodicJob(
        "report_late_purchase_orders",
        "gendan.purchasing.jobs.report_late_purchase_orders",
        lambda: dt.timedelta(hours=1),
    ),
    PeriodicJob(
        "run_monitoring",
        "gendan.monitoring.jobs.run_monitoring",
        lambda: dt.timedelta(minutes=30),
    ),
    PeriodicJob(
        "open_shipping_notices",
        "gendan.shipping.jobs.open_shipping_notices",
        lambda: dt.timedelta(hours=1),
    ),
    PeriodicJob(
        "prune_finished_jobs",
        "gendan.core.scheduler.prune_finished_jobs",
        lambda: dt.timedelta(days=1),
    ),
)


def _ensure_counter(key: str) -> None:
    if NumberSequence.objects.filter(key=key).exists():
        return
    try:
        with transaction.atomic():  # savepoint: another scheduler may insert the row first
            NumberSequence.objects.create(key=key, last_value=0)
    except IntegrityError:
        pass


def claim_period(
    job: PeriodicJob, now: dt.datetime, then: Callable[[], object] = lambda: None
) -> bool:
    """Claim the period `now` falls in for `job`; True if this caller won it.

    `then` runs inside the claiming transaction (the enqueue), so a failure gives the period
    back.
    """
    start = job.period_start(now)
    with transaction.atomic():
        _ensure_counter(job.key)
        won = NumberSequence.objects.filter(key=job.key, last_value__lt=start).update(
            last_value=start
        )
        if won:
            then()
    return bool(won)


def enqueue_due(
    jobs: Iterable[PeriodicJob] = SCHEDULE, now: dt.datetime | None = None
) -> list[str]:
    """Enqueue every job whose current period nobody has claimed yet; the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for job in jobs:
        if claim_period(job, now, then=job.task.enqueue):
            enqueued.append(job.name)
    return enqueued


def run_due(
    jobs: Iterable[PeriodicJob] = SCHEDULE, now: dt.datetime | None = None, *, force: bool = False
) -> dict[str, Any]:
    """Run due jobs here and now instead of through the queue (cron, `gendan runjobs`).

    The period is claimed first (and committed), so a worker running at the same time does not
    enqueue the same job again; `force` runs every job whether due or not.
    """
    now = now or timezone.now()
    results: dict[str, Any] = {}
    for job in jobs:
        if claim_period(job, now) or force:
            results[job.name] = job.task.call()
    return results


class Scheduler:
    """Enqueues due periodic jobs every `tick_seconds` until `stop` is set (a worker thread)."""

    def __init__(
        self, jobs: Iterable[PeriodicJob] = SCHEDULE, *, tick_seconds: float = TICK_SECONDS
    ) -> None:
        self.jobs = tuple(jobs)
        self.tick_seconds = tick_seconds
        self.stop = threading.Event()

    def tick(self) -> list[str]:
        """Enqueue the due jobs; one job's failure neither stops the others nor the worker."""
        enqueued = []
        for job in self.jobs:
            try:
                enqueued += enqueue_due([job])
            except Exception:
                # A locked or briefly unreachable database must not end the worker.
                logger.exception("periodic job %s could not be enqueued; next tick", job.name)
        for name in enqueued:
            logger.info("enqueued periodic job %s", name)
        return enqueued

    def run(self) -> None:
        logger.info(
            "scheduler started: %s",
            ", ".join(f"{job.name} every {job.interval()}" for job in self.jobs),
        )
        while not self.stop.is_set():
            self.tick()
            close_old_connections()  # this thread's connection: drop it if broken or too old
            self.stop.wait(self.tick_seconds)

    def start_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="gendan-scheduler", daemon=True)
        thread.start()
        return thread
