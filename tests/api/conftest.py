"""API test helpers: a client per role (English messages), a clean throttle cache."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from gendan.accounts.models import User
from gendan.orders.models import Order

API = "/api/v1"


@pytest.fixture(autouse=True)
def _clean_cache() -> None:
    """The sign-in throttle counts in the cache; every test starts from zero."""
    cache.clear()


@pytest.fixture(autouse=True)
def _plain_http(settings: Any) -> None:
    """The test client speaks plain HTTP; production redirects it to HTTPS."""
    settings.SECURE_SSL_REDIRECT = False


def make_client(user: User | None = None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def api_for(users: dict[str, User]) -> Callable[[str], APIClient]:
    """`api_for("clerk")`: an API client signed in (session) as that fixture user."""
    return lambda name: make_client(users[name])


def order_url(order: Order, suffix: str = "") -> str:
    return f"{API}/orders/{order.number}/{suffix}"


def body(response: Any) -> Any:
    return response.json()


def order_payload(**overrides: Any) -> dict[str, Any]:
    """A valid JSON body for registering an order (customer and product created here)."""
    from tests.factories import CustomerFactory, ProductFactory

    customer = overrides.pop("customer", None) or CustomerFactory()
    product = overrides.pop("product", None) or ProductFactory()
    payload: dict[str, Any] = {
        "customer": customer.pk,
        "channel": "phone",
        "requested_date": "2030-03-15",
        "delivery_place": "Kunshan plant, gate 2",
        "payment_terms": "30 days after delivery",
        "lines": [{"product": product.pk, "quantity": "30", "unit_price": "3150.00"}],
    }
    payload.update(overrides)
    return payload
