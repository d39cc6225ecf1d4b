"""Builders for purchasing and production tests: paper-mill master data and orders in the
status a test needs."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gendan.accounts.models import Role, User
from gendan.catalog.models import Product
from gendan.orders.actions import create_order
from gendan.orders.models import Order
from gendan.orders.status import Status
from gendan.purchasing.models import BOMLine, Material, MaterialUnit, Supplier, SupplierPrice
from tests.factories import ProductFactory, UserFactory, order_header, order_lines

#: Extra department users these tests need besides the suite's `users`.
EXTRA_USERS: dict[str, tuple[Role, list[str]]] = {
    "procurement_head": (Role.HEAD, ["procurement"]),
    "buyer": (Role.REVIEWER, ["procurement"]),
    "production_reviewer": (Role.REVIEWER, ["production"]),
    "quality_reviewer": (Role.REVIEWER, ["quality"]),
}


def add_extra_users(users: dict[str, User]) -> dict[str, User]:
    for name, (role, codes) in EXTRA_USERS.items():
        users[name] = UserFactory(username=name, role=role, departments=codes)
    return users


def set_status(order: Order, status: Status) -> Order:
    """Put an order in `status` directly: these tests are about purchasing and production, not
    the steps before them (the pipeline has its own tests)."""
    Order.objects.filter(pk=order.pk).update(status=status)
    order.refresh_from_db()
    return order


def supplier(code: str, *, lead: int = 10, rating: str = "3.0", **extra: Any) -> Supplier:
    return Supplier.objects.create(
        code=code, name=f"Supplier {code}", lead_time_days=lead, rating=Decimal(rating), **extra
    )


def material(
    code: str, *, stock: str = "0", unit: str = MaterialUnit.TON, **extra: Any
) -> Material:
    return Material.objects.create(
        code=code, name=f"Material {code}", unit=unit, stock_on_hand=Decimal(stock), **extra
    )


def price(sup: Supplier, mat: Material, unit_price: str, **extra: Any) -> SupplierPrice:
    return SupplierPrice.objects.create(
        supplier=sup, material=mat, unit_price=Decimal(unit_price), **extra
    )


def bom(product: Product, mat: Material, per_unit: str, scrap: str = "0") -> BOMLine:
    return BOMLine.objects.create(
        product=product,
        material=mat,
        quantity_per_unit=Decimal(per_unit),
        scrap_factor=Decimal(scrap),
    )


def order_for(
    user: User,
    product: Product,
    *,
    quantity: str = "30",
    lines: int = 1,
    status: Status | None = Status.CONFIRMED,
    **header: Any,
) -> Order:
    """An order for `quantity` units of `product` per line, registered through the real action
    and put in `status`."""
    rows = order_lines(product, count=lines)
    for row in rows:
        row["quantity"] = Decimal(quantity)
    order = create_order(user=user, header=order_header(**header), lines=rows)
    return set_status(order, status) if status else order


def paper_product(code: str = "CM120") -> Product:
    return ProductFactory(code=code)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))
