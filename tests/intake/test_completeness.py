"""I1 and I3: the written record of verbal orders, required items per order type, and the
guards that keep an incomplete order in draft (with what is missing, in words)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gendan.core.errors import Blocked, NotPermitted
from gendan.intake import actions
from gendan.intake.completeness import missing_items
from gendan.intake.models import IntakeSettings, OrderType
from gendan.ledger.models import Kind
from gendan.orders.actions import create_order, transition_order, update_order
from gendan.orders.status import Channel, Status
from tests.factories import ProductFactory, make_order, order_header

pytestmark = pytest.mark.django_db


def line(product, **overrides):
    values = {
        "product": product,
        "grammage": 120,
        "width_mm": 1600,
        "quantity": Decimal("10"),
        "unit": "t",
        "unit_price": Decimal("3150"),
    }
    values.update(overrides)
    return values


def test_the_factory_order_is_complete(order) -> None:
    assert missing_items(order) == []


def test_missing_items_are_named_line_by_line(users) -> None:
    product = ProductFactory()
    order = create_order(
        user=users["clerk"],
        header=order_header(delivery_place=" ", payment_terms=""),
        lines=[line(product), line(product, width_mm=None), line(product, grammage=None)],
    )
    assert missing_items(order) == [
        "The delivery place is missing",
        "The payment terms are missing",
        "Line 2 has no width or sheet size",
        "Line 3 has no grammage",
    ]


def test_a_sheet_size_in_the_specification_stands_for_the_width(users) -> None:
    order = create_order(
        user=users["clerk"],
        header=order_header(),
        lines=[line(ProductFactory(), width_mm=None, specification="787x1092 mm")],
    )
    assert missing_items(order) == []


def test_export_orders_require_more(users, order) -> None:
    export = OrderType.objects.get(code="export")
    actions.set_order_type(order=order, user=users["clerk"], order_type=export)
    assert missing_items(order) == [
        "The customer's reference is missing",
        "The quality requirements are missing",
        "Line 1 has no specification",
    ]
    entry = order.ledger.get(kind=Kind.CHANGED)
    assert entry.changes == {"order_type": ["标准订单", "出口订单"]}


def test_required_items_are_the_administrators_setting(users, order) -> None:
    OrderType.objects.filter(is_default=True).update(required_fields=["promised_date"])
    assert missing_items(order) == ["The promised delivery date is missing"]


def test_incomplete_order_cannot_be_submitted_and_says_why(users) -> None:
    order = create_order(
        user=users["clerk"],
        header=order_header(),
        lines=[line(ProductFactory(), width_mm=None)],
    )
    with pytest.raises(Blocked) as refused:
        transition_order(order=order, name="submit", user=users["clerk"])
    assert refused.value.messages == ["The order is incomplete: Line 1 has no width or sheet size."]
    order.refresh_from_db()
    assert order.status == Status.DRAFT and order.version == 1


def test_order_made_incomplete_in_intake_review_cannot_pass_it(users, order) -> None:
    order = transition_order(order=order, name="submit", user=users["clerk"])
    update_order(
        order=order,
        user=users["clerk"],
        expected_version=order.version,
        header={"payment_terms": ""},
    )
    with pytest.raises(Blocked) as refused:
        transition_order(order=order, name="approve_intake", user=users["sales_head"])
    assert "The payment terms are missing" in refused.value.messages[0]


def test_order_without_lines_is_refused_once_not_twice(users) -> None:
    order = create_order(user=users["clerk"], header=order_header(), lines=[])
    with pytest.raises(Blocked) as refused:
        transition_order(order=order, name="submit", user=users["clerk"])
    assert refused.value.messages == ["Add at least one order line."]


def test_inactive_type_cannot_be_chosen_and_strangers_cannot_choose(users, order) -> None:
    sample = OrderType.objects.get(code="sample")
    OrderType.objects.filter(pk=sample.pk).update(is_active=False)
    sample.refresh_from_db()
    with pytest.raises(Blocked):
        actions.set_order_type(order=order, user=users["clerk"], order_type=sample)
    with pytest.raises(NotPermitted):
        actions.set_order_type(
            order=order,
            user=users["other_clerk"],
            order_type=OrderType.objects.get(code="export"),
        )


# --- I1: verbal orders need their written record ---------------------------------------------


def test_verbal_order_stays_in_draft_until_its_record_is_typed_in(users) -> None:
    order = make_order(user=users["clerk"], channel=Channel.VERBAL)
    with pytest.raises(Blocked) as refused:
        transition_order(order=order, name="submit", user=users["clerk"])
    assert refused.value.messages == [
        "The order came in as “Verbal order”: attach its written record (upload it or type "
        "it in on the order's intake page)."
    ]
    actions.attach_written_record(
        order=order, user=users["clerk"], text="Phone call with Mr Li: 30 t CM 120 g/m²"
    )
    order = transition_order(order=order, name="submit", user=users["clerk"])
    assert order.status == Status.INTAKE_REVIEW


def test_uploaded_record_also_lets_a_verbal_order_go(users) -> None:
    order = make_order(user=users["clerk"], channel=Channel.VERBAL)
    intake = actions.attach_written_record(
        order=order,
        user=users["clerk"],
        file=SimpleUploadedFile("record.pdf", b"%PDF signed"),
    )
    assert intake.written_record_file.read() == b"%PDF signed"
    assert "record.pdf" in order.ledger.get(kind=Kind.SYSTEM).summary
    transition_order(order=order, name="submit", user=users["clerk"])


def test_empty_record_is_refused_on_its_field(users) -> None:
    order = make_order(user=users["clerk"], channel=Channel.VERBAL)
    with pytest.raises(Blocked) as refused:
        actions.attach_written_record(order=order, user=users["clerk"], text="   ")
    assert "text" in refused.value.fields


def test_phone_orders_need_no_record_unless_configured(users, order) -> None:
    IntakeSettings.load()
    IntakeSettings.objects.update(written_record_channels=[Channel.VERBAL, Channel.PHONE])
    with pytest.raises(Blocked):
        transition_order(order=order, name="submit", user=users["clerk"])
    IntakeSettings.objects.update(written_record_channels=[])
    transition_order(order=order, name="submit", user=users["clerk"])


def test_record_cannot_be_changed_after_intake(users, order) -> None:
    order = transition_order(order=order, name="submit", user=users["clerk"])
    order = transition_order(order=order, name="approve_intake", user=users["sales_head"])
    with pytest.raises(Blocked):
        actions.attach_written_record(order=order, user=users["clerk"], text="late")
