"""Concurrent shipping on PostgreSQL: two dispatches racing for the same goods, two notices
racing for the same open quantity. Each worker has its own connection."""

from functools import partial

import pytest
from django.utils import timezone

from gendan.core.errors import Blocked
from gendan.shipping.actions import dispatch_shipment, issue_notice
from gendan.shipping.models import Shipment, ShippingNotice
from gendan.warehouse.stock import available_to_ship
from tests.concurrency.threads import run_together
from tests.shipping.helpers import DISPATCH, D, goods_in_stock, notice

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_shipments_cannot_take_the_same_goods(world) -> None:
    goods_in_stock(world, quantity="25")
    first, second = notice(world, {1: "15"}), notice(world, {1: "15"})
    outcomes = run_together(
        [
            partial(dispatch_shipment, notice=n, user=world.staff[name], **DISPATCH)
            for n, name in ((first, "logistics_reviewer"), (second, "logistics_head"))
        ]
    )
    errors = [o.error for o in outcomes if o.error is not None]
    assert len(errors) == 1 and isinstance(errors[0], Blocked)
    assert Shipment.objects.count() == 1
    assert available_to_ship(world.line()) == D("10")


def test_two_notices_cannot_over_notice_a_line(world) -> None:
    outcomes = run_together(
        [
            partial(
                issue_notice,
                order=world.order,
                user=world.staff[name],
                ship_on=timezone.localdate(),
                quantities={1: "20"},
            )
            for name in ("clerk", "sales_head")
        ]
    )
    errors = [o.error for o in outcomes if o.error is not None]
    assert len(errors) == 1 and isinstance(errors[0], Blocked)
    assert ShippingNotice.objects.count() == 1
