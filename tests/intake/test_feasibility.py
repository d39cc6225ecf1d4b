"""I6: the first delivery estimate (lead time plus backlog) behind a replaceable interface."""

import datetime as dt
from decimal import Decimal

import pytest

from gendan.catalog.models import ProductLine
from gendan.intake.feasibility import (
    Feasibility,
    LeadTimeBacklogChecker,
    _checker_class,
    get_checker,
)
from gendan.intake.models import LineCapacity
from gendan.orders.actions import create_order, transition_order
from gendan.workdays.calendar import add_working_days
from tests.factories import ProductFactory, order_header

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)  # a Monday far from the big holidays


def order_of(users, tons: str, *, requested: dt.date, product=None, submit: bool = False):
    order = create_order(
        user=users["clerk"],
        header=order_header(requested_date=requested),
        lines=[
            {
                "product": product or ProductFactory(),
                "grammage": 120,
                "width_mm": 1600,
                "quantity": Decimal(tons),
                "unit": "t",
                "unit_price": Decimal("3150"),
            }
        ],
    )
    if submit:
        order = transition_order(order=order, name="submit", user=users["clerk"])
    return order


def test_lead_time_plus_own_production_days(users) -> None:
    order = order_of(users, "30", requested=dt.date(2026, 12, 31))
    result = LeadTimeBacklogChecker(today=TODAY).check(order)
    # 15 working days lead time + ceil(30 t / 300 t a day) = 16 working days
    assert result.earliest_date == add_working_days(TODAY, 16)
    assert result.holds
    assert "15 working days standard lead time on Corrugating medium plus 1 working days" in (
        result.reason
    )


def test_backlog_on_the_same_line_pushes_the_date(users) -> None:
    product = ProductFactory()
    far = dt.date(2026, 12, 31)
    order_of(users, "600", requested=far, product=product, submit=True)  # queued: 600 t
    order_of(users, "900", requested=far, product=product)  # a draft: not queued
    order = order_of(users, "30", requested=far, product=product)
    result = LeadTimeBacklogChecker(today=TODAY).check(order)
    assert result.earliest_date == add_working_days(TODAY, 15 + 3)  # ceil(630 / 300)
    assert "600 t queued and 30 t of this order at 300 t/day" in result.reason


def test_line_capacity_setting_is_used(users) -> None:
    order = order_of(users, "250", requested=dt.date(2026, 12, 31))
    LineCapacity.objects.create(product_line=ProductLine.objects.get(), daily_tons=Decimal("50"))
    result = LeadTimeBacklogChecker(today=TODAY).check(order)
    assert result.earliest_date == add_working_days(TODAY, 15 + 5)


def test_requested_date_before_the_earliest_does_not_hold(users) -> None:
    earliest = add_working_days(TODAY, 16)
    on_time = order_of(users, "30", requested=earliest)
    late = order_of(users, "30", requested=earliest - dt.timedelta(days=1))
    checker = LeadTimeBacklogChecker(today=TODAY)
    assert checker.check(on_time).holds
    result = checker.check(late)
    assert not result.holds
    assert result.reason.endswith(f"the requested {late.requested_date} does not hold.")


class AlwaysOnTime:
    """A stand-in for the scheduling engine's capable-to-promise checker."""

    def check(self, order) -> Feasibility:
        return Feasibility(order.requested_date, True, "engine says yes")


def test_the_checker_is_chosen_by_a_setting(settings, order) -> None:
    settings.GENDAN = {
        **settings.GENDAN,
        "FEASIBILITY_CHECKER": "tests.intake.test_feasibility.AlwaysOnTime",
    }
    _checker_class.cache_clear()
    assert get_checker().check(order).reason == "engine says yes"
    settings.GENDAN = {k: v for k, v in settings.GENDAN.items() if k != "FEASIBILITY_CHECKER"}
    assert isinstance(get_checker(), LeadTimeBacklogChecker)
