"""A small paper mill for planning and emergency tests: work centres with shift calendars,
routings, materials, and orders in the status a test needs."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gendan.accounts.models import Role, User
from gendan.catalog.models import Product
from gendan.orders.actions import create_order
from gendan.orders.models import Order
from gendan.orders.status import Status
from gendan.production.models import Routing, RoutingOperation, WorkCentre
from gendan.purchasing.models import (
    BOMLine,
    Material,
    MaterialUnit,
    PurchaseOrder,
    PurchaseOrderLine,
    Supplier,
    SupplierPrice,
)
from tests.factories import ProductFactory, UserFactory, department, order_header, order_lines

#: Department people the planning and emergency tests need besides the suite's `users`.
EXTRA_USERS: dict[str, tuple[Role, list[str]]] = {
    "planner": (Role.REVIEWER, ["production"]),
    "buyer": (Role.REVIEWER, ["procurement"]),
    "procurement_head": (Role.HEAD, ["procurement"]),
    "logistics_head": (Role.HEAD, ["logistics"]),
}


def add_people(users: dict[str, User]) -> dict[str, User]:
    for name, (role, codes) in EXTRA_USERS.items():
        users[name] = UserFactory(username=name, role=role, departments=codes)
    return users


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def centre(
    code: str,
    *,
    units: int = 1,
    shifts: int = 1,
    hours: str = "8",
    starts: dt.time = dt.time(8, 0),
    rest_days: bool = False,
) -> WorkCentre:
    return WorkCentre.objects.create(
        code=code,
        name=f"Centre {code}",
        department=department("production"),
        capacity_units=units,
        shifts_per_day=shifts,
        hours_per_shift=Decimal(hours),
        day_starts_at=starts,
        runs_on_rest_days=rest_days,
    )


def routing(
    product: Product,
    steps: list[tuple[WorkCentre, int, str]],
    alternatives: dict[int, list[WorkCentre]] | None = None,
) -> Routing:
    """A default routing: (centre, set-up minutes, run minutes per unit) per step, sequence
    10, 20, ...; `alternatives` by step index."""
    route = Routing.objects.create(product=product, name="standard", is_default=True)
    for index, (where, setup, run) in enumerate(steps):
        op = RoutingOperation.objects.create(
            routing=route,
            sequence=(index + 1) * 10,
            name=f"step {index + 1} on {where.code}",
            work_centre=where,
            setup_minutes=setup,
            run_minutes_per_unit=Decimal(run),
        )
        for alt in (alternatives or {}).get(index, []):
            op.alternative_work_centres.add(alt)
    return route


def product(code: str) -> Product:
    return ProductFactory(code=code)


def order_of(
    user: User,
    item: Product,
    *,
    tons: str = "10",
    status: Status = Status.CONFIRMED,
    **header: Any,
) -> Order:
    rows = order_lines(item)
    rows[0]["quantity"] = Decimal(tons)
    order = create_order(user=user, header=order_header(**header), lines=rows)
    Order.objects.filter(pk=order.pk).update(status=status)
    order.refresh_from_db()
    return order


def material(code: str, *, stock: str = "0", lead: int | None = None) -> Material:
    mat = Material.objects.create(
        code=code, name=f"Material {code}", unit=MaterialUnit.TON, stock_on_hand=Decimal(stock)
    )
    if lead is not None:
        sup = Supplier.objects.create(
            code=f"S-{code}", name=f"Supplier {code}", lead_time_days=lead
        )
        SupplierPrice.objects.create(supplier=sup, material=mat, unit_price=Decimal("100"))
    return mat


def bom(item: Product, mat: Material, per_unit: str = "1") -> BOMLine:
    return BOMLine.objects.create(product=item, material=mat, quantity_per_unit=Decimal(per_unit))


def purchase(
    order: Order, mat: Material, quantity: str, expected: dt.date, buyer: User
) -> PurchaseOrderLine:
    sup = Supplier.objects.create(code=f"PO-{mat.code}-{order.pk}", name="Pulp trader")
    po = PurchaseOrder.objects.create(
        number=f"PO-{order.pk}-{mat.code}",
        order=order,
        supplier=sup,
        order_date=expected - dt.timedelta(days=30),
        expected_date=expected,
        buyer=buyer,
    )
    return PurchaseOrderLine.objects.create(
        purchase_order=po,
        material=mat,
        quantity=Decimal(quantity),
        unit_price=Decimal("5000"),
        promised_date=expected,
        expected_date=expected,
    )
