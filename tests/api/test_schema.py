"""The OpenAPI schema generates cleanly and its pages are served by the app."""

import re

import pytest
from django.core.management import call_command

from tests.api.conftest import make_client

pytestmark = pytest.mark.django_db


def test_schema_generates_without_warnings(tmp_path) -> None:
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in (
        "/api/v1/orders/{number}/transitions/{name}/",
        "/api/v1/orders/{number}/ledger/",
        "/api/v1/tasks/{id}/complete/",
        "/api/v1/auth/token/",
    ):
        assert path in text
    assert "Idempotency-Key" in text and "If-Match" in text


def test_schema_is_served() -> None:
    response = make_client().get("/api/schema/")
    assert response.status_code == 200
    assert b"Gendan API" in response.content


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_documentation_pages_use_local_assets_only(settings, page) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    response = make_client().get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assert "drf_spectacular_sidecar" in html
    # No address outside the app: nothing loads from another host, with or without a scheme.
    # (A bare "cdn" may occur inside the page's random CSRF token.)
    assert "https://" not in html and "http://" not in html
    assert not re.search(r"""["'(]//[a-z0-9.-]+""", html), "protocol-relative address"
