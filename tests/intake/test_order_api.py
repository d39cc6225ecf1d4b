"""The intake and credit actions through the REST API: the same rules as the pages, field
errors 400, a role that may not act 403, what the caller may not see 404; every endpoint in
the OpenAPI schema."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from gendan.orders.actions import transition_order
from gendan.orders.models import Order
from gendan.orders.status import Status
from tests.factories import CustomerFactory, make_order
from tests.intake.test_excel_import import master_data, row, xlsx  # noqa: F401
from tests.intake.test_pricing import order_at

pytestmark = pytest.mark.django_db
API = "/api/v1"


def api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def intake(order: Order, suffix: str = "") -> str:
    return f"{API}/orders/{order.number}/intake/{suffix}"


def test_checks_answer_completeness_credit_price_and_delivery(users, order) -> None:
    body = api(users["clerk"]).get(intake(order)).json()
    assert body["order"] == order.number
    assert body["missing"] == []
    assert body["credit"]["result"] == "pass" and body["credit"]["cleared"]
    assert body["prices"]["lines"][0]["position"] == 1
    assert body["feasibility"]["reason"]
    assert body["all_clear"] is True


def test_checks_of_an_order_one_may_not_see_are_404(users, order) -> None:
    assert api(users["other_clerk"]).get(intake(order)).status_code == 404
    assert api(users["other_clerk"]).post(intake(order, "type/"), {}).status_code == 404


def test_finance_confirms_a_flagged_price_through_the_api(users, finance) -> None:
    order = order_at(users, "2900")  # margin 6.9 %
    order = transition_order(order=order, name="submit", user=users["clerk"])  # finance's task
    url = intake(order, "confirm-margin/")
    assert api(users["sales_head"]).post(url, {"note": "ok"}).status_code == 403
    blank = api(finance).post(url, {"note": ""}, format="json")
    assert blank.status_code == 400 and "note" in blank.json()
    done = api(finance).post(url, {"note": "Key account."}, format="json")
    assert done.status_code == 200
    assert done.json()["prices"]["flagged"] and done.json()["margin_confirmed"]


def test_finance_secures_credit_with_a_prepayment(users, finance) -> None:
    customer = CustomerFactory(credit_limit=0, credit_rating="B")  # a limit of ¥0 needs cover
    order = make_order(user=users["clerk"], customer=customer)
    order = transition_order(order=order, name="submit", user=users["clerk"])  # finance's task
    url = intake(order, "secure-credit/")
    before = api(users["clerk"]).get(intake(order)).json()["credit"]
    assert not before["cleared"]
    bad = api(finance).post(url, {"kind": "cash", "amount": "x", "received_on": "soon"})
    assert bad.status_code == 400
    assert {"kind", "amount", "received_on"} <= set(bad.json())
    today = timezone.localdate().isoformat()
    payload = {"kind": "prepayment", "amount": before["required_cover"], "received_on": today}
    assert api(users["clerk"]).post(url, payload).status_code == 403
    secured = api(finance).post(url, payload)
    assert secured.status_code == 200
    assert secured.json()["credit"]["cleared"] and secured.json()["credit"]["resolved"]


def test_order_type_and_written_record(users, order) -> None:
    client = api(users["clerk"])
    unknown = client.post(intake(order, "type/"), {"order_type": "nope"})
    assert unknown.status_code == 400 and "order_type" in unknown.json()
    typed = client.post(intake(order, "type/"), {"order_type": "export"})
    assert typed.status_code == 200 and typed.json()["order_type"] == "export"
    assert typed.json()["missing"]  # export orders state more
    empty = client.post(intake(order, "written-record/"), {"text": "  "})
    assert empty.status_code == 400 and "text" in empty.json()
    assert client.post(intake(order, "written-record/"), {"text": "Agreed."}).status_code == 200
    assert (
        api(users["auditor"]).post(intake(order, "type/"), {"order_type": "standard"}).status_code
        == 403
    )


def test_negotiation_sends_the_order_back_and_revisions_are_listed(users, order) -> None:
    order = transition_order(order=order, name="submit", user=users["clerk"])
    client = api(users["clerk"])
    missing = client.post(intake(order, "negotiate/"), {})
    assert missing.status_code == 400 and "reason" in missing.json()
    stale = client.post(intake(order, "negotiate/"), {"reason": "Price", "version": 1})
    assert stale.status_code == 409
    sent = client.post(
        intake(order, "negotiate/"),
        {"reason": "The customer asks for 3 % less.", "counterpart": "Mr Li", "channel": "call"},
    )
    assert sent.status_code == 200
    order.refresh_from_db()
    assert order.status == Status.DRAFT
    revisions = client.get(intake(order, "revisions/")).json()
    assert [r["n"] for r in revisions] == [1]
    assert revisions[0]["snapshot"]


def test_excel_import_through_the_api(users, master_data) -> None:  # noqa: F811
    client = api(users["clerk"])
    good, bad = row(customer_reference="PO-1"), row(customer_reference="PO-2", quantity="abc")
    upload = client.post(
        f"{API}/order-imports/",
        {"file": SimpleUploadedFile("orders.xlsx", xlsx(good, bad))},
        format="multipart",
    )
    assert upload.status_code == 201, upload.content
    preview = upload.json()
    assert preview["importable_rows"] == 1
    assert [r["importable"] for r in preview["rows"]] == [True, False]
    assert any("abc" in e or "Quantity" in e for e in preview["rows"][1]["errors"])
    run = f"{API}/order-imports/{preview['id']}/import/"
    refused = client.post(run, {}, format="json")
    assert refused.status_code == 409  # errors left: nothing imported without valid_only
    assert not Order.objects.filter(customer_reference="PO-1").exists()
    imported = client.post(run, {"valid_only": True}, format="json")
    assert imported.status_code == 201
    assert imported.json()["skipped_rows"] == [3]
    assert Order.objects.filter(number__in=imported.json()["orders"]).count() == 1
    # Another clerk does not see this file; a wrong file type is a field error.
    assert api(users["other_clerk"]).get(f"{API}/order-imports/{preview['id']}/").status_code == 404
    wrong = client.post(f"{API}/order-imports/", {"file": SimpleUploadedFile("orders.csv", b"a,b")})
    assert wrong.status_code == 400 and "file" in wrong.json()
    assert (
        api(users["technical_reviewer"])
        .post(f"{API}/order-imports/", {"file": SimpleUploadedFile("o.xlsx", xlsx(good))})
        .status_code
        == 403
    )


def test_credit_file_and_assessment_through_the_api(users, finance, order) -> None:
    code = order.customer.code
    url = f"{API}/customers/{code}/credit/"
    assert api(users["other_clerk"]).get(url).status_code == 404
    file = api(users["clerk"]).get(url).json()
    assert file["customer"] == code and file["exposure"] == "94500.00"
    assessments = f"{url}assessments/"
    payload = {"rating": "A", "limit": "3000000", "assessed_on": timezone.localdate().isoformat()}
    assert api(users["clerk"]).post(assessments, payload).status_code == 403
    bad = api(finance).post(assessments, {"rating": "new", "limit": "-1"})
    assert bad.status_code == 400 and {"rating", "limit"} <= set(bad.json())
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    later = api(finance).post(assessments, {**payload, "assessed_on": future})
    assert later.status_code == 400 and "assessed_on" in later.json()
    done = api(finance).post(assessments, payload)
    assert done.status_code == 201
    assert (done.json()["limit"], done.json()["rating"]) == ("3000000.00", "A")
    assert done.json()["assessments"][0]["limit"] == "3000000.00"


def test_every_intake_and_credit_endpoint_is_in_the_schema(users) -> None:
    schema = api(users["gm"]).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = set(schema["paths"])
    for suffix in ("", "type/", "written-record/", "confirm-margin/", "secure-credit/"):
        assert f"/api/v1/orders/{{number}}/intake/{suffix}" in paths, suffix
    assert "/api/v1/orders/{number}/intake/negotiate/" in paths
    assert "/api/v1/orders/{number}/intake/revisions/" in paths
    assert "/api/v1/order-imports/" in paths
    assert "/api/v1/order-imports/{id}/import/" in paths
    assert "/api/v1/customers/{code}/credit/" in paths
    assert "/api/v1/customers/{code}/credit/assessments/" in paths
