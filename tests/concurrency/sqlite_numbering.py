"""Create orders from several threads against a SQLite *file* database; print their numbers.

Run by `test_sqlite_numbering.py` in a child process, because the test suite's own SQLite
database lives in memory, where threads cannot show how SQLite queues writers. Usage:
``DATABASE_URL=sqlite:////tmp/x.sqlite3 python -m tests.concurrency.sqlite_numbering 8 10``.
"""

import json
import os
import sys


def main(threads: int, per_thread: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)

    from functools import partial

    from gendan.accounts.models import Role
    from gendan.orders import counters
    from gendan.orders.actions import create_order
    from tests.concurrency.threads import run_together
    from tests.factories import (
        CustomerFactory,
        ProductFactory,
        UserFactory,
        order_header,
        order_lines,
    )

    clerks = [
        UserFactory(username=f"clerk{i}", role=Role.CLERK, departments=["sales"])
        for i in range(threads)
    ]
    customer, product = CustomerFactory(), ProductFactory()

    def create_many(user: object) -> list[str]:
        return [
            create_order(
                user=user, header=order_header(customer=customer), lines=order_lines(product)
            ).number
            for _ in range(per_thread)
        ]

    outcomes = run_together([partial(create_many, clerk) for clerk in clerks])
    print(
        json.dumps(
            {
                "errors": [repr(o.error) for o in outcomes if o.error is not None],
                "numbers": [n for o in outcomes if o.value for n in o.value],
                "counts_right": counters.stored_counts() == counters.computed_counts(),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
