"""Fixtures for the page tests: plain HTTP test client and static files served from the apps."""

import pytest


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
        if "tests/web" in str(item.path) or "tests/browser" in str(item.path):
            item.add_marker(pytest.mark.filterwarnings("ignore:No directory at:UserWarning"))
