"""Fixtures for intake and credit tests: a finance reviewer, pages over plain HTTP."""

from collections.abc import Iterator

import pytest
from django.utils import translation

from gendan.accounts.models import Role, User
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _plain_http_and_app_static(settings: pytest.FixtureRequest) -> None:
    """Pages are tested over plain HTTP and without `collectstatic` (no manifest)."""
    settings.SECURE_SSL_REDIRECT = False  # type: ignore[attr-defined]
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _english(settings: pytest.FixtureRequest) -> Iterator[None]:
    """These tests read the English source messages (pages and actions alike)."""
    settings.LANGUAGE_CODE = "en"  # type: ignore[attr-defined]
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: pytest.FixtureRequest, tmp_path: object) -> None:
    """Uploaded files go to a temporary folder, not the data folder."""
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]


@pytest.fixture
def finance(users: dict[str, User]) -> User:
    """A finance reviewer (the department that confirms margins and secures credit)."""
    return UserFactory(username="finance", role=Role.REVIEWER, departments=["finance"])
