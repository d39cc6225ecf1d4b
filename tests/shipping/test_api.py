"""The shipping API: each step, refusals as 4xx with field messages, 404 for the unseen, and
every endpoint in the OpenAPI schema."""

import datetime as dt
import json

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from gendan.orders.status import Status
from gendan.shipping.models import DeliveryState, SettlementState, Shipment, ShippingNotice
from gendan.warehouse.stock import available_to_ship
from tests.shipping.helpers import DISPATCH, D, goods_in_stock, notice, scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(staff):
    def make(name: str) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.force_authenticate(staff[name])
        return client

    return make


def test_the_whole_way_through_the_api(world, api) -> None:
    goods_in_stock(world)
    number = world.order.number
    day = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    issued = api("clerk").post(
        f"/api/v1/orders/{number}/shipping-notices/",
        {"ship_on": day, "lines": {"1": "30"}, "consignee": "王经理"},
        format="json",
    )
    assert issued.status_code == 201, issued.content
    notice_number = issued.json()["number"]
    assert issued.json()["lines"] == [
        {"line": 1, "product": "CM120", "quantity": "30.000", "unit": "t"}
    ]
    shipped = api("logistics_reviewer").post(
        f"/api/v1/shipping-notices/{notice_number}/dispatch/",
        {**DISPATCH, "shipped_at": (timezone.now() - dt.timedelta(hours=5)).isoformat()},
        format="json",
    )
    assert shipped.status_code == 201, shipped.content
    body = shipped.json()
    assert body["lines"][0]["quantity"] == "30.000" and body["delivery_note"]["state"] == "awaiting"
    moved = api("logistics_reviewer").post(f"/api/v1/orders/{number}/transitions/ship/", {})
    assert moved.status_code == 200, moved.content
    assert world.fresh().status == Status.SHIPPED
    signed = api("clerk").post(
        f"/api/v1/shipments/{body['number']}/sign-off/",
        {
            "signed_by_name": "王经理",
            "signed_at": timezone.now().isoformat(),
            "file": scan(),
            "discrepancies": json.dumps(
                [{"kind": "short", "line": 1, "quantity": "0.5", "description": "短少半吨"}]
            ),
        },
        format="multipart",
    )
    assert signed.status_code == 201, signed.content
    note = signed.json()["delivery_note"]
    assert note["state"] == DeliveryState.SIGNED_WITH_DISCREPANCIES
    assert note["signed_by_name"] == "王经理" and note["signed_document"]
    moved = api("clerk").post(f"/api/v1/orders/{number}/transitions/deliver/", {})
    assert moved.status_code == 200, moved.content
    assert world.fresh().status == Status.DELIVERED
    [discrepancy] = note["discrepancies"]
    resolved = api("clerk").post(
        f"/api/v1/discrepancies/{discrepancy['id']}/resolve/",
        {"resolution": "补发半吨"},
        format="json",
    )
    assert resolved.status_code == 200 and resolved.json()["resolved_at"]
    requested = api("clerk").post(
        f"/api/v1/orders/{number}/settlement-requests/", {}, format="json"
    )
    assert requested.status_code == 201
    settlement = requested.json()["number"]
    assert (
        api("clerk").post(f"/api/v1/settlement-requests/{settlement}/receive/", {}).status_code
        == 403
    )
    received = api("finance_reviewer").post(
        f"/api/v1/settlement-requests/{settlement}/receive/", {"note": "ok"}, format="json"
    )
    assert received.status_code == 200 and received.json()["state"] == SettlementState.RECEIVED
    summary = api("clerk").get(f"/api/v1/orders/{number}/shipping/").json()
    assert summary["fully_shipped"] is True and summary["lines"][0]["shipped"] == "30.000"
    assert summary["shipments"][0]["number"] == body["number"]


def test_nonconforming_goods_are_refused_through_the_api(world, api) -> None:
    from tests.shipping.helpers import inspect, produce

    produce(world)
    inspect(world, grammage="131", quarantine="30")  # the whole lot fails: quarantined
    sent = notice(world, {1: "10"})
    response = api("logistics_reviewer").post(
        f"/api/v1/shipping-notices/{sent.number}/dispatch/", DISPATCH, format="json"
    )
    assert response.status_code == 409
    assert "quarantined" in " ".join(response.json()["line_1"])
    assert not Shipment.objects.exists()
    assert available_to_ship(world.line()) == D("0")  # nothing passed: nothing taken in


def test_bad_input_is_refused_field_by_field(world, api) -> None:
    response = api("clerk").post(
        f"/api/v1/orders/{world.order.number}/shipping-notices/",
        {"ship_on": "soon", "lines": {"1": "-1"}},
        format="json",
    )
    assert response.status_code == 400
    assert {"ship_on", "lines"} <= set(response.json())
    sent = notice(world, {1: "10"})
    response = api("logistics_reviewer").post(
        f"/api/v1/shipping-notices/{sent.number}/dispatch/",
        {"carrier": "", "vehicle": "x", "packaging": "y", "checked": False},
        format="json",
    )
    assert response.status_code == 400 and "carrier" in response.json()
    assert not ShippingNotice.objects.exclude(pk=sent.pk).exists()


def test_the_unseen_answer_404_and_auditors_write_nothing(world, api) -> None:
    sent = notice(world, {1: "10"})
    for url in (
        f"/api/v1/orders/{world.order.number}/shipping/",
        f"/api/v1/shipping-notices/{sent.number}/",
    ):
        assert api("other_clerk").get(url).status_code == 404
        assert api("auditor").get(url).status_code == 200
    listed = api("other_clerk").get("/api/v1/shipping-notices/").json()
    assert listed["results"] == []
    assert [
        n["number"] for n in api("clerk").get("/api/v1/shipping-notices/").json()["results"]
    ] == [sent.number]
    response = api("auditor").post(
        f"/api/v1/shipping-notices/{sent.number}/cancel/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 403
    sent.refresh_from_db()
    assert sent.state == "open"


def test_every_endpoint_is_in_the_schema(api) -> None:
    schema = api("gm").get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = set(schema["paths"])
    for path in (
        "/api/v1/orders/{number}/shipping/",
        "/api/v1/orders/{number}/shipping-notices/",
        "/api/v1/orders/{number}/settlement-requests/",
        "/api/v1/shipping-notices/{number}/dispatch/",
        "/api/v1/shipping-notices/{number}/cancel/",
        "/api/v1/shipments/{number}/sign-off/",
        "/api/v1/shipments/{number}/discrepancies/",
        "/api/v1/discrepancies/{id}/resolve/",
        "/api/v1/settlement-requests/{number}/receive/",
    ):
        assert path in paths, path
