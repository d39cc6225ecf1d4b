"""Builders for quality and warehouse tests: an order in execution with an approved two-step
plan (papermaking, winding) and paper inspection standards."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gendan.accounts.models import Role, User
from gendan.catalog.models import Product
from gendan.orders.status import Status
from gendan.production.actions import approve_production_plan, draft_production_plan
from gendan.production.models import WorkOrder
from gendan.purchasing.models import Material
from gendan.quality.models import InspectionStandard, Stage
from tests.factories import UserFactory
from tests.production.helpers import routing, team, work_centre
from tests.purchasing.helpers import add_extra_users, order_for, paper_product, set_status

D = Decimal

#: Users these tests need besides the suite's and purchasing's.
QUALITY_USERS: dict[str, tuple[Role, list[str]]] = {
    "quality_head": (Role.HEAD, ["quality"]),
    "logistics_head": (Role.HEAD, ["logistics"]),
}


def quality_staff(users: dict[str, User]) -> dict[str, User]:
    add_extra_users(users)
    for name, (role, codes) in QUALITY_USERS.items():
        users[name] = UserFactory(username=name, role=role, departments=codes)
    return users


def standard(
    item: Product | Material,
    stage: str,
    characteristic: str,
    target: str,
    minus: str | None,
    plus: str | None,
    unit: str = "",
) -> InspectionStandard:
    key = "material" if isinstance(item, Material) else "product"
    return InspectionStandard.objects.create(
        **{key: item},
        stage=stage,
        characteristic=characteristic,
        unit=unit,
        target=D(target),
        tolerance_minus=None if minus is None else D(minus),
        tolerance_plus=None if plus is None else D(plus),
        method="GB/T",
        frequency="every reel",
    )


def paper_standards(product: Product) -> dict[str, InspectionStandard]:
    """Grammage 120 ± 4.8 g/m² and moisture 7.5 ± 1.5 % in process and at the end; burst
    index at least 2.0 at the end."""
    return {
        "ip_grammage": standard(product, Stage.IN_PROCESS, "Grammage", "120", "4.8", "4.8", "g/m²"),
        "ip_moisture": standard(product, Stage.IN_PROCESS, "Moisture", "7.5", "1.5", "1.5", "%"),
        "grammage": standard(product, Stage.FINAL, "Grammage", "120", "4.8", "4.8", "g/m²"),
        "moisture": standard(product, Stage.FINAL, "Moisture", "7.5", "1.5", "1.5", "%"),
        "burst": standard(product, Stage.FINAL, "Burst index", "2.2", "0.2", None, "kPa·m²/g"),
    }


def good_values(standards: dict[str, InspectionStandard], stage: str) -> dict[int, str]:
    return {s.pk: str(s.target) for s in standards.values() if s.stage == stage}


def released_order(staff: dict[str, User], quantity: str = "30") -> dict[str, Any]:
    """An order in execution with an approved plan: papermaking then winding."""
    leader = UserFactory(username="leader", role=Role.CLERK, departments=["production"])
    crew = team("A", leader=leader)
    pm = work_centre("PM1", shifts_per_day=3, day_starts_at=dt.time(0), runs_on_rest_days=True)
    winder = work_centre("WD1", runs_on_rest_days=True)
    product = paper_product()
    routing(product, [("Papermaking", pm, 60, "3"), ("Winding", winder, 30, "8")], team_=crew)
    order = order_for(staff["clerk"], product, quantity=quantity)
    line = order.lines.get()
    line.specification = "120 g/m², width 2,200 mm, core 76 mm"
    line.save(update_fields=["specification"])
    start = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=2), dt.time.min)
    )
    plan = draft_production_plan(order=order, user=staff["production_reviewer"], start=start)
    approve_production_plan(plan=plan, user=staff["production_head"])
    order = set_status(order, Status.IN_EXECUTION)
    paper, winding = WorkOrder.objects.filter(order=order).order_by("sequence")
    return {
        "order": order,
        "line": line,
        "product": product,
        "paper": paper,
        "winding": winding,
        "leader": leader,
        "standards": paper_standards(product),
    }
