"""The web shop endpoint: token auth, Idempotency-Key, SKU mapping, and a 4xx answer with
field errors for every malformed payload (never a 500, never an order)."""

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gendan.accounts.models import Role
from gendan.intake.models import OrderIntake, ShopSku, Source
from gendan.orders.models import Order
from gendan.orders.status import Channel
from tests.factories import CustomerFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/shop/orders/"
LATER = (timezone.localdate() + dt.timedelta(days=40)).isoformat()


@pytest.fixture
def shop(users) -> APIClient:
    """The shop's integration account: a clerk with a token."""
    account = UserFactory(username="webshop", role=Role.CLERK, departments=["sales"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=account).key}")
    return client


@pytest.fixture
def catalog(db: None) -> None:
    CustomerFactory(code="C100", payment_terms="30 days")
    CustomerFactory(code="C300", payment_terms="")
    product = ProductFactory(code="CM-120")
    ShopSku.objects.create(sku="SHOP-CM-120-1600", product=product, grammage=120, width_mm=1600)


def payload(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "customer_code": "C100",
        "shop_order_id": "WS-100023",
        "requested_date": LATER,
        "delivery_place": "Kunshan plant, gate 2",
        "lines": [{"sku": "SHOP-CM-120-1600", "quantity": "5", "unit_price": "3200.00"}],
    }
    body.update(changes)
    return body


def line(**changes: Any) -> list[dict[str, Any]]:
    return [{"sku": "SHOP-CM-120-1600", "quantity": "5", "unit_price": "3200.00", **changes}]


def post(client: APIClient, body: Any, key: str | None = "k-1", **extra: Any):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, data, content_type="application/json", **headers, **extra)


def test_shop_order_is_registered_through_the_order_action(shop, catalog) -> None:
    response = post(shop, payload(notes="Leave at gate"))
    assert response.status_code == 201, response.json()
    body = response.json()
    order = Order.objects.get(number=body["number"])
    assert response["Location"].endswith(reverse("orders:detail", args=[order.number]))
    assert (order.channel, order.customer_reference, order.payment_terms) == (
        Channel.WEB_SHOP,
        "WS-100023",
        "30 days",
    )
    line_ = order.lines.get()
    assert (line_.product.code, line_.grammage, line_.width_mm) == ("CM-120", 120, 1600)
    assert body["total_amount"] == "16000.00"
    assert OrderIntake.objects.get(order=order).source == Source.WEB_SHOP
    assert order.ledger.filter(summary="Received from the web shop as WS-100023").exists()


def test_a_product_code_is_accepted_as_sku(shop, catalog) -> None:
    response = post(shop, payload(lines=line(sku="CM-120", grammage=150)))
    assert response.status_code == 201
    assert Order.objects.get().lines.get().grammage == 150


def test_replay_with_the_same_key_returns_the_first_answer(shop, catalog) -> None:
    first = post(shop, payload(), key="order-77")
    again = post(shop, payload(), key="order-77")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1


def test_the_same_key_for_another_order_is_refused(shop, catalog) -> None:
    post(shop, payload(), key="order-78")
    response = post(shop, payload(shop_order_id="WS-2"), key="order-78")
    assert response.status_code == 422
    assert Order.objects.count() == 1


def test_a_shop_order_sent_twice_under_new_keys_is_a_conflict(shop, catalog) -> None:
    number = post(shop, payload(), key="a").json()["number"]
    response = post(shop, payload(), key="b")
    assert response.status_code == 409
    assert response.json()["shop_order_id"] == [
        f"Shop order WS-100023 is already registered as order {number}."
    ]


def test_every_order_needs_an_idempotency_key(shop, catalog) -> None:
    response = post(shop, payload(), key=None)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert not Order.objects.exists()


def test_without_a_token_nothing_happens(catalog) -> None:
    response = post(APIClient(), payload())
    assert response.status_code == 401
    assert not Order.objects.exists()


@pytest.mark.parametrize("who", ["auditor", "technical_reviewer"])
def test_accounts_that_may_not_register_orders_get_403(users, catalog, who) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=users[who]).key}")
    assert post(client, payload()).status_code == 403


PAST = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
MALFORMED: list[tuple[str, Any, str]] = [
    ("empty object", {}, "customer_code"),
    ("unknown customer", payload(customer_code="NOPE"), "customer_code"),
    ("no lines", payload(lines=[]), "lines"),
    ("lines not a list", payload(lines="5 t CM"), "lines"),
    ("unknown sku", payload(lines=line(sku="NOPE")), "lines"),
    ("zero quantity", payload(lines=line(quantity="0")), "lines"),
    ("negative quantity", payload(lines=line(quantity=-1)), "lines"),
    ("quantity not a number", payload(lines=line(quantity="five")), "lines"),
    ("quantity too large", payload(lines=line(quantity=1e20)), "lines"),
    ("negative price", payload(lines=line(unit_price="-1")), "lines"),
    ("price with 3 decimals", payload(lines=line(unit_price="12.345")), "lines"),
    ("grammage not a number", payload(lines=line(grammage="heavy")), "lines"),
    ("impossible date", payload(requested_date="2026-13-45"), "requested_date"),
    ("date in the past", payload(requested_date=PAST), "requested_date"),
    ("empty delivery place", payload(delivery_place=""), "delivery_place"),
    ("reference too long", payload(shop_order_id="W" * 81), "shop_order_id"),
    ("unknown order type", payload(order_type="vip"), "order_type"),
    ("no payment terms anywhere", payload(customer_code="C300"), "payment_terms"),
    ("too many lines", payload(lines=line() * 201), "lines"),
    ("a list, not an object", [payload()], "non_field_errors"),
    ("a line not an object", payload(lines=["CM-120"]), "lines"),
    ("not JSON at all", "{not json", "detail"),
    ("null body", "null", "non_field_errors"),
]


@pytest.mark.parametrize(
    ("case", "body", "field"), MALFORMED, ids=[case for case, _b, _f in MALFORMED]
)
def test_malformed_payloads_get_4xx_with_field_errors(shop, catalog, case, body, field) -> None:
    response = post(shop, body, key=f"key-{case}")
    assert 400 <= response.status_code < 500, (case, response.status_code)
    assert field in response.json(), (case, response.json())
    assert not Order.objects.exists()


def test_a_corrected_retry_with_the_same_key_goes_through(shop, catalog) -> None:
    assert post(shop, payload(delivery_place=""), key="fix-me").status_code == 400
    assert post(shop, payload(), key="fix-me").status_code == 201


def test_the_endpoint_is_in_the_openapi_schema(client_for) -> None:
    schema = client_for("gm").get(reverse("api:schema"), {"format": "json"}).json()
    operation = schema["paths"][URL]["post"]
    assert operation["operationId"] == "shop_orders_create"
    assert any(p["name"] == "Idempotency-Key" and p["required"] for p in operation["parameters"])
