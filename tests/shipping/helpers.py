"""Builders for shipping tests: an order in execution whose goods are made, inspected and
taken into the warehouse through the real production, quality and warehouse actions."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gendan.accounts.models import Role, User
from gendan.catalog.models import Product
from gendan.orders.models import Order, OrderLine
from gendan.orders.status import Status
from gendan.production.actions import (
    approve_production_plan,
    draft_production_plan,
    report_progress,
)
from gendan.production.models import WorkOrder
from gendan.quality.actions import inspect_final
from gendan.quality.models import InspectionStandard, Stage
from gendan.shipping import actions
from gendan.shipping.models import Shipment, ShippingNotice
from gendan.warehouse.actions import receive_finished_goods
from tests.factories import ProductFactory, UserFactory
from tests.production.helpers import routing, team, work_centre
from tests.purchasing.helpers import add_extra_users, order_for, set_status

D = Decimal

#: Users these tests need besides the suite's and purchasing's.
SHIPPING_USERS: dict[str, tuple[Role, list[str]]] = {
    "logistics_head": (Role.HEAD, ["logistics"]),
    "finance_reviewer": (Role.REVIEWER, ["finance"]),
    "quality_head": (Role.HEAD, ["quality"]),
    "leader": (Role.CLERK, ["production"]),
}


def shipping_staff(users: dict[str, User]) -> dict[str, User]:
    add_extra_users(users)
    for name, (role, codes) in SHIPPING_USERS.items():
        users[name] = UserFactory(username=name, role=role, departments=codes)
    return users


@dataclass
class Mill:
    """An order of `lines` lines of 30 t each, in execution, with one work order per line."""

    staff: dict[str, User]
    order: Order
    product: Product
    standard: InspectionStandard

    @property
    def clerk(self) -> User:
        return self.staff["clerk"]

    def fresh(self) -> Order:
        return Order.objects.get(pk=self.order.pk)

    def line(self, position: int = 1) -> OrderLine:
        return self.order.lines.get(position=position)

    def work_order(self, position: int = 1) -> WorkOrder:
        return WorkOrder.objects.get(order=self.order, order_line__position=position)


def mill(staff: dict[str, User], *, lines: int = 1, quantity: str = "30", **header: Any) -> Mill:
    crew = team("A", leader=staff["leader"])
    machine = work_centre("PM1", shifts_per_day=3, day_starts_at=dt.time(0), runs_on_rest_days=True)
    product = ProductFactory(code="CM120")
    routing(product, [("Papermaking", machine, 60, "3")], team_=crew)
    order = order_for(staff["clerk"], product, quantity=quantity, lines=lines, **header)
    for line in order.lines.all():
        line.specification = "120 g/m², width 2,200 mm"
        line.save(update_fields=["specification"])
    start = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=2), dt.time.min)
    )
    plan = draft_production_plan(order=order, user=staff["production_reviewer"], start=start)
    approve_production_plan(plan=plan, user=staff["production_head"])
    order = set_status(order, Status.IN_EXECUTION)
    grammage = InspectionStandard.objects.create(
        product=product,
        stage=Stage.FINAL,
        characteristic="Grammage",
        unit="g/m²",
        target=D("120"),
        tolerance_minus=D("4.8"),
        tolerance_plus=D("4.8"),
        method="GB/T 451.2",
        frequency="every reel",
    )
    return Mill(staff=staff, order=order, product=product, standard=grammage)


def produce(world: Mill, position: int = 1, quantity: str = "30") -> None:
    """Report the goods of a line made (and its work order finished)."""
    report_progress(
        work_order=world.work_order(position),
        user=world.staff["leader"],
        good_quantity=quantity,
        hours="8",
        finished=True,
    )


def inspect(
    world: Mill,
    position: int = 1,
    quantity: str | None = None,
    *,
    grammage: str = "120",
    quarantine: str | None = None,
) -> Any:
    """Final inspection of made goods; a grammage outside 115.2–124.8 fails (with the
    `quarantine` part quarantined as nonconforming)."""
    return inspect_final(
        work_order=world.work_order(position),
        user=world.staff["quality_reviewer"],
        values={world.standard.pk: grammage},
        quantity=quantity,
        quarantine_quantity=quarantine,
        nonconformity="Grammage out of tolerance" if quarantine else "",
    )


def warehouse(world: Mill, position: int = 1, quantity: str = "30") -> None:
    """Take inspected, released goods into the warehouse."""
    receive_finished_goods(
        work_order=world.work_order(position),
        user=world.staff["logistics_head"],
        product=world.product,
        specification=world.line(position).specification,
        quantity=quantity,
    )


def goods_in_stock(world: Mill, position: int = 1, quantity: str = "30") -> None:
    """Make, inspect (pass) and warehouse `quantity` of a line."""
    produce(world, position, quantity)
    inspect(world, position)
    warehouse(world, position, quantity)


def notice(world: Mill, quantities: dict[int, str] | None = None, **extra: Any) -> ShippingNotice:
    quantities = quantities or {1: "30"}
    return actions.issue_notice(
        order=world.order,
        user=world.clerk,
        ship_on=extra.pop("ship_on", timezone.localdate() + dt.timedelta(days=1)),
        quantities=quantities,
        **extra,
    )


DISPATCH: dict[str, Any] = {
    "carrier": "Kunshan Freight",
    "vehicle": "苏E·12345",
    "packaging": "Reels wrapped in kraft, on pallets",
    "packages": 12,
    "tracking_number": "KF-778812",
    "checked": True,
}


def dispatch(world: Mill, shipping_notice: ShippingNotice, **extra: Any) -> Shipment:
    return actions.dispatch_shipment(
        notice=shipping_notice,
        user=extra.pop("user", world.staff["logistics_reviewer"]),
        **{**DISPATCH, **extra},
    )


def scan(name: str = "signed.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% signed delivery note\n", "application/pdf")


def sign(world: Mill, shipment: Shipment, **extra: Any) -> Any:
    return actions.record_sign_off(
        delivery_note=shipment.delivery_note,
        user=extra.pop("user", world.clerk),
        signed_by_name=extra.pop("signed_by_name", "王经理"),
        signed_at=extra.pop("signed_at", timezone.now()),
        file=extra.pop("file", scan()),
        **extra,
    )


def move(world: Mill, name: str, user: str = "logistics_reviewer") -> Order:
    """Perform the pipeline transition `name` on the order (ship, deliver...)."""
    from gendan.orders.actions import transition_order

    return transition_order(order=world.fresh(), name=name, user=world.staff[user])
