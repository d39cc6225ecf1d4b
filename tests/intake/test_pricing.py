"""I5: quoted price against list price and estimated cost; a low margin needs finance."""

from decimal import Decimal

import pytest

from gendan.core.errors import Blocked, NotPermitted
from gendan.intake import actions
from gendan.intake.models import IntakeSettings, ProductCost
from gendan.intake.pricing import price_check
from gendan.orders.actions import create_order, transition_order, update_order
from gendan.orders.status import Status
from gendan.tasks.models import Task, TaskState
from tests.factories import ProductFactory, order_header

pytestmark = pytest.mark.django_db


def order_at(users, price: str, *, product=None, unit: str = "t", quantity: str = "10"):
    product = product or ProductFactory()  # list ¥3,200, standard cost ¥2,700 per t
    return create_order(
        user=users["clerk"],
        header=order_header(),
        lines=[
            {
                "product": product,
                "grammage": 120,
                "width_mm": 1600,
                "quantity": Decimal(quantity),
                "unit": unit,
                "unit_price": Decimal(price),
            }
        ],
    )


def test_factory_order_has_a_healthy_margin(order) -> None:
    check = price_check(order)
    line = check.lines[0]
    assert (line.discount_pct, line.margin_pct) == (Decimal("1.6"), Decimal("14.3"))
    assert line.unit_cost == Decimal("2700.00")
    assert line.cost_parts == {
        "material": Decimal("1755.00"),
        "labour": Decimal("270.00"),
        "energy": Decimal("486.00"),
        "transport": Decimal("189.00"),
    }
    assert not check.flagged and check.margin_pct == Decimal("14.3")


def test_margin_exactly_at_the_threshold_is_not_flagged(users) -> None:
    assert not price_check(order_at(users, "3000")).flagged  # (3000-2700)/3000 = 10.0%


def test_margin_below_the_threshold_is_flagged_in_words(users) -> None:
    check = price_check(order_at(users, "2990"))  # 9.7%
    assert check.flagged
    assert check.problems == [
        "Line 1: margin 9.7% is below the 10% threshold (¥2,990 quoted, ¥2,700 estimated "
        "cost per ton)"
    ]


def test_discount_beyond_the_allowed_share_is_flagged(users) -> None:
    IntakeSettings.load()
    IntakeSettings.objects.update(min_margin_pct=Decimal("0"))
    assert not price_check(order_at(users, "2720")).flagged  # 15.0% off the list price
    check = price_check(order_at(users, "2716"))  # 15.1%
    assert check.problems == [
        "Line 1: 15.1% below the list price ¥3,200 (more than the 15% allowed)"
    ]


def test_cost_breakdown_of_the_product_replaces_the_standard_cost(users) -> None:
    product = ProductFactory()
    ProductCost.objects.create(
        product=product,
        material=Decimal("2100"),
        labour=Decimal("300"),
        energy=Decimal("400"),
        transport=Decimal("100"),
    )
    check = price_check(order_at(users, "3150", product=product))
    assert check.lines[0].unit_cost == Decimal("2900")
    assert check.lines[0].margin_pct == Decimal("7.9")
    assert check.flagged


def test_free_line_and_unit_mismatch_cannot_be_judged_and_are_flagged(users) -> None:
    check = price_check(order_at(users, "0"))
    assert check.problems == ["Line 1 is priced at ¥0"]
    check = price_check(order_at(users, "3150", unit="ream"))
    assert check.flagged and check.lines[0].margin_pct is None
    assert "finance must judge its margin" in check.problems[0]


def test_low_margin_order_needs_finance_before_passing_intake(users, finance) -> None:
    order = order_at(users, "2900")
    order = transition_order(order=order, name="submit", user=users["clerk"])
    task = Task.objects.get(order=order, kind="margin_check")
    with pytest.raises(Blocked) as refused:
        transition_order(order=order, name="approve_intake", user=users["sales_head"])
    assert refused.value.messages[0].startswith(
        "Finance must confirm the price: Line 1: margin 6.9% is below the 10% threshold"
    )

    with pytest.raises(NotPermitted):
        actions.confirm_margin(order=order, user=users["sales_head"], note="ok")
    with pytest.raises(Blocked) as refused:
        actions.confirm_margin(order=order, user=finance, note=" ")
    assert "note" in refused.value.fields

    actions.confirm_margin(order=order, user=finance, note="Key account, volume next quarter")
    task.refresh_from_db()
    assert task.state == TaskState.DONE
    entry = order.ledger.get(summary__startswith="Finance confirmed the price")
    assert "Key account" in entry.body
    order = transition_order(order=order, name="approve_intake", user=users["sales_head"])
    assert order.status == Status.DEPARTMENT_REVIEW


def test_a_price_change_after_confirmation_asks_finance_again(users, finance) -> None:
    order = order_at(users, "2900")
    actions.confirm_margin(order=order, user=finance, note="accepted at 2,900")
    order = transition_order(order=order, name="submit", user=users["clerk"])
    order.refresh_from_db()
    lines = [
        {
            "product": ln.product,
            "grammage": ln.grammage,
            "width_mm": ln.width_mm,
            "quantity": ln.quantity,
            "unit": ln.unit,
            "unit_price": Decimal("2850"),
        }
        for ln in order.lines.all()
    ]
    order = update_order(
        order=order, user=users["clerk"], expected_version=order.version, header={}, lines=lines
    )
    with pytest.raises(Blocked):
        transition_order(order=order, name="approve_intake", user=users["sales_head"])


def test_confirming_prices_that_need_nothing_is_refused(users, finance, order) -> None:
    with pytest.raises(Blocked) as refused:
        actions.confirm_margin(order=order, user=finance, note="fine")
    assert refused.value.messages == ["The order's prices need no confirmation."]


def test_revised_prices_withdraw_finances_open_task(users) -> None:
    order = order_at(users, "2900")
    order = transition_order(order=order, name="submit", user=users["clerk"])
    order = transition_order(
        order=order, name="return_to_draft", user=users["sales_head"], reason="price"
    )
    line = order.lines.get()
    order = update_order(
        order=order,
        user=users["clerk"],
        expected_version=order.version,
        header={},
        lines=[
            {
                "product": line.product,
                "grammage": 120,
                "width_mm": 1600,
                "quantity": line.quantity,
                "unit": "t",
                "unit_price": Decimal("3150"),
            }
        ],
    )
    transition_order(order=order, name="submit", user=users["clerk"])
    task = Task.objects.get(order=order, kind="margin_check")
    assert task.state == TaskState.CANCELLED
    assert task.outcome == "The revised prices need no confirmation."
