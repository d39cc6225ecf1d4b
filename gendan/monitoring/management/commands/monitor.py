"""`gendan monitor`: run the monitoring checks now and open rectification notices (E9).

For cron or a systemd timer (see docs/monitoring.md). Safe to run as often as wanted, and
alongside `gendan worker`: a finding already noticed opens nothing.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gendan.monitoring.actions import run_checks
from gendan.monitoring.detectors import DETECTORS


class Command(BaseCommand):
    help = (
        "Run the monitoring checks (late purchases, work orders behind plan, failed "
        "inspections, shortages, cost overruns) and open rectification notices."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--check",
            action="append",
            choices=list(DETECTORS),
            help="Only this check (may be repeated).",
        )
        parser.add_argument("--list", action="store_true", help="List the checks and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for kind, detector in DETECTORS.items():
                doc = (detector.__doc__ or "").strip().splitlines()[0] if detector.__doc__ else ""
                self.stdout.write(f"{kind:<20} {doc}")
            return
        report = run_checks(kinds=options["check"])
        self.stdout.write(str(report))
        if report.failed:
            raise CommandError(f"checks failed: {', '.join(report.failed)} (see the log)")
