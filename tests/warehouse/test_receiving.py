"""Finished goods reach the warehouse only from a passed final inspection, checked against
the work order; nonconforming or uninspected goods are refused by the action, the page and
the API, and so are they at shipping (`issue_for_shipment`)."""

from decimal import Decimal

import pytest

from gendan.core.errors import Blocked, NotPermitted
from gendan.ledger.models import LedgerEntry
from gendan.production.actions import report_progress
from gendan.quality.actions import decide_nonconformance, inspect_final
from gendan.quality.models import Disposition, Stage
from gendan.warehouse.actions import receive_finished_goods
from gendan.warehouse.models import FinishedGoodsReceipt, LineStock
from gendan.warehouse.stock import available_to_ship, issue_for_shipment
from tests.quality.helpers import good_values

pytestmark = pytest.mark.django_db
D = Decimal
SPEC = "120 g/m², width 2,200 mm, core 76 mm"


@pytest.fixture
def wound(released):
    """Both operations finished: 30 t of finished goods, none inspected yet."""
    for wo in (released["paper"], released["winding"]):
        report_progress(
            work_order=wo,
            user=released["leader"],
            good_quantity="30",
            hours="3",
            finished=True,
            delay_cause="process",
            note="started late",
        )
    released["winding"].refresh_from_db()
    return released


def _final(staff, wound, quantity, burst="2.3"):
    values = good_values(wound["standards"], Stage.FINAL)
    values[wound["standards"]["burst"].pk] = burst
    return inspect_final(
        work_order=wound["winding"],
        user=staff["quality_reviewer"],
        values=values,
        quantity=quantity,
    )


def _receive(staff, wound, quantity, **extra):
    values = {"product": wound["product"], "specification": SPEC, **extra}
    return receive_finished_goods(
        work_order=wound["winding"],
        user=staff["logistics_reviewer"],
        quantity=quantity,
        **values,
    )


def test_passed_goods_are_received_and_can_be_shipped(staff, wound) -> None:
    inspection = _final(staff, wound, "20")
    receipts = _receive(staff, wound, "20", location="A-01")
    assert [(r.inspection, r.quantity) for r in receipts] == [(inspection, D("20"))]
    assert available_to_ship(wound["line"]) == D("20")
    entry = LedgerEntry.objects.get(order=wound["order"], data__event="finished_goods_received")
    assert entry.data["step"] == "warehouse"
    assert entry.data["planned"] == "30.000"
    issue_for_shipment(
        order_line=wound["line"], quantity=D("15"), user=staff["gm"], reference="SH-2026-1"
    )
    assert available_to_ship(wound["line"]) == D("5")


def test_uninspected_goods_are_refused_with_the_reason(staff, wound) -> None:
    _final(staff, wound, "20")
    with pytest.raises(Blocked) as refused:
        _receive(staff, wound, "25")
    message = refused.value.fields["quantity"][0]
    assert "Only 20" in message and "10" in message and "await final inspection" in message
    assert not FinishedGoodsReceipt.objects.exists()
    assert available_to_ship(wound["line"]) == 0


def test_nonconforming_goods_are_refused_at_warehouse_and_shipping(staff, wound) -> None:
    failed = _final(staff, wound, "30", burst="1.8")
    nc = failed.nonconformance
    with pytest.raises(Blocked) as refused:
        _receive(staff, wound, "1")
    assert nc.number in refused.value.fields["quantity"][0]
    assert "quarantined" in refused.value.fields["quantity"][0]
    with pytest.raises(Blocked) as at_shipping:
        issue_for_shipment(
            order_line=wound["line"], quantity=D("1"), user=staff["gm"], reference="SH-1"
        )
    assert nc.number in at_shipping.value.fields["quantity"][0]
    assert not LineStock.objects.filter(received_quantity__gt=0).exists()
    # scrapped goods never become receivable
    decide_nonconformance(
        nonconformance=nc,
        user=staff["quality_reviewer"],
        disposition=Disposition.SCRAP,
        cause="Weak fibre",
        corrective_action="Refining raised",
    )
    with pytest.raises(Blocked):
        _receive(staff, wound, "1")


def test_conceded_goods_may_be_received(staff, wound) -> None:
    nc = _final(staff, wound, "30", burst="1.9").nonconformance
    decide_nonconformance(
        nonconformance=nc,
        user=staff["quality_head"],
        disposition=Disposition.CONCESSION,
        cause="Burst slightly low",
        corrective_action="Customer agreed; refining checked",
    )
    _receive(staff, wound, "30")
    assert available_to_ship(wound["line"]) == D("30")


def test_goods_are_checked_against_the_work_order(staff, wound) -> None:
    from tests.purchasing.helpers import paper_product

    _final(staff, wound, "30")
    with pytest.raises(Blocked) as refused:
        _receive(staff, wound, "10", product=paper_product("OTHER"), specification="80 g/m²")
    assert set(refused.value.fields) == {"product", "specification"}
    with pytest.raises(Blocked):  # not the last operation
        receive_finished_goods(
            work_order=wound["paper"],
            user=staff["logistics_reviewer"],
            product=wound["product"],
            specification=SPEC,
            quantity="10",
        )
    assert not FinishedGoodsReceipt.objects.exists()


def test_receipts_span_inspections_and_never_exceed_them(staff, wound) -> None:
    _final(staff, wound, "10")
    _final(staff, wound, "20")
    receipts = _receive(staff, wound, "25")
    assert [r.quantity for r in receipts] == [D("10"), D("15")]
    with pytest.raises(Blocked):
        _receive(staff, wound, "6")
    _receive(staff, wound, "5")
    assert available_to_ship(wound["line"]) == D("30")


@pytest.mark.parametrize("name", ["clerk", "quality_reviewer", "production_head", "auditor"])
def test_only_the_warehouse_receives(staff, wound, name) -> None:
    _final(staff, wound, "30")
    with pytest.raises(NotPermitted):
        receive_finished_goods(
            work_order=wound["winding"],
            user=staff[name],
            product=wound["product"],
            specification=SPEC,
            quantity="1",
        )


# --- the same refusals through the page and the API --------------------------------------------


def test_page_refuses_nonconforming_goods(staff, wound, client_for) -> None:
    nc = _final(staff, wound, "30", burst="1.8").nonconformance
    client = client_for("logistics_reviewer")
    url = f"/warehouse/wo/{wound['winding'].number}/receive/"
    page = client.get(url)
    assert page.status_code == 200
    answer = client.post(
        url, {"product": wound["product"].pk, "specification": SPEC, "quantity": "5"}
    )
    assert answer.status_code == 409
    assert nc.number in answer.content.decode()
    assert not FinishedGoodsReceipt.objects.exists()


def test_page_refuses_uninspected_goods_and_takes_in_passed_ones(staff, wound, client_for) -> None:
    client = client_for("logistics_reviewer")
    url = f"/warehouse/wo/{wound['winding'].number}/receive/"
    data = {"product": wound["product"].pk, "specification": SPEC, "quantity": "5"}
    refused = client.post(url, data)
    assert refused.status_code == 409
    assert "await final inspection" in refused.content.decode()
    _final(staff, wound, "30")
    taken = client.post(url, data)
    assert taken.status_code == 302
    assert available_to_ship(wound["line"]) == D("5")


def test_api_refuses_nonconforming_goods(staff, wound, client_for) -> None:
    nc = _final(staff, wound, "30", burst="1.8").nonconformance
    client = client_for("logistics_reviewer")
    answer = client.post(
        "/api/v1/warehouse-receipts/",
        {
            "work_order": wound["winding"].number,
            "product": wound["product"].code,
            "specification": SPEC,
            "quantity": "5",
        },
        content_type="application/json",
    )
    assert answer.status_code == 409
    assert nc.number in str(answer.json())
    assert not FinishedGoodsReceipt.objects.exists()


def test_api_takes_in_passed_goods_and_lists_stock(staff, wound, client_for) -> None:
    _final(staff, wound, "30")
    client = client_for("logistics_reviewer")
    answer = client.post(
        "/api/v1/warehouse-receipts/",
        {
            "work_order": wound["winding"].number,
            "product": wound["product"].code,
            "specification": SPEC,
            "quantity": "12",
        },
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()[0]["quantity"] == "12.000"
    stock = client.get("/api/v1/warehouse-stock/").json()
    rows = stock["results"] if isinstance(stock, dict) else stock
    assert rows[0]["received_quantity"] == "12.000" and rows[0]["planned"] == "30.000"


def test_api_bad_input_is_field_errors(staff, wound, client_for) -> None:
    client = client_for("logistics_reviewer")
    answer = client.post(
        "/api/v1/warehouse-receipts/",
        {"work_order": "WO-NONE", "product": "nope", "quantity": "x"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert {"product", "quantity"} <= set(answer.json().get("fields", answer.json()))


def test_outsider_does_not_see_receipts(staff, wound, client_for) -> None:
    _final(staff, wound, "30")
    receipt = _receive(staff, wound, "5")[0]
    assert client_for("outsider").get(f"/warehouse/receipts/{receipt.number}/").status_code == 404
    assert (
        client_for("outsider").get(f"/api/v1/warehouse-receipts/{receipt.number}/").status_code
        == 404
    )
    assert client_for("clerk").get(f"/warehouse/receipts/{receipt.number}/").status_code == 200
