"""Shipping (E6): partial shipments, the goods checked against the notice, the warehouse issue
in the same transaction, the printed certificate and delivery note, and the order's status."""

import pytest

from gendan.core.errors import Blocked, NotPermitted
from gendan.documents.models import Category, Document
from gendan.ledger.models import LedgerEntry
from gendan.orders.status import Status
from gendan.shipping.guards import fully_shipped
from gendan.shipping.models import DeliveryState, NoticeState, Shipment
from gendan.shipping.printing import filing_language, form_title
from gendan.tasks.models import Task, TaskState
from gendan.warehouse.stock import available_to_ship
from tests.shipping.helpers import D, dispatch, goods_in_stock, mill, move, notice

pytestmark = pytest.mark.django_db


def test_a_partial_shipment_leaves_the_order_in_execution(world) -> None:
    goods_in_stock(world)
    shipment = dispatch(world, notice(world, {1: "12"}))
    assert world.fresh().status == Status.IN_EXECUTION
    assert available_to_ship(world.line()) == D("18")
    assert [(sl.quantity, sl.noticed_quantity) for sl in shipment.lines.all()] == [
        (D("12"), D("12"))
    ]
    assert "line 1: 12 of 30" in fully_shipped(world.fresh(), world.clerk)


def test_the_order_ships_only_when_every_line_is_shipped(world) -> None:
    goods_in_stock(world)
    dispatch(world, notice(world, {1: "12"}))
    with pytest.raises(Blocked) as refused:
        move(world, "ship")
    assert "line 1: 12 of 30" in str(refused.value)
    assert world.fresh().status == Status.IN_EXECUTION
    dispatch(world, notice(world, {1: "18"}))
    assert world.fresh().status == Status.IN_EXECUTION  # shipping itself moves nothing
    assert fully_shipped(world.fresh(), world.clerk) is None
    assert move(world, "ship").status == Status.SHIPPED


def test_two_lines_ship_only_when_both_are_shipped(staff) -> None:
    world = mill(staff, lines=2)
    goods_in_stock(world, 1)
    goods_in_stock(world, 2)
    dispatch(world, notice(world, {1: "30"}))
    assert "line 2: 0 of 30" in fully_shipped(world.fresh(), world.clerk)
    dispatch(world, notice(world, {2: "30"}))
    assert move(world, "ship").status == Status.SHIPPED


def test_the_tolerance_counts_a_line_as_shipped(world) -> None:
    """Paper is made by the ton: 29.1 t of 30 t ±3 % completes the line, 29 t does not."""
    goods_in_stock(world, quantity="29.1")
    dispatch(world, notice(world, {1: "29"}))
    assert fully_shipped(world.fresh(), world.clerk) is not None
    dispatch(world, notice(world, {1: "0.1"}))
    assert move(world, "ship").status == Status.SHIPPED


def test_dispatch_files_the_certificate_and_the_delivery_note(world) -> None:
    goods_in_stock(world)
    shipment = dispatch(world, notice(world))
    note = shipment.delivery_note
    assert note.state == DeliveryState.AWAITING
    assert shipment.certificate.category == Category.DELIVERY_LIST
    assert shipment.certificate.content_type == "application/pdf"
    assert note.document.file.read().startswith(b"%PDF")
    titles = set(Document.objects.filter(order=world.order).values_list("title", flat=True))
    language = filing_language()
    assert f"{form_title('certificate', language)} {shipment.number}" in titles
    assert f"{form_title('delivery_note', language)} {note.number}" in titles


def test_dispatch_writes_the_ledger_and_closes_logistics_task(world) -> None:
    goods_in_stock(world)
    sent = notice(world, {1: "10"})
    assert sent.task.state == TaskState.OPEN and sent.task.department.code == "logistics"
    shipment = dispatch(world, sent)
    entry = LedgerEntry.objects.get(order=world.order, data__event="shipment_dispatched")
    assert entry.data["step"] == "shipping" and entry.data["shipment"] == shipment.number
    assert "KF-778812" in entry.summary and "苏E·12345" in entry.summary
    assert Task.objects.get(pk=sent.task.pk).state == TaskState.DONE
    sent.refresh_from_db()
    assert sent.state == NoticeState.SHIPPED


# --- goods against the notice ----------------------------------------------------------------


def test_more_than_the_notice_is_refused(world) -> None:
    goods_in_stock(world)
    sent = notice(world, {1: "10"})
    with pytest.raises(Blocked) as refused:
        dispatch(world, sent, quantities={1: "12"})
    assert "line_1" in refused.value.fields
    assert not Shipment.objects.exists()
    assert available_to_ship(world.line()) == D("30")


def test_less_than_the_notice_needs_a_note_saying_why(world) -> None:
    goods_in_stock(world)
    sent = notice(world, {1: "10"})
    with pytest.raises(Blocked) as refused:
        dispatch(world, sent, quantities={1: "8"})
    assert "check_note" in refused.value.fields
    shipment = dispatch(world, sent, quantities={1: "8"}, check_note="Two reels damp, held back")
    [line] = shipment.lines.all()
    assert not line.matches_notice and line.noticed_quantity == D("10")
    assert available_to_ship(world.line()) == D("22")


def test_goods_not_checked_against_the_notice_do_not_ship(world) -> None:
    goods_in_stock(world)
    sent = notice(world, {1: "10"})
    with pytest.raises(Blocked) as refused:
        dispatch(world, sent, checked=False)
    assert "checked" in refused.value.fields
    assert not Shipment.objects.exists()


def test_a_notice_ships_once(world) -> None:
    goods_in_stock(world)
    sent = notice(world, {1: "10"})
    dispatch(world, sent)
    with pytest.raises(Blocked):
        dispatch(world, sent)
    assert Shipment.objects.count() == 1


def test_nothing_ships_while_the_order_is_on_hold(world) -> None:
    from tests.purchasing.helpers import set_status

    goods_in_stock(world)
    sent = notice(world, {1: "10"})
    set_status(world.order, Status.ON_HOLD)
    with pytest.raises(Blocked):
        dispatch(world, sent)
    assert available_to_ship(world.line()) == D("30")


def test_only_logistics_ships(world) -> None:
    goods_in_stock(world)
    sent = notice(world, {1: "10"})
    for name in ("clerk", "sales_head", "production_head", "auditor"):
        with pytest.raises(NotPermitted):
            dispatch(world, sent, user=world.staff[name])
    assert dispatch(world, sent, user=world.staff["logistics_head"]).number


# --- nonconforming and uninspected goods (the action) ------------------------------------------


def test_uninspected_goods_are_refused_and_nothing_changes(world) -> None:
    from tests.shipping.helpers import inspect, produce, warehouse

    produce(world, quantity="30")
    inspect(world, quantity="10")
    warehouse(world, quantity="10")
    sent = notice(world, {1: "30"})
    before = LedgerEntry.objects.count()
    with pytest.raises(Blocked) as refused:
        dispatch(world, sent)
    message = " ".join(refused.value.fields["line_1"])
    assert "await final inspection" in message
    assert not Shipment.objects.exists()
    assert LedgerEntry.objects.count() == before
    assert available_to_ship(world.line()) == D("10")
    sent.refresh_from_db()
    assert sent.state == NoticeState.OPEN


def test_nonconforming_goods_are_refused(world) -> None:
    from tests.shipping.helpers import inspect, produce, warehouse

    produce(world, quantity="30")
    inspect(world, grammage="110", quarantine="12")
    warehouse(world, quantity="18")
    sent = notice(world, {1: "30"})
    with pytest.raises(Blocked) as refused:
        dispatch(world, sent)
    assert "quarantined" in " ".join(refused.value.fields["line_1"])
    assert not Shipment.objects.exists()
    assert available_to_ship(world.line()) == D("18")
    shipment = dispatch(world, sent, quantities={1: "18"}, check_note="12 t quarantined")
    assert shipment.lines.get().quantity == D("18")
