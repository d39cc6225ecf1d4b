import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from gendan.accounts.models import Role, User
from gendan.orders.status import Status
from gendan.production.actions import approve_production_plan, draft_production_plan
from gendan.production.models import WorkOrder
from gendan.purchasing.models import PurchaseOrder, PurchaseOrderLine
from tests.factories import UserFactory
from tests.production.helpers import routing, team, work_centre
from tests.purchasing.helpers import (
    add_extra_users,
    bom,
    material,
    order_for,
    paper_product,
    price,
    set_status,
    supplier,
)

D = Decimal


@pytest.fixture(autouse=True)
def _no_static_warning(settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.filterwarnings("ignore:No directory at:UserWarning"))


@pytest.fixture
def staff(users: dict[str, User]) -> dict[str, User]:
    """The suite's users plus procurement, production, quality and finance people."""
    add_extra_users(users)
    users["finance_head"] = UserFactory(
        username="finance_head", role=Role.HEAD, departments=["finance"]
    )
    users["leader"] = UserFactory(username="leader", role=Role.CLERK, departments=["production"])
    return users


def late_po(order: Any, buyer: User, mat: Any, *, expected: dt.date, quantity: str = "10") -> Any:
    sup = supplier(f"S{PurchaseOrder.objects.count() + 1}")
    price(sup, mat, "2000")
    po = PurchaseOrder.objects.create(
        number=f"PO-T-{PurchaseOrder.objects.count() + 1}",
        order=order,
        supplier=sup,
        order_date=expected - dt.timedelta(days=10),
        expected_date=expected,
        buyer=buyer,
    )
    PurchaseOrderLine.objects.create(
        purchase_order=po,
        material=mat,
        quantity=D(quantity),
        unit_price=D("2000"),
        promised_date=expected,
        expected_date=expected,
    )
    return po


@pytest.fixture
def mill(staff: dict[str, User]) -> dict[str, Any]:
    """An order of 30 t in execution whose every check fires:

    - its approved two-step plan started three days ago and ended in the past (behind plan);
    - PULP (1.1 t per t, no stock) is needed: 33 t; a purchase order of 10 t was expected
      yesterday (late purchase order) and counts as cover: 23 t short;
    - 900 hours were reported at 80 CNY/h = 72,000 CNY against an estimate of
      30 t × (65 % + 10 %) × 2,700 = 60,750 CNY (18.5 % over).
    """
    crew = team("A", leader=staff["leader"])
    pm = work_centre("PM1", shifts_per_day=3, day_starts_at=dt.time(0), runs_on_rest_days=True)
    product = paper_product()
    routing(product, [("Papermaking", pm, 60, "3"), ("Winding", pm, 30, "1")], team_=crew)
    pulp = material("PULP")
    bom(product, pulp, "1.1")
    order = order_for(staff["clerk"], product, quantity="30")
    start = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() - dt.timedelta(days=3), dt.time.min)
    )
    plan = draft_production_plan(order=order, user=staff["production_reviewer"], start=start)
    approve_production_plan(plan=plan, user=staff["production_head"])
    order = set_status(order, Status.IN_EXECUTION)
    po = late_po(order, staff["buyer"], pulp, expected=timezone.localdate() - dt.timedelta(days=1))
    WorkOrder.objects.filter(order=order, sequence=10).update(hours_worked=D("900"))
    return {"order": order, "po": po, "pulp": pulp, "product": product, "plan": plan}
