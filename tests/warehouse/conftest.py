import pytest

from gendan.accounts.models import User
from tests.quality.helpers import quality_staff, released_order


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/quality" in str(item.path) or "tests/warehouse" in str(item.path):
            item.add_marker(pytest.mark.filterwarnings("ignore:No directory at:UserWarning"))


@pytest.fixture
def staff(users: dict[str, User]) -> dict[str, User]:
    """The suite's users plus procurement, production, quality and warehouse people."""
    return quality_staff(users)


@pytest.fixture
def released(staff: dict[str, User]) -> dict:
    return released_order(staff)
