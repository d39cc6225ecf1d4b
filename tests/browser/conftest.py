"""Browser tests: headless Debian Chromium driven by Playwright against the live test server."""

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, chromium_missing_reason


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[Any]:
    """pytest-django's live server, on plain HTTP with static files served from the apps.

    The security middleware reads its settings when the server starts, so the overrides
    must be in place before it does, and stay for the server's whole life.
    """
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    plain_http = override_settings(
        SECURE_SSL_REDIRECT=False,
        SECURE_HSTS_SECONDS=0,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    plain_http.enable()
    address = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(address)
    try:
        yield server
    finally:
        server.stop()
        plain_http.disable()


@pytest.fixture
def browser_page(live_server: Any) -> Iterator[Any]:
    """A fresh English-speaking browser page whose relative URLs go to the live server."""
    if reason := chromium_missing_reason():
        pytest.skip(reason)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(
            base_url=live_server.url, locale="en-US", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()
            # The test's own queries ran while Playwright's event loop was current; close
            # that connection here, where it is visible, so the test database can be dropped.
            connections.close_all()
