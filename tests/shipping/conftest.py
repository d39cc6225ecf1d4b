from dataclasses import replace

import pytest

from gendan.accounts.models import User
from gendan.orders.pipeline import TRANSITIONS
from gendan.shipping import guards
from tests.shipping.helpers import Mill, mill, shipping_staff


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Without `collectstatic` the static folder does not exist; the server's warning about it
    says nothing about the pages under test."""
    for item in items:
        if "tests/shipping" in str(item.path):
            item.add_marker(pytest.mark.filterwarnings("ignore:No directory at:UserWarning"))


@pytest.fixture
def staff(users: dict[str, User]) -> dict[str, User]:
    """The suite's users plus production, quality, warehouse and finance people."""
    return shipping_staff(users)


@pytest.fixture
def world(staff: dict[str, User]) -> Mill:
    """One line of 30 t, in execution, nothing made yet."""
    return mill(staff)


@pytest.fixture(autouse=True)
def wired(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pipeline with this app's guards on its transitions, as the lead wires them."""
    for name, guard in (
        ("ship", guards.fully_shipped),
        ("deliver", guards.delivery_signed),
        ("accept", guards.discrepancies_resolved),
        ("request_closure", guards.settlement_requested),
    ):
        row = TRANSITIONS[name]
        if guard not in row.guards:
            monkeypatch.setitem(TRANSITIONS, name, replace(row, guards=(*row.guards, guard)))
