import pytest

from gendan.accounts.models import User
from tests.purchasing.helpers import add_extra_users


@pytest.fixture
def staff(users: dict[str, User]) -> dict[str, User]:
    return add_extra_users(users)
