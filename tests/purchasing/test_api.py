"""Purchasing API: the same actions and access door as the pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from gendan.ledger.models import LedgerEntry
from gendan.purchasing.models import PurchaseOrder, SupplierIncident
from tests.purchasing.helpers import bom, material, order_for, paper_product, price, supplier

pytestmark = pytest.mark.django_db
API = "/api/v1"


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def mill(staff):
    product = paper_product()
    pulp = material("PULP", stock="10")
    bom(product, pulp, "1.1", scrap="0.05")
    pm = supplier("PM", lead=3, rating="4")
    price(pm, pulp, "4800")
    order = order_for(staff["clerk"], product, quantity="30")
    return {"product": product, "pulp": pulp, "supplier": pm, "order": order}


def test_purchase_plan_is_read_and_committed(staff, mill) -> None:
    url = f"{API}/orders/{mill['order'].number}/purchase-plan/"
    plan = api(staff["gm"]).get(url).json()
    line = plan["lines"][0]
    assert (line["material_code"], line["gross"], line["to_buy"]) == ("PULP", "34.650", "24.650")
    assert line["candidates"][0]["supplier_code"] == "PM"
    response = api(staff["gm"]).post(url, {}, format="json")
    assert response.status_code == 201
    (po,) = response.json()
    assert po["supplier"] == mill["supplier"].pk and po["lines"][0]["quantity"] == "24.650"
    again = api(staff["gm"]).post(url, {}, format="json")
    assert again.status_code == 409
    assert "Nothing to buy" in again.json()["detail"]


def test_plan_commit_is_refused_for_a_clerk_and_invisible_to_the_outsider(staff, mill) -> None:
    url = f"{API}/orders/{mill['order'].number}/purchase-plan/"
    assert api(staff["clerk"]).post(url, {}, format="json").status_code == 403
    assert api(staff["outsider"]).get(url).status_code == 404
    assert not PurchaseOrder.objects.exists()


def test_partial_receipt_through_the_api(staff, mill) -> None:
    api(staff["gm"]).post(f"{API}/orders/{mill['order'].number}/purchase-plan/", {}, format="json")
    po = PurchaseOrder.objects.get()
    line = po.lines.get()
    url = f"{API}/purchase-orders/{po.number}/lines/{line.pk}/receive/"
    response = api(staff["logistics_reviewer"]).post(
        url, {"quantity": "10", "received_on": timezone.localdate().isoformat()}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "partial"
    assert body["lines"][0]["open_quantity"] == "14.650"
    assert len(body["lines"][0]["receipts"]) == 1
    too_much = api(staff["logistics_reviewer"]).post(url, {"quantity": "15"}, format="json")
    assert too_much.status_code == 409
    assert "quantity" in too_much.json()


def test_purchase_orders_follow_the_access_door(staff, mill) -> None:
    api(staff["gm"]).post(f"{API}/orders/{mill['order'].number}/purchase-plan/", {}, format="json")
    po = PurchaseOrder.objects.get()
    for name in ("buyer", "clerk", "logistics_reviewer", "auditor"):
        assert api(staff[name]).get(f"{API}/purchase-orders/{po.number}/").status_code == 200
    outsider = api(staff["outsider"])
    assert outsider.get(f"{API}/purchase-orders/{po.number}/").status_code == 404
    assert outsider.get(f"{API}/purchase-orders/").json()["results"] == []
    assert (
        outsider.post(
            f"{API}/purchase-orders/{po.number}/cancel/", {"reason": "x"}, format="json"
        ).status_code
        == 404
    )


def test_expected_date_and_late_lines(staff, mill) -> None:
    api(staff["gm"]).post(f"{API}/orders/{mill['order'].number}/purchase-plan/", {}, format="json")
    po = PurchaseOrder.objects.get()
    line = po.lines.get()
    past = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    # Placed nine days ago (set directly), so the supplier may confirm a date now past.
    PurchaseOrder.objects.filter(pk=po.pk).update(
        order_date=timezone.localdate() - dt.timedelta(days=9)
    )
    response = api(staff["buyer"]).post(
        f"{API}/purchase-orders/{po.number}/lines/{line.pk}/expected-date/",
        {"expected_date": past, "reason": "Confirmed shipment date"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    late = api(staff["buyer"]).get(f"{API}/late-purchase-lines/").json()
    assert [row["purchase_order"] for row in late] == [po.number]
    listed = api(staff["buyer"]).get(f"{API}/purchase-orders/?late=true").json()["results"]
    assert [row["number"] for row in listed] == [po.number]


def test_incident_report_escalate_and_resolve(staff, mill) -> None:
    api(staff["gm"]).post(f"{API}/orders/{mill['order'].number}/purchase-plan/", {}, format="json")
    po = PurchaseOrder.objects.get()
    buyer = api(staff["buyer"])
    response = buyer.post(
        f"{API}/supplier-incidents/",
        {
            "supplier": mill["supplier"].pk,
            "purchase_order": po.number,
            "kind": "delay",
            "description": "Vessel delayed",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert (
        buyer.post(f"{API}/supplier-incidents/{pk}/escalate/", {}, format="json").json()["status"]
        == "escalated"
    )
    resolved = buyer.post(
        f"{API}/supplier-incidents/{pk}/handle/",
        {"handling": "Air freight booked", "resolve": True},
        format="json",
    )
    assert resolved.json()["status"] == "resolved"
    assert api(staff["outsider"]).get(f"{API}/supplier-incidents/{pk}/").status_code == 404
    bad = buyer.post(
        f"{API}/supplier-incidents/",
        {"supplier": mill["supplier"].pk, "kind": "weather", "description": ""},
        format="json",
    )
    assert bad.status_code == 400
    assert {"kind", "description"} <= set(bad.json())
    assert SupplierIncident.objects.count() == 1


def test_master_data_is_read_by_all_and_written_by_procurement(staff, mill) -> None:
    payload = {"code": "S9", "name": "Starch Co.", "lead_time_days": 7, "rating": "4.5"}
    assert api(staff["clerk"]).get(f"{API}/suppliers/").status_code == 200
    assert api(staff["clerk"]).post(f"{API}/suppliers/", payload, format="json").status_code == 403
    created = api(staff["buyer"]).post(f"{API}/suppliers/", payload, format="json")
    assert created.status_code == 201
    assert LedgerEntry.objects.filter(
        subject=f"purchasing.supplier:{created.json()['id']}"
    ).exists()
    detail = api(staff["clerk"]).get(f"{API}/suppliers/{mill['supplier'].pk}/").json()
    assert detail["on_time_rate"] == {"on_time": 0, "due": 0, "rate": None}
    bad = api(staff["buyer"]).post(
        f"{API}/suppliers/", {**payload, "code": "S10", "rating": "9"}, format="json"
    )
    assert bad.status_code == 400 and "rating" in bad.json()


def test_material_stock_is_not_edited_but_corrected_with_a_reason(staff, mill) -> None:
    buyer = api(staff["buyer"])
    url = f"{API}/materials/{mill['pulp'].pk}/"
    assert (
        buyer.patch(url, {"stock_on_hand": "999", "safety_stock": "5"}, format="json").status_code
        == 200
    )
    mill["pulp"].refresh_from_db()
    assert (mill["pulp"].stock_on_hand, mill["pulp"].safety_stock) == (Decimal("10"), Decimal("5"))
    fixed = buyer.post(
        url + "adjust-stock/", {"counted": "8.5", "reason": "Stocktake"}, format="json"
    )
    assert fixed.status_code == 200 and fixed.json()["stock_on_hand"] == "8.500"
    entry = LedgerEntry.objects.get(data__event="stock_adjusted")
    assert entry.changes == {"stock_on_hand": ["10.000", "8.500"]}


def test_bom_lines_are_kept_by_technical(staff, mill) -> None:
    payload = {
        "product": mill["product"].pk,
        "material": material("STARCH").pk,
        "quantity_per_unit": "0.02",
        "scrap_factor": "0",
    }
    assert api(staff["buyer"]).post(f"{API}/bom-lines/", payload, format="json").status_code == 403
    created = api(staff["technical_reviewer"]).post(f"{API}/bom-lines/", payload, format="json")
    assert created.status_code == 201
    listed = api(staff["clerk"]).get(f"{API}/bom-lines/?product={mill['product'].pk}").json()
    assert len(listed["results"]) == 2
    gone = api(staff["technical_reviewer"]).delete(f"{API}/bom-lines/{created.json()['id']}/")
    assert gone.status_code == 204
    assert LedgerEntry.objects.filter(summary__contains="deleted").exists()
