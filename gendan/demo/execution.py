"""Purchasing and production in the paper-mill demo (E2, E3), through the real actions.

A step (after the catalogue) sets up the mill: a paper machine and a winder per production
workshop, a team led by the production head, a default routing per product, suppliers of pulp
and starch with their prices and lead times, and a bill of materials per product.

Around each demo order's life:
- before `release`, procurement commits the purchase plan (purchase orders placed; the ones
  whose expected date passes before the goods come are the demo's late purchase orders) and
  production drafts the production plan, which the production head approves;
- while the order is in execution the first work order reports progress;
- before `ship`, the goods still on order are received and every work order is finished
  (with a delay cause where it ends after its plan), so the pipeline's guards hold.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gendan.demo.registry import DemoContext, demo_step, on_transition
from gendan.orders.models import Order

MATERIALS = (
    # code, name, unit, per ton of paper, supplier codes (first is the default)
    ("PULP-BK", "漂白硫酸盐木浆", "t", Decimal("0.78"), ("SUP-RZ", "SUP-YS")),
    ("OCC", "废纸（OCC）", "t", Decimal("0.35"), ("SUP-HX",)),
    ("STARCH", "表面施胶淀粉", "t", Decimal("0.025"), ("SUP-HX", "SUP-YS")),
)
SUPPLIERS = (
    # code, name, lead time (working days), rating
    ("SUP-RZ", "日照浆纸进出口有限公司", 12, "4.5"),
    ("SUP-YS", "岳阳林浆贸易有限公司", 6, "3.8"),
    ("SUP-HX", "华鑫化工原料有限公司", 3, "4.0"),
)
PRICES = {"PULP-BK": "5200", "OCC": "1850", "STARCH": "3600"}


@demo_step(order=35)
def mill(ctx: DemoContext) -> None:
    """Work centres, teams and routings per workshop; suppliers, materials and BOMs."""
    from gendan.catalog.models import Product
    from gendan.production.models import Routing, RoutingOperation, Team, WorkCentre
    from gendan.purchasing.models import BOMLine, Material, Supplier, SupplierPrice

    head = ctx.user("production_head")
    centres: dict[int, tuple[Any, Any]] = {}
    teams: dict[int, Any] = {}
    for product in Product.objects.select_related("line__production_department"):
        department = product.line.production_department
        if department.pk not in centres:
            code = department.code.upper()[:8]
            team = Team.objects.create(
                code=f"{code}-A", name=f"{department.name}甲班", department=department, leader=head
            )
            machine = WorkCentre.objects.create(
                code=f"{code}-PM",
                name=f"{department.name}纸机",
                department=department,
                capacity_units=1,
                shifts_per_day=3,
                hours_per_shift=Decimal("8"),
                day_starts_at=dt.time(0, 0),
                runs_on_rest_days=True,
                default_team=team,
            )
            winder = WorkCentre.objects.create(
                code=f"{code}-WD",
                name=f"{department.name}复卷机",
                department=department,
                capacity_units=2,
                shifts_per_day=2,
                hours_per_shift=Decimal("8"),
                day_starts_at=dt.time(8, 0),
                default_team=team,
            )
            centres[department.pk], teams[department.pk] = (machine, winder), team
        machine, winder = centres[department.pk]
        routing = Routing.objects.create(product=product, name="标准工艺")
        for sequence, (name, centre, setup, run) in enumerate(
            (("抄纸", machine, 60, "3"), ("复卷分切", winder, 30, "6")), start=1
        ):
            RoutingOperation.objects.create(
                routing=routing,
                sequence=sequence * 10,
                name=name,
                work_centre=centre,
                setup_minutes=setup,
                run_minutes_per_unit=Decimal(run),
                team=teams[department.pk],
            )
    suppliers = {
        code: Supplier.objects.create(
            code=code, name=name, lead_time_days=lead, rating=Decimal(rating)
        )
        for code, name, lead, rating in SUPPLIERS
    }
    for code, name, unit, per_ton, supplier_codes in MATERIALS:
        material = Material.objects.create(
            code=code,
            name=name,
            unit=unit,
            stock_on_hand=Decimal("0"),
            default_supplier=suppliers[supplier_codes[0]],
        )
        for supplier_code in supplier_codes:
            SupplierPrice.objects.create(
                supplier=suppliers[supplier_code],
                material=material,
                unit_price=Decimal(PRICES[code]),
            )
        BOMLine.objects.bulk_create(
            BOMLine(
                product=product,
                material=material,
                quantity_per_unit=per_ton,
                scrap_factor=Decimal("0.02"),
            )
            for product in Product.objects.filter(unit="t")
        )


@on_transition("release", when="before")
def buy_and_plan(ctx: DemoContext, order: Order, story: Any) -> None:
    """Procurement commits the purchase plan; production plans, the head approves."""
    from gendan.production.actions import approve_production_plan, draft_production_plan
    from gendan.purchasing.actions import create_purchase_orders
    from gendan.purchasing.planning import purchase_plan

    materials = purchase_plan(order)
    if materials.lines_to_buy or any(line.from_stock > 0 for line in materials.lines):
        create_purchase_orders(order=order, user=ctx.user("procurement"))
    plan = draft_production_plan(order=order, user=ctx.user("production"))
    approve_production_plan(plan=plan, user=ctx.user("production_head"), note="同意按此计划排产。")


@on_transition("release", when="after")
def first_progress(ctx: DemoContext, order: Order, story: Any) -> None:
    """The first work order reports a day's progress on orders that get that far."""
    from gendan.production.models import WorkOrder

    first = WorkOrder.objects.filter(order=order).order_by("sequence", "id").first()
    if first is None or story.index % 2:
        return
    _report(ctx, first, finished=False)


@on_transition("ship", when="before")
def goods_in_and_made(ctx: DemoContext, order: Order, story: Any) -> None:
    """All material in, every work order finished: shipping may go ahead."""
    from gendan.production.models import ACTIVE_WORK_STATUSES, WorkOrder
    from gendan.purchasing.actions import receive
    from gendan.purchasing.models import PurchaseOrderLine

    for line in PurchaseOrderLine.objects.filter(purchase_order__order=order).order_by("id"):
        if line.open_quantity > 0:
            receive(line=line, user=ctx.user("procurement"), quantity=line.open_quantity)
    work_orders = WorkOrder.objects.filter(order=order, status__in=ACTIVE_WORK_STATUSES)
    for work_order in work_orders.order_by("sequence", "id"):
        _report(ctx, work_order, finished=True)


def _report(ctx: DemoContext, work_order: Any, *, finished: bool) -> None:
    from gendan.production.actions import report_progress

    remaining = work_order.remaining_quantity
    good = remaining if finished else (remaining / 3).quantize(Decimal("0.001"))
    late = work_order.planned_end is not None and work_order.planned_end < timezone.now()
    report_progress(
        work_order=work_order,
        user=ctx.user("production"),
        good_quantity=good,
        scrap_quantity=(good * Decimal("0.015")).quantize(Decimal("0.001")),
        hours=Decimal("6"),
        delay_cause="equipment" if late else "",
        note="纸机断纸停机，已抢修恢复。" if late else "",
        finished=finished,
    )
