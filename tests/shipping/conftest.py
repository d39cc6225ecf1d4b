import pytest

from gendan.accounts.models import User
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
