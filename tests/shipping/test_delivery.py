"""Delivery (E7): the signed delivery note (who signed, when, the scan filed), discrepancies
and their feedback to sales, the order delivered, and the settlement request to finance."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gendan.core.errors import Blocked, NotPermitted
from gendan.documents.models import Category, Document
from gendan.ledger.models import LedgerEntry
from gendan.notifications.models import Notification
from gendan.orders.status import Status
from gendan.shipping.actions import (
    receive_settlement,
    report_discrepancy,
    request_settlement,
    resolve_discrepancy,
)
from gendan.shipping.guards import (
    discrepancies_resolved,
    settlement_requested,
)
from gendan.shipping.models import DeliveryState, Discrepancy, SettlementState
from gendan.tasks.models import Task, TaskState
from tests.shipping.helpers import D, dispatch, goods_in_stock, move, notice, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(world):
    """All 30 t shipped in two shipments (12 t + 18 t): the order is shipped."""
    goods_in_stock(world)
    yesterday = timezone.now() - dt.timedelta(days=1)
    first = dispatch(world, notice(world, {1: "12"}), shipped_at=yesterday)
    second = dispatch(world, notice(world, {1: "18"}), shipped_at=yesterday)
    assert move(world, "ship").status == Status.SHIPPED
    return world, first, second


def test_sign_off_files_the_signed_note_with_who_and_when(shipped) -> None:
    world, first, _second = shipped
    when = timezone.now() - dt.timedelta(hours=2)
    note = sign(world, first, signed_by_name="王经理", signed_at=when, remarks="卸货完好")
    assert note.state == DeliveryState.SIGNED
    assert (note.signed_by_name, note.signed_at, note.recorded_by) == ("王经理", when, world.clerk)
    assert note.received_on == timezone.localtime(when).date()
    document = note.signed_document
    assert document.category == Category.DELIVERY_LIST
    assert document.file.read() == b"%PDF-1.4\n% signed delivery note\n"
    assert document.source == f"shipping.deliverynote:{note.pk}"
    entry = LedgerEntry.objects.get(order=world.order, data__event="delivery_signed")
    assert entry.data["signed_by"] == "王经理" and entry.data["step"] == "delivery"


def test_the_order_is_delivered_once_every_note_is_signed(shipped) -> None:
    world, first, second = shipped
    sign(world, first)
    with pytest.raises(Blocked) as refused:
        move(world, "deliver")
    assert second.delivery_note.number in str(refused.value)
    sign(world, second)
    assert world.fresh().status == Status.SHIPPED  # signing itself moves nothing
    assert move(world, "deliver", user="clerk").status == Status.DELIVERED


def test_open_discrepancies_keep_the_customer_from_accepting(shipped) -> None:
    world, first, second = shipped
    found = sign(world, first, discrepancies=[{"kind": "damaged", "description": "破损"}])
    sign(world, second)
    move(world, "deliver")
    with pytest.raises(Blocked):
        move(world, "accept", user="clerk")
    resolve_discrepancy(
        discrepancy=found.discrepancies.get(), user=world.clerk, resolution="客户同意让价"
    )
    assert move(world, "accept", user="clerk").status == Status.ACCEPTED
    with pytest.raises(Blocked):
        move(world, "request_closure", user="clerk")
    request_settlement(order=world.order, user=world.clerk)
    assert move(world, "request_closure", user="clerk").status == Status.CLOSING


def test_a_note_is_signed_once_and_needs_a_real_scan(shipped) -> None:
    world, first, _second = shipped
    fake = SimpleUploadedFile("signed.pdf", b"not a pdf", "application/pdf")
    with pytest.raises(Blocked) as refused:
        sign(world, first, file=fake, signed_by_name=" ")
    assert set(refused.value.fields) == {"file", "signed_by_name"}
    with pytest.raises(Blocked) as refused:
        sign(world, first, signed_at=timezone.now() + dt.timedelta(days=1))
    assert "signed_at" in refused.value.fields
    sign(world, first)
    with pytest.raises(Blocked):
        sign(world, first)
    assert Document.objects.filter(source__startswith="shipping.deliverynote").count() == 3


def test_discrepancies_go_to_the_clerk_as_tasks_and_feedback(
    shipped, django_capture_on_commit_callbacks
) -> None:
    world, first, _second = shipped
    with django_capture_on_commit_callbacks(execute=True):
        note = sign(
            world,
            first,
            user=world.staff["sales_head"],
            discrepancies=[
                {"kind": "damaged", "line": 1, "quantity": "1.5", "description": "两卷破损受潮"},
                {"kind": "documents", "description": "合格证缺少批号"},
            ],
        )
    assert note.state == DeliveryState.SIGNED_WITH_DISCREPANCIES
    damaged, papers = Discrepancy.objects.order_by("pk")
    assert (damaged.order_line.position, damaged.quantity) == (1, D("1.5"))
    assert papers.order_line is None
    for discrepancy in (damaged, papers):
        assert discrepancy.task.assignee == world.clerk
        assert discrepancy.task.state == TaskState.OPEN
    messages = list(
        Notification.objects.filter(user=world.clerk, message__contains=note.number)
        .order_by("pk")
        .values_list("message", flat=True)
    )
    assert len(messages) == 3  # a task per discrepancy, and the feedback on the delivery
    assert any("王经理" in m and "2 discrepancies" in m for m in messages)
    assert discrepancies_resolved(world.fresh(), world.clerk) is not None


def test_a_discrepancy_quantity_cannot_exceed_what_was_delivered(shipped) -> None:
    world, first, _second = shipped
    with pytest.raises(Blocked) as refused:
        sign(
            world,
            first,
            discrepancies=[{"kind": "short", "line": 1, "quantity": "13", "description": "短少"}],
        )
    assert "discrepancies" in refused.value.fields
    assert first.delivery_note.state == DeliveryState.AWAITING


def test_later_discrepancies_and_their_resolution(shipped) -> None:
    world, first, _second = shipped
    sign(world, first)
    found = report_discrepancy(
        delivery_note=first.delivery_note,
        user=world.clerk,
        kind="quality",
        description="客户检验：耐破指数偏低",
        line=1,
        quantity="2",
    )
    first.delivery_note.refresh_from_db()
    assert first.delivery_note.state == DeliveryState.SIGNED_WITH_DISCREPANCIES
    with pytest.raises(NotPermitted):
        resolve_discrepancy(
            discrepancy=found, user=world.staff["logistics_reviewer"], resolution="x"
        )
    resolved = resolve_discrepancy(discrepancy=found, user=world.clerk, resolution="让价 2%")
    assert resolved.is_resolved and Task.objects.get(pk=found.task.pk).state == TaskState.DONE
    assert discrepancies_resolved(world.fresh(), world.clerk) is None


def test_only_sales_records_the_sign_off(shipped) -> None:
    world, first, _second = shipped
    for name in ("other_clerk", "logistics_reviewer", "finance_reviewer", "auditor"):
        with pytest.raises(NotPermitted):
            sign(world, first, user=world.staff[name])
    assert first.delivery_note.state == DeliveryState.AWAITING


def test_settlement_request_goes_to_finance_with_the_amounts(shipped) -> None:
    world, first, second = shipped
    with pytest.raises(Blocked):
        request_settlement(order=world.order, user=world.clerk)
    sign(
        world,
        first,
        discrepancies=[{"kind": "short", "line": 1, "quantity": "1", "description": "短少一吨"}],
    )
    settlement = request_settlement(order=world.order, user=world.clerk, note="请开票")
    unit_price = world.line().unit_price
    assert settlement.amount == (D("12") * unit_price).quantize(D("0.01"))
    assert settlement.disputed_amount == unit_price
    assert list(settlement.delivery_notes.all()) == [first.delivery_note]
    task = settlement.task
    assert task.department.code == "finance" and task.state == TaskState.OPEN
    assert "DN-" in settlement_requested(world.fresh(), world.clerk)  # the second is unsigned
    sign(world, second)
    request_settlement(order=world.order, user=world.clerk)
    assert settlement_requested(world.fresh(), world.clerk) is None
    entry = LedgerEntry.objects.filter(order=world.order, data__event="settlement_requested")
    assert entry.count() == 2


def test_finance_receives_settlement_requests(shipped) -> None:
    world, first, _second = shipped
    sign(world, first)
    settlement = request_settlement(order=world.order, user=world.clerk)
    for name in ("clerk", "logistics_reviewer", "auditor"):
        with pytest.raises(NotPermitted):
            receive_settlement(settlement=settlement, user=world.staff[name])
    received = receive_settlement(
        settlement=settlement, user=world.staff["finance_reviewer"], note="已开票 No. 0012"
    )
    assert received.state == SettlementState.RECEIVED
    assert received.received_by == world.staff["finance_reviewer"]
    assert Task.objects.get(pk=settlement.task.pk).state == TaskState.DONE
    with pytest.raises(Blocked):
        receive_settlement(settlement=settlement, user=world.staff["finance_reviewer"])


def test_finance_sees_the_order_once_a_settlement_is_requested(shipped) -> None:
    from gendan.orders.models import Order

    world, first, _second = shipped
    finance = world.staff["finance_reviewer"]
    assert not Order.objects.for_user(finance).filter(pk=world.order.pk).exists()
    sign(world, first)
    request_settlement(order=world.order, user=world.clerk)
    assert Order.objects.for_user(finance).filter(pk=world.order.pk).exists()
