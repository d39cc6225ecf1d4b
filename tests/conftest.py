"""Fixtures shared by the whole suite: one user per role (STYLE.md), an order, a client each."""

from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.utils import translation

from gendan.accounts.models import Role, User
from gendan.orders.models import Order
from tests.factories import PASSWORD, UserFactory, make_order

#: name -> (role, departments). "outsider" is a reviewer whose department no order is routed to.
ROLE_USERS: dict[str, tuple[Role, list[str]]] = {
    "clerk": (Role.CLERK, ["sales"]),
    "other_clerk": (Role.CLERK, ["sales"]),
    "sales_head": (Role.HEAD, ["sales"]),
    "technical_reviewer": (Role.REVIEWER, ["technical"]),
    "production_head": (Role.HEAD, ["production"]),
    "logistics_reviewer": (Role.REVIEWER, ["logistics"]),
    "gm": (Role.GENERAL_MANAGER, ["management"]),
    "admin": (Role.ADMIN, []),
    "auditor": (Role.AUDITOR, []),
    "outsider": (Role.REVIEWER, ["aftersales"]),
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `postgres` (row locks, concurrency) are skipped on any other database."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(
        reason=f"needs PostgreSQL (this run uses {connection.vendor}); "
        "run with DATABASE_URL=postgresql://postgres@127.0.0.1:5432/<name>"
    )
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _plain_http_and_static(settings: pytest.FixtureRequest) -> None:
    """The test client speaks plain HTTP and static files are not collected in tests."""
    settings.SECURE_SSL_REDIRECT = False  # type: ignore[attr-defined]
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _english(settings: pytest.FixtureRequest) -> Iterator[None]:
    """The suite asserts English texts: requests without Accept-Language get English, and so
    does code run outside a request. Production's default is Chinese (tests/i18n checks it)."""
    settings.LANGUAGE_CODE = "en"  # type: ignore[attr-defined]
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: pytest.FixtureRequest) -> None:
    """Background jobs run inline in tests, so their effects can be asserted."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}  # type: ignore[attr-defined]


@pytest.fixture
def users(db: None) -> dict[str, User]:
    return {
        name: UserFactory(username=name, role=role, departments=codes)
        for name, (role, codes) in ROLE_USERS.items()
    }


@pytest.fixture
def order(users: dict[str, User]) -> Order:
    """A draft order followed by `clerk`, routed to sales only."""
    return make_order(user=users["clerk"])


@pytest.fixture
def client_for(users: dict[str, User]) -> Callable[[str], Client]:
    def make(name: str) -> Client:
        client = Client()
        client.force_login(users[name])
        return client

    return make


__all__ = ["PASSWORD"]
