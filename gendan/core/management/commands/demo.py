"""`gendan demo`: load the paper-mill demo into an empty database and print its logins."""

import time
import unicodedata
from argparse import ArgumentParser
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gendan.demo import DemoRefused, load_demo, reasons_not_empty
from gendan.demo.registry import DemoOptions, Login
from gendan.demo.story import DemoOrderFailed


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def logins_table(logins: list[Login]) -> str:
    """The demo accounts as a plain-text table (wide characters aligned)."""
    header = ("username", "name", "role", "department", "password")
    rows = [header] + [
        (login.username, login.name, login.role, login.departments, login.password)
        for login in logins
    ]
    widths = [max(_width(row[column]) for row in rows) for column in range(len(header))]
    lines = [
        "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Load the paper-mill demo (people, products, customers, orders) into an empty database."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--orders", type=_positive, default=300, help="Orders (default 300).")
        parser.add_argument(
            "--customers", type=_positive, default=40, help="Customers (default 40)."
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed: same seed, same demo."
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Fail if any rule refuses a demo step (default: that order stops there).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only if the database is empty; otherwise just print the demo logins.",
        )
        parser.add_argument(
            "--logins", action="store_true", help="Only print the demo logins that exist."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from gendan.demo.people import existing_logins

        if options["logins"] or (options["if_empty"] and reasons_not_empty()):
            logins = existing_logins()
            if options["if_empty"]:
                self.stdout.write("The database is not empty: demo not loaded.")
            if logins:
                self.stdout.write("\nDemo logins:\n" + logins_table(logins))
            return
        began = time.monotonic()
        demo_options = DemoOptions(
            orders=options["orders"],
            customers=options["customers"],
            seed=options["seed"],
            strict=options["strict"],
        )
        try:
            context = load_demo(demo_options)
        except (DemoRefused, DemoOrderFailed) as refused:
            raise CommandError(f"{refused} Nothing was loaded.") from None
        statuses = Counter(order.status for order in _fresh(context.orders))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded in {time.monotonic() - began:.1f} s: {len(context.users)} people, "
                f"{len(context.products)} products, {len(context.customers)} customers, "
                f"{len(context.orders)} orders."
            )
        )
        self.stdout.write(
            "Orders by status: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
        )
        self.stdout.write(_task_summary())
        if context.refusals:
            stopped = sum(context.refusals.values())
            self.stdout.write(
                self.style.WARNING(
                    f"{stopped} demo orders stopped early: a rule refused a step that the demo "
                    "has no hook for yet (see gendan/demo/registry.py):"
                )
            )
            for refusal, count in context.refusals.most_common():
                self.stdout.write(self.style.WARNING(f"  {count} orders: {refusal}"))
        self.stdout.write(
            "\nDemo logins (a demo password: change it, or use the demo only for trying):\n"
            + logins_table(context.logins)
        )


def _fresh(orders: list[Any]) -> list[Any]:
    from gendan.orders.models import Order

    return list(Order.objects.filter(pk__in=[o.pk for o in orders]).only("status"))


def _task_summary() -> str:
    from gendan.tasks.models import Task

    open_tasks = Task.objects.open()
    overdue = open_tasks.filter(due_at__lt=timezone.now()).count()
    return f"Tasks: {open_tasks.count()} open, of which {overdue} overdue."
