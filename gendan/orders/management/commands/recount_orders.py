from typing import Any

from django.core.management.base import BaseCommand

from gendan.orders import counters


class Command(BaseCommand):
    help = "Rebuild the orders-by-status counts from the orders (after a bulk import)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check", action="store_true", help="only report whether the counts are right"
        )

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        if check:
            stored, fresh = counters.stored_counts(), counters.computed_counts()
            fresh = {k: v for k, v in fresh.items() if v}
            if stored != fresh:
                wrong = sorted(set(stored.items()) ^ set(fresh.items()))
                self.stderr.write(f"{len(wrong)} counts differ, e.g. {wrong[:5]}")
                raise SystemExit(1)
            self.stdout.write("The order counts are right.")
            return
        rows = counters.rebuild()
        self.stdout.write(f"Rebuilt {rows} order counts.")
