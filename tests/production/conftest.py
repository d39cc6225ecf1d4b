import pytest

from gendan.accounts.models import User
from tests.purchasing.helpers import add_extra_users


@pytest.fixture(autouse=True)
def _plain_http_and_app_static(settings: pytest.FixtureRequest) -> None:
    """Pages are tested over plain HTTP and without `collectstatic` (no manifest)."""
    settings.SECURE_SSL_REDIRECT = False  # type: ignore[attr-defined]
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Without `collectstatic` the static folder does not exist; the server's warning about it
    says nothing about the pages under test."""
    for item in items:
        if "tests/purchasing" in str(item.path) or "tests/production" in str(item.path):
            item.add_marker(pytest.mark.filterwarnings("ignore:No directory at:UserWarning"))


@pytest.fixture
def staff(users: dict[str, User]) -> dict[str, User]:
    """The suite's users plus procurement, production and quality people."""
    return add_extra_users(users)
