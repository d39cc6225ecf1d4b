"""Supplier proposal: lead time, price and rating, suppliers in time first."""

import datetime as dt
from decimal import Decimal

import pytest

from gendan.purchasing.models import Supplier
from gendan.purchasing.proposal import rank_suppliers
from tests.purchasing.helpers import material, price, supplier

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 6, 1)


@pytest.fixture
def pulp():
    mat = material("PULP")
    # A: slow, mid price, excellent; B: fast, dearer, average; C: medium, cheapest, good
    price(supplier("A", lead=30, rating="5"), mat, "100")
    price(supplier("B", lead=5, rating="3"), mat, "110")
    price(supplier("C", lead=10, rating="4"), mat, "90")
    return mat


def test_suppliers_are_ranked_by_weighted_score(pulp) -> None:
    ranked = rank_suppliers(pulp, today=MONDAY)
    assert [c.supplier.code for c in ranked] == ["B", "C", "A"]
    # B: 0.4·5/5 + 0.4·90/110 + 0.2·3/5 = 0.8473; C: 0.4·5/10 + 0.4 + 0.16 = 0.76;
    # A: 0.4·5/30 + 0.4·90/100 + 0.2 = 0.6267
    assert [c.score for c in ranked] == [Decimal("0.8473"), Decimal("0.7600"), Decimal("0.6267")]


def test_supplier_arriving_in_time_beats_a_better_score_arriving_late(pulp) -> None:
    # B's cheaper rival C arrives after 10 working days; make B too slow for the need date.
    pulp.supplier_prices.filter(supplier__code="B").update(lead_time_days=40)
    need_by = dt.date(2026, 6, 20)
    ranked = rank_suppliers(pulp, today=MONDAY, need_by=need_by)
    assert ranked[0].supplier.code == "C"
    assert [c.in_time for c in ranked] == [True, False, False]


def test_arrival_counts_working_days_on_the_company_calendar(pulp) -> None:
    ranked = rank_suppliers(pulp, today=dt.date(2026, 9, 30))
    b = next(c for c in ranked if c.supplier.code == "B")
    # 5 working days after 30 September 2026 skip the National Day week: 8, 9, 10 (make-up
    # Saturday), 12, 13 October.
    assert b.arrival == dt.date(2026, 10, 13)


def test_equal_scores_prefer_the_default_supplier() -> None:
    mat = material("STARCH")
    first, second = supplier("X1", lead=5), supplier("X2", lead=5)
    price(first, mat, "100")
    price(second, mat, "100")
    mat.default_supplier = second
    mat.save()
    assert [c.supplier.code for c in rank_suppliers(mat, today=MONDAY)] == ["X2", "X1"]


def test_inactive_suppliers_are_not_proposed(pulp) -> None:
    Supplier.objects.filter(code="B").update(is_active=False)
    assert [c.supplier.code for c in rank_suppliers(pulp, today=MONDAY)] == ["C", "A"]
