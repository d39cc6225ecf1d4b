"""The lines' shipping progress is read once per page (the ship step's guard, the milestone
chain and the shipping panel share it) and afresh everywhere else."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gendan.shipping.guards import fully_shipped
from gendan.shipping.selectors import line_progress, sharing_line_progress
from tests.shipping.helpers import D, dispatch, goods_in_stock, notice

pytestmark = pytest.mark.django_db


def progress_reads(captured: CaptureQueriesContext) -> int:
    """How many of the captured queries read the lines' shipped totals."""
    return sum(
        'FROM "orders_orderline"' in q["sql"] and '"shipping_shipmentline"' in q["sql"]
        for q in captured.captured_queries
    )


def test_within_sharing_the_progress_is_read_once(world) -> None:
    goods_in_stock(world)
    dispatch(world, notice(world, {1: "12"}))
    with CaptureQueriesContext(connection) as captured, sharing_line_progress():
        first = line_progress(world.order)
        first.clear()  # a caller's list is its own: the shared answer stays whole
        again = line_progress(world.order)
        blocker = fully_shipped(world.order, world.clerk)
    assert progress_reads(captured) == 1
    assert [(p.line.position, p.shipped) for p in again] == [(1, D("12"))]
    assert blocker is not None and "line 1: 12 of 30" in blocker


def test_outside_sharing_every_call_reads_afresh(world) -> None:
    goods_in_stock(world)
    with sharing_line_progress():
        assert fully_shipped(world.order, world.clerk) is not None
    dispatch(world, notice(world, {1: "30"}))
    with CaptureQueriesContext(connection) as captured:
        assert fully_shipped(world.order, world.clerk) is None
        assert line_progress(world.order)[0].shipped == D("30")
    assert progress_reads(captured) == 2


def test_the_order_page_reads_the_progress_once_and_shows_it(world, client_for) -> None:
    goods_in_stock(world)
    dispatch(world, notice(world, {1: "12"}))
    with CaptureQueriesContext(connection) as captured:
        page = client_for("clerk").get(world.order.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    # The panel's line, the ship step's blocker and the milestone chain's shipment step.
    assert 'data-line="1"' in html and "12 / 30" in html
    assert "line 1: 12 of 30" in html
    assert "0 of 1 lines shipped" in html
    assert progress_reads(captured) == 1


def test_the_shipping_page_reads_the_progress_once(world, client_for) -> None:
    goods_in_stock(world)
    dispatch(world, notice(world, {1: "12"}))
    with CaptureQueriesContext(connection) as captured:
        page = client_for("clerk").get(f"/shipping/orders/{world.order.number}/")
    assert page.status_code == 200 and "line 1: 12 of 30" in page.content.decode()
    assert progress_reads(captured) == 1
