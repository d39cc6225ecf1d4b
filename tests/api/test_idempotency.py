"""Idempotency-Key: a retried creation returns the first answer and creates nothing twice."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection, connections
from django.utils import timezone

from gendan.api.idempotency import KEY_LIFETIME, purge_expired_keys
from gendan.api.models import IdempotencyKey
from gendan.customers.models import Customer
from gendan.ledger.models import Kind
from gendan.orders.models import Order
from gendan.tasks.models import Task
from tests.api.conftest import API, make_client, order_payload, order_url

pytestmark = pytest.mark.django_db


def test_retry_with_the_same_key_replays_the_first_answer(api_for) -> None:
    client = api_for("clerk")
    payload = order_payload()
    first = client.post(f"{API}/orders/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post(f"{API}/orders/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Location"] == first["Location"] and second["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1


def test_same_key_with_another_payload_is_422(api_for) -> None:
    client = api_for("clerk")
    payload = order_payload()
    client.post(f"{API}/orders/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    changed = {**payload, "delivery_place": "elsewhere"}
    response = client.post(f"{API}/orders/", changed, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
    assert Order.objects.count() == 1


def test_same_key_on_another_endpoint_is_422(api_for, order) -> None:
    client = api_for("clerk")
    body = {"text": "hello"}
    assert (
        client.post(order_url(order, "comments/"), body, HTTP_IDEMPOTENCY_KEY="k").status_code
        == 201
    )
    other = client.post(f"{API}/customers/", {"code": "X1", "name": "X"}, HTTP_IDEMPOTENCY_KEY="k")
    assert other.status_code == 422


def test_keys_are_per_user(api_for, users) -> None:
    payload = order_payload()
    for name in ("clerk", "other_clerk"):
        response = api_for(name).post(
            f"{API}/orders/", payload, format="json", HTTP_IDEMPOTENCY_KEY="shared"
        )
        assert response.status_code == 201
    assert Order.objects.count() == 2


def test_failed_request_is_not_stored_so_a_corrected_retry_works(api_for) -> None:
    client = api_for("clerk")
    bad = order_payload(lines=[])
    assert (
        client.post(f"{API}/orders/", bad, format="json", HTTP_IDEMPOTENCY_KEY="k-3").status_code
        == 400
    )
    assert not IdempotencyKey.objects.exists()
    good = order_payload()
    response = client.post(f"{API}/orders/", good, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("/customers/", {"code": "C-77", "name": "Lotus Packaging"}),
        ("comments/", {"text": "Called the customer"}),
        ("communications/", {"channel": "call", "counterpart": "Mr Li", "summary": "ok"}),
        ("/tasks/", {"title": "Check", "department": "technical", "hours": 3}),
    ],
)
def test_every_creating_endpoint_honours_the_key(api_for, order, path, payload) -> None:
    url = f"{API}{path}" if path.startswith("/") else order_url(order, path)
    client = api_for("sales_head")
    order.routes.get_or_create(department_id=order.routes.first().department_id)
    before = (Customer.objects.count(), order.ledger.count(), Task.objects.count())
    first = client.post(url, payload, format="json", HTTP_IDEMPOTENCY_KEY="same")
    second = client.post(url, payload, format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert first.status_code == 201, first.json()
    assert second.json() == first.json() and second.status_code == 201
    after = (Customer.objects.count(), order.ledger.count(), Task.objects.count())
    assert sum(a - b for a, b in zip(after, before, strict=True)) == 1


def test_products_endpoint_honours_the_key(api_for) -> None:
    from tests.factories import ProductLineFactory

    line = ProductLineFactory()
    payload = {
        "code": "KL-175",
        "name": "Kraft liner 175",
        "line": line.pk,
        "list_price": "4100.00",
        "standard_cost": "3500.00",
    }
    client = api_for("admin")
    first = client.post(f"{API}/products/", payload, format="json", HTTP_IDEMPOTENCY_KEY="p")
    second = client.post(f"{API}/products/", payload, format="json", HTTP_IDEMPOTENCY_KEY="p")
    assert first.status_code == 201 and second.json() == first.json()


def test_overlong_key_is_refused(api_for) -> None:
    response = api_for("clerk").post(
        f"{API}/orders/", order_payload(), format="json", HTTP_IDEMPOTENCY_KEY="x" * 256
    )
    assert response.status_code == 400 and "Idempotency-Key" in response.json()
    assert not Order.objects.exists()


def test_expired_key_is_forgotten_and_purged(api_for, users) -> None:
    client = api_for("clerk")
    payload = order_payload()
    client.post(f"{API}/orders/", payload, format="json", HTTP_IDEMPOTENCY_KEY="old")
    IdempotencyKey.objects.update(created_at=timezone.now() - KEY_LIFETIME - dt.timedelta(1))
    again = client.post(f"{API}/orders/", payload, format="json", HTTP_IDEMPOTENCY_KEY="old")
    assert again.status_code == 201 and Order.objects.count() == 2
    IdempotencyKey.objects.update(created_at=timezone.now() - KEY_LIFETIME - dt.timedelta(1))
    assert purge_expired_keys() == 1
    assert not IdempotencyKey.objects.exists()


def test_worker_job_purges_only_expired_keys(api_for) -> None:
    from gendan.api.jobs import purge_idempotency_keys

    client = api_for("clerk")
    for key in ("a", "b"):
        client.post(f"{API}/orders/", order_payload(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    IdempotencyKey.objects.filter(key="a").update(created_at=timezone.now() - KEY_LIFETIME * 2)
    assert purge_idempotency_keys.enqueue().return_value == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["b"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_duplicates_create_one_order(users, monkeypatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locking needs PostgreSQL")
    from gendan.api.views import orders as order_views

    real_create = order_views.create_order

    def slow_create(**kwargs):
        order = real_create(**kwargs)
        time.sleep(0.5)  # hold the transaction open while the duplicate arrives
        return order

    monkeypatch.setattr(order_views, "create_order", slow_create)
    payload = order_payload()
    answers: list = []

    def send() -> None:
        try:
            client = make_client(users["clerk"])
            answers.append(
                client.post(f"{API}/orders/", payload, format="json", HTTP_IDEMPOTENCY_KEY="race")
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
        time.sleep(0.1)
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert Order.objects.count() == 1
    assert Order.objects.get().ledger.filter(kind=Kind.CREATED).count() == 1
