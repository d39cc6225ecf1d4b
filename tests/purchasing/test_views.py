"""Purchasing pages: who sees what (404 for the invisible), forms through the actions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gendan.purchasing.actions import create_purchase_orders, report_supplier_incident
from gendan.purchasing.models import IncidentKind, PurchaseOrder, SupplierIncident
from tests.purchasing.helpers import bom, material, order_for, paper_product, price, supplier

pytestmark = pytest.mark.django_db


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def po(staff):
    product = paper_product()
    pulp = material("PULP", stock="5")
    bom(product, pulp, "1.1", scrap="0.05")
    price(supplier("PM", lead=3), pulp, "4800")
    order = order_for(staff["clerk"], product)
    # Routed to procurement by the plan's commit: the buyer sees the order from then on.
    return create_purchase_orders(
        order=order, user=staff["gm"], today=timezone.localdate() - dt.timedelta(days=10)
    )[0]


def test_buyer_and_clerk_see_the_purchase_order_page(staff, po) -> None:
    for name in ("buyer", "clerk", "procurement_head", "gm", "auditor"):
        response = client(staff[name]).get(po.get_absolute_url())
        assert response.status_code == 200, name
        assert po.number in response.content.decode()


@pytest.mark.parametrize("name", ["outsider", "other_clerk", "production_head"])
def test_others_get_404_for_the_purchase_order(staff, po, name) -> None:
    assert client(staff[name]).get(po.get_absolute_url()).status_code == 404
    plan_url = reverse("purchasing:plan", args=[po.order.number])
    assert client(staff[name]).get(plan_url).status_code == 404


def test_outsider_list_is_empty(staff, po) -> None:
    response = client(staff["outsider"]).get(reverse("purchasing:list"))
    assert response.status_code == 200
    assert po.number not in response.content.decode()
    assert po.number in client(staff["buyer"]).get(reverse("purchasing:list")).content.decode()


def test_receipt_form_records_a_partial_receipt(staff, po) -> None:
    line = po.lines.get()
    url = reverse("purchasing:receive", args=[po.number, line.pk])
    response = client(staff["logistics_reviewer"]).post(
        url, {"quantity": "10", "received_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.received_quantity == Decimal("10")


def test_receipt_form_shows_the_refusal_on_the_field(staff, po) -> None:
    line = po.lines.get()
    url = reverse("purchasing:receive", args=[po.number, line.pk])
    response = client(staff["buyer"]).post(
        url, {"quantity": "999", "received_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 409
    assert "still open on this line" in response.content.decode()
    line.refresh_from_db()
    assert line.received_quantity == 0


def test_clerk_who_sees_the_order_may_not_receive(staff, po) -> None:
    line = po.lines.get()
    url = reverse("purchasing:receive", args=[po.number, line.pk])
    response = client(staff["clerk"]).post(url, {"quantity": "1"})
    assert response.status_code == 403


def test_plan_page_shows_the_explosion_and_commits_it(staff) -> None:
    product = paper_product("P2")
    starch = material("STARCH")
    bom(product, starch, "0.02")
    price(supplier("CH", lead=5), starch, "3000")
    order = order_for(staff["clerk"], product, quantity="30")
    url = reverse("purchasing:plan", args=[order.number])
    page = client(staff["gm"]).get(url)
    assert page.status_code == 200
    assert 'data-material="STARCH"' in page.content.decode()
    response = client(staff["gm"]).post(url, {f"supplier_{starch.pk}": ""})
    assert response.status_code == 302
    assert PurchaseOrder.objects.filter(order=order, supplier__code="CH").exists()


def test_plan_page_refuses_commit_by_non_buyers(staff, po) -> None:
    url = reverse("purchasing:plan", args=[po.order.number])
    assert client(staff["clerk"]).post(url, {}).status_code == 403


def test_incident_pages(staff, po) -> None:
    response = client(staff["buyer"]).post(
        reverse("purchasing:incident_create"),
        {
            "supplier": po.supplier_id,
            "purchase_order": po.pk,
            "kind": IncidentKind.DELAY,
            "description": "Late at port",
        },
    )
    assert response.status_code == 302
    incident = SupplierIncident.objects.get()
    detail = reverse("purchasing:incident", args=[incident.pk])
    assert client(staff["clerk"]).get(detail).status_code == 200
    assert client(staff["outsider"]).get(detail).status_code == 404
    response = client(staff["buyer"]).post(
        reverse("purchasing:incident_escalate", args=[incident.pk]), {"note": "urgent"}
    )
    assert response.status_code == 302
    assert client(staff["outsider"]).get(reverse("purchasing:incident_create")).status_code == 403


def test_incident_without_order_is_hidden_from_non_procurement(staff, po) -> None:
    incident = report_supplier_incident(
        supplier=po.supplier, user=staff["buyer"], kind=IncidentKind.OTHER, description="x"
    )
    url = reverse("purchasing:incident", args=[incident.pk])
    assert client(staff["buyer"]).get(url).status_code == 200
    assert client(staff["clerk"]).get(url).status_code == 404


def test_master_data_pages(staff, po) -> None:
    c = client(staff["clerk"])
    for url in (
        reverse("purchasing:suppliers"),
        reverse("purchasing:supplier", args=[po.supplier_id]),
        reverse("purchasing:materials"),
        reverse("purchasing:material", args=[po.lines.get().material_id]),
        reverse("purchasing:late"),
        reverse("purchasing:incidents"),
    ):
        assert c.get(url).status_code == 200, url


def test_late_page_lists_late_lines(staff, po) -> None:
    page = client(staff["buyer"]).get(reverse("purchasing:late")).content.decode()
    assert po.number in page
    assert (
        po.number not in client(staff["outsider"]).get(reverse("purchasing:late")).content.decode()
    )


def test_purchase_order_list_query_count(staff, po, django_assert_max_num_queries) -> None:
    c = client(staff["buyer"])
    with django_assert_max_num_queries(12):
        assert c.get(reverse("purchasing:list")).status_code == 200
