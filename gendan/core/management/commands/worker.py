"""`gendan worker`: run background jobs from the database queue and enqueue the periodic ones.

The queue runner is django-tasks-db's `db_worker`; next to it, a scheduler thread enqueues the
jobs of `gendan.core.scheduler.SCHEDULE` when they fall due. Run as many workers as the load
needs: each periodic job is enqueued once per period however many schedulers tick.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from gendan.core.scheduler import TICK_SECONDS, Scheduler


class Command(BaseCommand):
    help = "Run the background worker: queued jobs plus the periodic schedule (reminders, ...)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--queue-name",
            default="default",
            help="Queues to work on, comma-separated, '*' for all (default: %(default)s).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when the queue is empty (default: %(default)s).",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Enqueue the due periodic jobs, run everything queued, then exit (for cron).",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Only run queued jobs; leave the periodic schedule to other workers.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_scheduler"]:
            scheduler = Scheduler(tick_seconds=TICK_SECONDS)
            if options["batch"]:
                scheduler.tick()
            else:
                scheduler.start_thread()
        call_command(
            "db_worker",
            queue_name=options["queue_name"],
            interval=options["interval"],
            batch=options["batch"],
            reload=False,
            verbosity=options["verbosity"],
        )
