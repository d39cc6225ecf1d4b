"""The paper-mill demo: people, catalogue, customers and a few hundred orders in every status.

`load_demo()` runs the registered steps (`gendan.demo.registry`) in order, in one transaction,
on the demo clock (`gendan.demo.clock`): either the whole demo is loaded or nothing is. All
business records are made by the same actions the web pages and the API call, so the demo's
ledgers, tasks and notifications look exactly like real ones. Background jobs the actions would
queue (e-mails about events of the past) are dropped while the demo builds, and the demo
accounts' public password is hashed with few rounds (`people.DemoPasswordHasher`).

To add a feature's demo data, register a `@demo_step` or an `@on_transition` hook (see
`gendan.demo.registry`) in either
- `gendan/demo/<area>.py`, listed in `MODULES`, or
- the feature app's own `demo.py` (e.g. `gendan/reviews/demo.py`), found automatically.
"""

import random
import time
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from gendan.demo.clock import DemoClock, flush_on_commit
from gendan.demo.registry import STEPS, DemoContext, DemoOptions

#: Modules that register demo steps, imported in this order.
MODULES = ("people", "catalog", "customers", "execution", "fulfilment", "orders")

#: Jobs queued while the demo builds are kept in memory and forgotten.
_DROP_JOBS = {"default": {"BACKEND": "gendan.demo.nojobs.DropJobsBackend"}}


class DemoRefused(Exception):
    """The database is not empty; the demo loads only into an empty one."""


def reasons_not_empty() -> list[str]:
    """What already is in the database that the demo would mix with (empty list: go ahead)."""
    from gendan.accounts.models import User
    from gendan.catalog.models import Product
    from gendan.customers.models import Customer
    from gendan.demo.people import DEMO_USERNAMES
    from gendan.orders.models import Order

    found = []
    for label, count in (
        ("orders", Order.objects.count()),
        ("customers", Customer.objects.count()),
        ("products", Product.objects.count()),
        ("demo accounts", User.objects.filter(username__in=DEMO_USERNAMES).count()),
    ):
        if count:
            found.append(f"{label} ({count})")
    return found


def _import_demo_modules() -> None:
    for module in MODULES:
        import_module(f"{__name__}.{module}")
    for app in apps.get_app_configs():
        if app.name.startswith("gendan.") and module_has_submodule(app.module, "demo"):
            import_module(f"{app.name}.demo")


def load_demo(options: DemoOptions | None = None) -> DemoContext:
    """Load the demo into an empty database; raises `DemoRefused` if it is not empty."""
    options = options or DemoOptions()
    if options.orders < 1 or options.customers < 1:
        raise ValueError("the demo needs at least one order and one customer")
    _import_demo_modules()
    started = timezone.now()
    clock = DemoClock(started)
    context = DemoContext(
        options=options, rng=random.Random(options.seed), clock=clock, started=started
    )
    hashers = ["gendan.demo.people.DemoPasswordHasher", *settings.PASSWORD_HASHERS]
    with (
        override_settings(TASKS=_DROP_JOBS, PASSWORD_HASHERS=hashers),
        clock.installed(),
        transaction.atomic(),
    ):
        found = reasons_not_empty()
        if found:
            raise DemoRefused(
                "The database already holds "
                + ", ".join(found)
                + ": the demo loads only into an empty database. Point GENDAN_DATA_DIR (or "
                "DATABASE_URL) at a new database, run `gendan migrate`, then `gendan demo`."
            )
        for step in sorted(STEPS, key=lambda s: s.order):
            began = time.monotonic()
            clock.travel(started)
            step.run(context)
            flush_on_commit()
            context.extra.setdefault("timings", {})[step.name] = time.monotonic() - began
    return context


__all__ = ["DemoOptions", "DemoRefused", "load_demo", "reasons_not_empty"]
