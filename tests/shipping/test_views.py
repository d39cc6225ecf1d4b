"""The shipping pages: each step through its form, refusals shown beside the fields, and who
may see and do what (404 for the unseen, 403 for what is not theirs to do)."""

import datetime as dt

import pytest
from django.utils import timezone

from gendan.orders.status import Status
from gendan.shipping.models import DeliveryState, Shipment, ShippingNotice
from gendan.warehouse.stock import available_to_ship
from tests.shipping.helpers import DISPATCH, D, dispatch, goods_in_stock, notice, scan

pytestmark = pytest.mark.django_db


def _dispatch_post(notice_number: str, **extra: str) -> dict[str, object]:
    data: dict[str, object] = {k: v for k, v in DISPATCH.items() if k != "checked"}
    data.update({"checked": "on", **extra})
    return data


def test_sales_issues_a_notice_from_the_order_page(world, client_for) -> None:
    client = client_for("clerk")
    page = client.get(f"/shipping/orders/{world.order.number}/")
    assert page.status_code == 200 and 'id="notice-form"' in page.content.decode()
    day = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    response = client.post(
        f"/shipping/orders/{world.order.number}/notice/", {"ship_on": day, "line_1": "10"}
    )
    sent = ShippingNotice.objects.get()
    assert response.status_code == 302 and response["Location"] == sent.get_absolute_url()
    assert sent.lines.get().quantity == D("10")


def test_a_notice_over_the_line_is_shown_beside_the_line(world, client_for) -> None:
    response = client_for("clerk").post(
        f"/shipping/orders/{world.order.number}/notice/",
        {"ship_on": timezone.localdate().isoformat(), "line_1": "40"},
    )
    assert response.status_code == 409
    assert "id_line_1_errors" in response.content.decode()
    assert not ShippingNotice.objects.exists()


def test_logistics_does_not_see_the_notice_form_and_may_not_post_it(world, client_for) -> None:
    notice(world, {1: "5"})  # routes the order to logistics
    client = client_for("logistics_reviewer")
    assert (
        'id="notice-form"'
        not in client.get(f"/shipping/orders/{world.order.number}/").content.decode()
    )
    response = client.post(
        f"/shipping/orders/{world.order.number}/notice/",
        {"ship_on": timezone.localdate().isoformat(), "line_1": "5"},
    )
    assert response.status_code == 403
    assert ShippingNotice.objects.count() == 1


def test_logistics_dispatches_from_the_notice_page(world, client_for) -> None:
    goods_in_stock(world)
    sent = notice(world, {1: "30"})
    client = client_for("logistics_reviewer")
    assert 'id="dispatch-form"' in client.get(sent.get_absolute_url()).content.decode()
    response = client.post(
        f"/shipping/notices/{sent.number}/dispatch/", _dispatch_post(sent.number, line_1="30")
    )
    shipment = Shipment.objects.get()
    assert response.status_code == 302 and response["Location"] == shipment.get_absolute_url()
    page = client.get(shipment.get_absolute_url()).content.decode()
    assert shipment.delivery_note.number in page and "KF-778812" in page
    assert "Every line is shipped" in page  # the message after dispatch
    order_page = client.get(f"/shipping/orders/{world.order.number}/").content.decode()
    assert 'data-step="ship"' in order_page
    response = client.post(
        f"/orders/{world.order.number}/transition/",
        {"name": "ship", "version": world.fresh().version},
    )
    assert world.fresh().status == Status.SHIPPED


def test_uninspected_goods_are_refused_on_the_page(world, client_for) -> None:
    from tests.shipping.helpers import produce

    produce(world)  # made, not inspected, not in the warehouse
    sent = notice(world, {1: "30"})
    response = client_for("logistics_reviewer").post(
        f"/shipping/notices/{sent.number}/dispatch/", _dispatch_post(sent.number, line_1="30")
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "id_line_1_errors" in body and "await final inspection" in body
    assert not Shipment.objects.exists()
    assert world.fresh().status == Status.IN_EXECUTION


def test_sales_may_not_dispatch(world, client_for) -> None:
    goods_in_stock(world)
    sent = notice(world, {1: "30"})
    response = client_for("clerk").post(
        f"/shipping/notices/{sent.number}/dispatch/", _dispatch_post(sent.number, line_1="30")
    )
    assert response.status_code == 403
    assert available_to_ship(world.line()) == D("30")


def test_sales_uploads_the_signed_note_on_the_shipment_page(world, client_for) -> None:
    goods_in_stock(world)
    shipment = dispatch(world, notice(world), shipped_at=timezone.now() - dt.timedelta(days=1))
    client = client_for("clerk")
    assert 'id="sign-off-form"' in client.get(shipment.get_absolute_url()).content.decode()
    response = client.post(
        f"/shipping/shipments/{shipment.number}/sign-off/",
        {
            "signed_by_name": "王经理",
            "signed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "file": scan(),
            "d1_kind": "damaged",
            "d1_line": "1",
            "d1_quantity": "1",
            "d1_description": "一卷破损",
        },
    )
    assert response.status_code == 302
    note = Shipment.objects.get().delivery_note
    assert note.state == DeliveryState.SIGNED_WITH_DISCREPANCIES
    assert note.discrepancies.get().quantity == D("1")
    assert world.fresh().status == Status.IN_EXECUTION


def test_the_unseen_answer_404(world, client_for) -> None:
    goods_in_stock(world)
    shipment = dispatch(world, notice(world, {1: "10"}))
    for name in ("other_clerk", "outsider", "technical_reviewer"):
        client = client_for(name)
        for url in (
            f"/shipping/orders/{world.order.number}/",
            shipment.notice.get_absolute_url(),
            shipment.get_absolute_url(),
        ):
            assert client.get(url).status_code == 404, (name, url)


def test_the_lists_show_only_what_the_user_sees(world, client_for) -> None:
    goods_in_stock(world)
    sent = notice(world, {1: "10"})
    assert sent.number in client_for("logistics_reviewer").get("/shipping/").content.decode()
    assert sent.number not in client_for("other_clerk").get("/shipping/").content.decode()
    dispatch(world, sent)
    deliveries = client_for("clerk").get("/shipping/deliveries/").content.decode()
    assert "DN-" in deliveries
    assert "DN-" not in client_for("outsider").get("/shipping/deliveries/").content.decode()


def test_the_list_pages_use_few_queries(world, client_for, django_assert_max_num_queries) -> None:
    goods_in_stock(world)
    for _ in range(3):
        dispatch(world, notice(world, {1: "5"}))
        notice(world, {1: "1"})
    client = client_for("gm")
    for url in ("/shipping/", "/shipping/deliveries/", "/shipping/settlements/"):
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200


def test_the_order_page_panel_shows_what_is_shipped(world, django_assert_max_num_queries) -> None:
    from django.template.loader import render_to_string

    goods_in_stock(world)
    dispatch(world, notice(world, {1: "12"}))
    notice(world, {1: "5"})
    with django_assert_max_num_queries(8):
        html = render_to_string("shipping/_order_panel.html", {"order": world.fresh()})
    assert "12 / 30" in html and f"/shipping/orders/{world.order.number}/" in html
    assert "1 notices waiting to ship · 1 delivery notes awaiting signature" in html


def test_finance_receives_a_settlement_request_from_its_list(world, client_for) -> None:
    from gendan.shipping.actions import request_settlement
    from gendan.shipping.models import SettlementState
    from tests.shipping.helpers import sign

    goods_in_stock(world)
    shipment = dispatch(world, notice(world), shipped_at=timezone.now() - dt.timedelta(days=1))
    sign(world, shipment)
    settlement = request_settlement(order=world.order, user=world.clerk)
    assert (
        settlement.number
        not in client_for("other_clerk").get("/shipping/settlements/").content.decode()
    )
    finance = client_for("finance_reviewer")
    listed = finance.get("/shipping/settlements/").content.decode()
    assert (
        settlement.number in listed
        and f"/shipping/settlements/{settlement.number}/receive/" in listed
    )
    assert (
        client_for("clerk")
        .post(f"/shipping/settlements/{settlement.number}/receive/", {})
        .status_code
        == 403
    )
    response = finance.post(
        f"/shipping/settlements/{settlement.number}/receive/", {"note": "已开票"}
    )
    assert response.status_code == 302
    settlement.refresh_from_db()
    assert settlement.state == SettlementState.RECEIVED and settlement.finance_note == "已开票"
