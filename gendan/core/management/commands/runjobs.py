"""`gendan runjobs --once`: run the periodic jobs here, in the foreground (cron, systemd timer).

Only the jobs whose current period nobody has claimed yet run, so a cron line every few
minutes runs the hourly jobs hourly, and a `gendan worker` running as well never doubles them.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gendan.core.scheduler import SCHEDULE, run_due


class Command(BaseCommand):
    help = "Run the due periodic jobs (reminders, escalations, clean-ups) once and exit."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run the due jobs once and exit (the only mode; kept explicit for cron lines).",
        )
        parser.add_argument("--force", action="store_true", help="Run every job now, due or not.")
        parser.add_argument(
            "--job",
            action="append",
            choices=[job.name for job in SCHEDULE],
            help="Only this job (may be repeated).",
        )
        parser.add_argument("--list", action="store_true", help="List the periodic jobs.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for job in SCHEDULE:
                self.stdout.write(f"{job.name:<28} every {job.interval()}  ({job.task_path})")
            return
        if not options["once"]:
            raise CommandError(
                "Give --once to run the due periodic jobs now; "
                "`gendan worker` runs them continuously."
            )
        wanted = set(options["job"] or [job.name for job in SCHEDULE])
        results = run_due([job for job in SCHEDULE if job.name in wanted], force=options["force"])
        if not results:
            self.stdout.write("No periodic job is due.")
        for name, result in results.items():
            self.stdout.write(f"{name}: {result}")
