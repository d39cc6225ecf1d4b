"""Malformed requests answer 4xx with messages, never 500, and change nothing."""

import json

import pytest

from gendan.orders.models import Order
from tests.api.conftest import API, order_payload

pytestmark = pytest.mark.django_db


def _line(**changes):
    return lambda p: {**p, "lines": [{**p["lines"][0], **changes}]}


def _without(field):
    return lambda p: {k: v for k, v in p.items() if k != field}


def _with(**changes):
    return lambda p: {**p, **changes}


#: (case, how to spoil a valid order body, the field the error must name or None)
CREATE_CASES = [
    ("zero quantity", _line(quantity="0"), "lines"),
    ("negative quantity", _line(quantity="-5"), "lines"),
    ("quantity not a number", _line(quantity="thirty"), "lines"),
    ("quantity NaN", _line(quantity="NaN"), "lines"),
    ("quantity too many digits", _line(quantity="1e20"), "lines"),
    ("negative price", _line(unit_price="-1"), "lines"),
    ("unknown product", _line(product=999999), "lines"),
    ("product as text", _line(product="paper"), "lines"),
    ("huge grammage", _line(grammage=10**20), "lines"),
    ("unknown unit", _line(unit="bucket"), "lines"),
    ("missing lines", _without("lines"), "lines"),
    ("empty lines", _with(lines=[]), "lines"),
    ("lines not a list", _with(lines={"product": 1}), "lines"),
    ("line not an object", _with(lines=["a"]), "lines"),
    ("unknown customer", _with(customer=999999), "customer"),
    ("customer as a list", _with(customer=[1]), "customer"),
    ("impossible date", _with(requested_date="2030-02-30"), "requested_date"),
    ("date in words", _with(requested_date="next Tuesday"), "requested_date"),
    ("unknown channel", _with(channel="pigeon"), "channel"),
    ("unknown priority", _with(priority="whenever"), "priority"),
    ("place too long", _with(delivery_place="x" * 301), "delivery_place"),
    ("reference too long", _with(customer_reference="x" * 81), "customer_reference"),
    ("NUL character", _with(notes="bad\x00byte"), "notes"),
    ("missing customer", _without("customer"), "customer"),
    ("clerk unknown", _with(clerk=999999), "clerk"),
    ("body is a list", lambda p: [p], None),
    ("body is a number", lambda p: 42, None),
]


@pytest.mark.parametrize(("case", "spoil", "field"), CREATE_CASES, ids=[c[0] for c in CREATE_CASES])
def test_malformed_order_is_refused_with_field_errors(api_for, case, spoil, field) -> None:
    response = api_for("clerk").post(f"{API}/orders/", spoil(order_payload()), format="json")
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["detail"]
    if field is not None:
        assert field in data
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("case", "raw"),
    [
        ("truncated JSON", '{"customer": 1,'),
        ("not JSON at all", "customer=1&lines"),
        ("empty body", ""),
        ("JSON null", "null"),
        ("deep nonsense", '{"lines": [[[[[]]]]]}'),
    ],
)
def test_unparseable_bodies_are_400(api_for, case, raw) -> None:
    response = api_for("clerk").post(f"{API}/orders/", raw, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("comments/", {"text": ["a"]}),
        ("comments/", {"text": "x" * 10_001}),
        ("communications/", {"channel": "pigeon", "counterpart": "x", "summary": "y"}),
        (
            "communications/",
            {"channel": "call", "counterpart": "x", "summary": "y", "occurred_at": "yesterday"},
        ),
        ("transitions/submit/", {"version": "abc"}),
        ("transitions/submit/", {"version": -1}),
        ("transitions/submit/", {"reason": {"a": 1}}),
    ],
)
def test_malformed_order_subresource_bodies_are_400(api_for, order, path, payload) -> None:
    response = api_for("clerk").post(f"{API}/orders/{order.number}/{path}", payload, format="json")
    assert response.status_code == 400, response.content


@pytest.mark.parametrize(
    "query",
    [
        "status=nonsense",
        "clerk=abc",
        "clerk=1.5",
        "requested_before=31-31-2020",
        "open=perhaps",
        "page=abc",
        "page=0",
        "page=99999999999999999999",
        "page_size=abc",
        "ordering=password",
    ],
)
def test_bad_list_parameters_never_fail_the_server(api_for, order, query) -> None:
    response = api_for("clerk").get(f"{API}/orders/?{query}")
    assert response.status_code in (200, 400, 404), response.content


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("/tasks/", {"title": "x", "department": "nowhere", "hours": 1}),
        ("/tasks/", {"title": "x", "department": "technical", "hours": 0}),
        ("/tasks/", {"title": "x", "department": "technical", "due_at": "2001-01-01T00:00"}),
        ("/tasks/", {"title": "x" * 201, "department": "technical", "hours": 1}),
        ("/tasks/", {"title": "x", "assignee": "me", "hours": 1}),
        ("/notifications/read/", {"ids": ["a"]}),
        ("/customers/", {"code": "", "name": "x"}),
        ("/customers/", {"code": "C1", "name": "x", "credit_limit": "-5"}),
    ],
)
def test_malformed_other_bodies_are_400(api_for, path, payload) -> None:
    response = api_for("gm").post(f"{API}{path}", payload, format="json")
    assert response.status_code == 400, response.content


def test_unknown_task_id_is_404(api_for) -> None:
    assert api_for("gm").post(f"{API}/tasks/999999/complete/", {}).status_code == 404
    assert api_for("gm").get(f"{API}/tasks/abc/").status_code == 404


def test_form_encoded_order_without_lines_is_400(api_for) -> None:
    response = api_for("clerk").post(f"{API}/orders/", {"customer": "1"})
    assert response.status_code == 400 and "lines" in response.json()


def test_error_body_is_json_with_a_detail(api_for) -> None:
    response = api_for("clerk").post(
        f"{API}/orders/", json.dumps({}), content_type="application/json"
    )
    assert response["Content-Type"].startswith("application/json")
    assert "Check these fields" in response.json()["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/orders/",
        "/orders/{number}/",
        "/orders/{number}/transitions/submit/",
        "/tasks/",
        "/customers/",
    ],
)
def test_options_requests_describe_without_failing(api_for, order, path) -> None:
    response = api_for("clerk").options(f"{API}{path.format(number=order.number)}")
    assert response.status_code == 200
