"""`gendan demo` on an empty database, on a used one, and when a rule refuses a step."""

from dataclasses import replace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gendan.accounts.models import User
from gendan.customers.models import Customer
from gendan.demo import DemoOptions, DemoRefused, load_demo
from gendan.demo.people import DEMO_PASSWORD, PEOPLE
from gendan.orders.models import Order
from gendan.orders.status import Status

TINY = DemoOptions(orders=16, customers=6, seed=7, strict=True)


def test_demo_refuses_a_database_that_has_orders(order: Order) -> None:
    customers = Customer.objects.count()
    with pytest.raises(DemoRefused, match=r"orders \(1\)"):
        load_demo(TINY)
    assert Customer.objects.count() == customers
    assert not User.objects.filter(username=PEOPLE[0].username).exists()


def test_demo_command_refuses_clearly(order: Order) -> None:
    with pytest.raises(CommandError, match="only into an empty database"):
        call_command("demo", "--orders=5")


def test_demo_command_loads_once_prints_the_logins_then_only_prints_them(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("demo", "--if-empty", "--orders=16", "--customers=6", "--strict")
    out = capsys.readouterr().out
    assert "16 orders" in out
    header = next(line for line in out.splitlines() if line.startswith("username"))
    assert header.split() == ["username", "name", "role", "department", "password"]
    for person in PEOPLE:
        assert person.username in out

    call_command("demo", "--if-empty")
    out = capsys.readouterr().out
    assert "demo not loaded" in out
    assert "wangfang" in out and DEMO_PASSWORD in out
    assert Order.objects.count() == 16


def test_a_refused_step_stops_only_that_order_unless_strict(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gendan.demo import registry
    from gendan.demo.story import DemoOrderFailed

    def refuse(ctx: object, order: Order, story: object) -> None:
        from gendan.core.errors import Blocked

        raise Blocked("Sign the contract first.")

    monkeypatch.setitem(registry.HOOKS, ("before", "confirm"), [refuse])
    with pytest.raises(DemoOrderFailed, match="Sign the contract first"):
        load_demo(TINY)
    assert not Order.objects.exists()  # all or nothing

    context = load_demo(replace(TINY, strict=False))
    assert sum(context.refusals.values()) >= 1
    assert all("Sign the contract first" in refusal for refusal in context.refusals)
    statuses = set(Order.objects.values_list("status", flat=True))
    assert Status.CLOSED not in statuses and Status.CONTRACT in statuses
