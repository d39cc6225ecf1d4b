"""Orders over the API: visibility per role, lists, registering and editing with versions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gendan.ledger.models import Kind
from gendan.orders.actions import transition_order, update_order
from gendan.orders.models import Order
from gendan.orders.status import Status
from tests.api.conftest import API, order_payload, order_url
from tests.factories import CustomerFactory, make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def others_order(users) -> Order:
    return make_order(user=users["other_clerk"])


# --- visibility ------------------------------------------------------------------------


def test_clerk_lists_only_own_orders(api_for, order, others_order) -> None:
    numbers = [row["number"] for row in api_for("clerk").get(f"{API}/orders/").json()["results"]]
    assert numbers == [order.number]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("clerk", 200),
        ("sales_head", 200),
        ("gm", 200),
        ("admin", 200),
        ("auditor", 200),
        ("other_clerk", 404),
        ("technical_reviewer", 404),
        ("outsider", 404),
    ],
)
def test_order_detail_visible_only_to_those_allowed(api_for, order, name, code) -> None:
    assert api_for(name).get(order_url(order)).status_code == code


def test_outsider_list_is_empty(api_for, order, others_order) -> None:
    data = api_for("outsider").get(f"{API}/orders/").json()
    assert data["results"] == [] and data["count"] == 0


def test_unknown_order_is_404(api_for) -> None:
    assert api_for("gm").get(f"{API}/orders/SO-1999-999999/").status_code == 404


def test_detail_has_lines_status_colour_transitions_and_etag(api_for, order) -> None:
    response = api_for("clerk").get(order_url(order))
    data = response.json()
    assert response["ETag"] == order.etag == data["etag"]
    assert data["status"] == "draft" and data["status_label"] == "Draft"
    assert data["status_colour"] == "grey"
    assert len(data["lines"]) == 1 and data["lines"][0]["amount"] == "94500.00"
    assert [t["name"] for t in data["transitions"]] == ["submit"]


def test_unchanged_order_answers_304_to_if_none_match(api_for, order) -> None:
    response = api_for("clerk").get(order_url(order), HTTP_IF_NONE_MATCH=order.etag)
    assert response.status_code == 304


def test_orders_cannot_be_deleted(api_for, order) -> None:
    assert api_for("gm").delete(order_url(order)).status_code == 405
    assert Order.objects.filter(pk=order.pk).exists()


# --- lists: filters, search, ordering, pagination ---------------------------------------


def _numbers(client, query: str) -> list[str]:
    response = client.get(f"{API}/orders/?{query}")
    assert response.status_code == 200, response.json()
    return [row["number"] for row in response.json()["results"]]


def test_filters_by_one_or_several_statuses(api_for, users, order) -> None:
    submitted = make_order(user=users["clerk"])
    transition_order(order=submitted, name="submit", user=users["clerk"])
    gm = api_for("gm")
    assert _numbers(gm, "status=intake_review") == [submitted.number]
    assert set(_numbers(gm, "status=draft&status=intake_review")) == {
        order.number,
        submitted.number,
    }


def test_filters_by_priority_channel_clerk_and_customer(api_for, users, order, others_order):
    urgent = make_order(user=users["clerk"], priority="emergency", channel="email")
    gm = api_for("gm")
    assert _numbers(gm, "priority=emergency") == [urgent.number]
    assert _numbers(gm, "channel=email") == [urgent.number]
    assert _numbers(gm, f"clerk={users['other_clerk'].pk}") == [others_order.number]
    assert _numbers(gm, f"customer={order.customer_id}") == [order.number]


def test_filters_by_requested_date(api_for, users) -> None:
    today = dt.date.today()
    early = make_order(user=users["clerk"], requested_date=today - dt.timedelta(days=3))
    late = make_order(user=users["clerk"], requested_date=today + dt.timedelta(days=60))
    gm = api_for("gm")
    assert _numbers(gm, f"requested_before={today}") == [early.number]
    assert _numbers(gm, f"requested_from={today}") == [late.number]
    assert _numbers(gm, f"requested_to={today}&open=true") == [early.number]


def test_search_by_number_customer_name_and_reference(api_for, users) -> None:
    acme = make_order(user=users["clerk"], customer=CustomerFactory(name="Acme Cartons"))
    ref = make_order(user=users["clerk"], customer_reference="PO-77812")
    gm = api_for("gm")
    assert _numbers(gm, "search=acme") == [acme.number]
    assert _numbers(gm, "search=77812") == [ref.number]
    assert _numbers(gm, f"search={acme.number}") == [acme.number]


def test_ordering_by_amount_and_requested_date(api_for, users) -> None:
    small = make_order(user=users["clerk"], lines=1)
    big = make_order(user=users["clerk"], lines=3)
    gm = api_for("gm")
    assert _numbers(gm, "ordering=-total_amount") == [big.number, small.number]
    assert _numbers(gm, "ordering=total_amount") == [small.number, big.number]
    assert _numbers(gm, "") == [big.number, small.number]  # newest first


def test_pages_link_on_and_count_without_scanning_everything(api_for, users) -> None:
    for _ in range(5):
        make_order(user=users["clerk"])
    gm = api_for("gm")
    first = gm.get(f"{API}/orders/?page_size=2").json()
    assert first["count"] == 5 and first["count_capped"] is False
    assert len(first["results"]) == 2 and first["previous"] is None
    second = gm.get(first["next"]).json()
    third = gm.get(second["next"]).json()
    assert third["next"] is None and len(third["results"]) == 1
    seen = [r["number"] for page in (first, second, third) for r in page["results"]]
    assert len(set(seen)) == 5
    assert gm.get(f"{API}/orders/?page=9").status_code == 404


def test_count_is_capped(api_for, users, monkeypatch) -> None:
    from gendan.api.pagination import Pagination

    monkeypatch.setattr(Pagination, "count_cap", 3)
    for _ in range(5):
        make_order(user=users["clerk"])
    data = api_for("gm").get(f"{API}/orders/?page_size=2").json()
    assert data["count"] == 3 and data["count_capped"] is True


def test_list_counts_only_up_to_the_cap(api_for, users) -> None:
    for _ in range(3):
        make_order(user=users["clerk"])
    with CaptureQueriesContext(connection) as queries:
        api_for("gm").get(f"{API}/orders/?page_size=2")
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT" in sql.upper() for sql in counts)


def test_first_page_that_holds_everything_needs_no_count(api_for, users, order) -> None:
    with CaptureQueriesContext(connection) as queries:
        api_for("gm").get(f"{API}/orders/")
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]


def test_order_list_query_count_does_not_grow_with_rows(
    api_for, users, django_assert_max_num_queries
) -> None:
    for _ in range(12):
        make_order(user=users["clerk"])
    client = api_for("clerk")
    with django_assert_max_num_queries(8):
        assert len(client.get(f"{API}/orders/").json()["results"]) == 12


# --- registering ------------------------------------------------------------------------


def test_clerk_registers_an_order_for_themselves(api_for, users) -> None:
    payload = order_payload(clerk=users["other_clerk"].pk)
    response = api_for("clerk").post(f"{API}/orders/", payload, format="json")
    assert response.status_code == 201, response.json()
    order = Order.objects.get(number=response.json()["number"])
    assert order.clerk == users["clerk"] and order.created_by == users["clerk"]
    assert order.status == Status.DRAFT and order.total_amount == Decimal("94500.00")
    assert response["Location"].endswith(f"/api/v1/orders/{order.number}/")
    assert response["ETag"] == order.etag
    assert list(order.ledger.values_list("kind", flat=True)) == [Kind.CREATED]


def test_sales_head_may_assign_the_clerk(api_for, users) -> None:
    payload = order_payload(clerk=users["other_clerk"].pk)
    response = api_for("sales_head").post(f"{API}/orders/", payload, format="json")
    assert response.status_code == 201
    assert response.json()["clerk"]["id"] == users["other_clerk"].pk


def test_unit_defaults_to_the_products_unit(api_for) -> None:
    response = api_for("clerk").post(f"{API}/orders/", order_payload(), format="json")
    assert response.json()["lines"][0]["unit"] == "t"


@pytest.mark.parametrize("name", ["technical_reviewer", "production_head", "outsider"])
def test_department_roles_may_not_register_orders(api_for, name) -> None:
    response = api_for(name).post(f"{API}/orders/", order_payload(), format="json")
    assert response.status_code == 403
    assert not Order.objects.exists()


def test_inactive_customer_is_refused_for_new_orders(api_for) -> None:
    payload = order_payload(customer=CustomerFactory(is_active=False))
    response = api_for("clerk").post(f"{API}/orders/", payload, format="json")
    assert response.status_code == 400 and "customer" in response.json()


# --- editing with versions ---------------------------------------------------------------


def test_patch_with_current_version_edits_and_bumps_version(api_for, order) -> None:
    response = api_for("clerk").patch(
        order_url(order), {"notes": "call before delivery", "version": 1}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2 and response.json()["notes"] == "call before delivery"
    order.refresh_from_db()
    assert response["ETag"] == order.etag
    assert order.ledger.filter(kind=Kind.CHANGED).count() == 1


def test_patch_with_if_match_from_get_edits(api_for, order) -> None:
    client = api_for("clerk")
    etag = client.get(order_url(order))["ETag"]
    response = client.patch(order_url(order), {"notes": "x"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200


def test_stale_body_version_answers_409(api_for, users, order) -> None:
    update_order(order=order, user=users["clerk"], expected_version=1, header={"notes": "a"})
    response = api_for("clerk").patch(order_url(order), {"notes": "b", "version": 1}, format="json")
    assert response.status_code == 409
    assert "changed by someone else" in response.json()["detail"]
    order.refresh_from_db()
    assert order.notes == "a"


def test_stale_if_match_answers_412(api_for, users, order) -> None:
    client = api_for("clerk")
    etag = client.get(order_url(order))["ETag"]
    update_order(order=order, user=users["clerk"], expected_version=1, header={"notes": "a"})
    response = client.patch(order_url(order), {"notes": "b"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert "changed by someone else" in response.json()["detail"]
    order.refresh_from_db()
    assert order.notes == "a"


def test_garbage_if_match_answers_412(api_for, order) -> None:
    response = api_for("clerk").patch(
        order_url(order), {"notes": "b"}, format="json", HTTP_IF_MATCH='"nonsense"'
    )
    assert response.status_code == 412


def test_edit_without_version_answers_428(api_for, order) -> None:
    response = api_for("clerk").patch(order_url(order), {"notes": "b"}, format="json")
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    order.refresh_from_db()
    assert order.notes == ""


def test_put_replaces_header_and_lines(api_for, order) -> None:
    payload = order_payload(customer=order.customer, version=1, delivery_place="Wuxi depot")
    payload["lines"] = payload["lines"] * 2
    response = api_for("clerk").put(order_url(order), payload, format="json")
    assert response.status_code == 200, response.json()
    assert len(response.json()["lines"]) == 2
    order.refresh_from_db()
    assert order.delivery_place == "Wuxi depot" and order.total_amount == Decimal("189000.00")


def test_put_without_lines_is_refused(api_for, order) -> None:
    payload = order_payload(customer=order.customer, version=1)
    del payload["lines"]
    response = api_for("clerk").put(order_url(order), payload, format="json")
    assert response.status_code == 400 and "lines" in response.json()


def test_clerk_cannot_reassign_the_clerk(api_for, users, order) -> None:
    response = api_for("clerk").patch(
        order_url(order), {"clerk": users["other_clerk"].pk, "version": 1}, format="json"
    )
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.clerk == users["clerk"]


def test_other_clerk_cannot_edit_an_order_they_cannot_see(api_for, order) -> None:
    response = api_for("other_clerk").patch(
        order_url(order), {"notes": "x", "version": 1}, format="json"
    )
    assert response.status_code == 404


def test_gm_sees_but_an_order_past_review_is_not_editable(api_for, users, order) -> None:
    transition_order(order=order, name="submit", user=users["clerk"])
    transition_order(order=order, name="approve_intake", user=users["sales_head"])
    response = api_for("gm").patch(order_url(order), {"notes": "x", "version": 3}, format="json")
    assert response.status_code == 409


def test_auditor_cannot_edit(api_for, order) -> None:
    response = api_for("auditor").patch(
        order_url(order), {"notes": "x", "version": 1}, format="json"
    )
    assert response.status_code == 403
