from typing import Any

import pytest

from gendan.accounts.models import Role, User
from gendan.orders.status import Status
from tests.factories import UserFactory
from tests.purchasing.helpers import order_for, paper_product


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.filterwarnings("ignore:No directory at:UserWarning"))


#: name -> (role, departments) besides the suite's users.
EXTRA: dict[str, tuple[Role, list[str]]] = {
    "aftersales_head": (Role.HEAD, ["aftersales"]),
    "aftersales_reviewer": (Role.REVIEWER, ["aftersales"]),
    "quality_head": (Role.HEAD, ["quality"]),
    "technical_head": (Role.HEAD, ["technical"]),
}


@pytest.fixture
def staff(users: dict[str, User]) -> dict[str, User]:
    for name, (role, codes) in EXTRA.items():
        users[name] = UserFactory(username=name, role=role, departments=codes)
    return users


@pytest.fixture
def delivered(staff: dict[str, User]) -> Any:
    """A delivered order of 30 t followed by `clerk`."""
    return order_for(staff["clerk"], paper_product("CM120"), quantity="30", status=Status.DELIVERED)
