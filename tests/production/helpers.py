"""Builders for production tests: a small paper mill (work centres, teams, a routing)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from gendan.accounts.models import Department, User
from gendan.catalog.models import Product
from gendan.production.models import Routing, RoutingOperation, Team, WorkCentre


def team(code: str, leader: User | None = None) -> Team:
    return Team.objects.create(
        code=code,
        name=f"Team {code}",
        department=Department.objects.get(code="production"),
        leader=leader,
    )


def work_centre(code: str, **extra: Any) -> WorkCentre:
    values: dict[str, Any] = {
        "name": f"Centre {code}",
        "department": Department.objects.get(code="production"),
        "capacity_units": 1,
        "shifts_per_day": 1,
        "hours_per_shift": Decimal("8"),
        "day_starts_at": dt.time(8, 0),
    }
    values.update(extra)
    return WorkCentre.objects.create(code=code, **values)


def routing(
    product: Product, steps: list[tuple[str, WorkCentre, int, str]], team_: Team | None = None
) -> Routing:
    """`steps`: (name, work centre, set-up minutes, run minutes per unit)."""
    route = Routing.objects.create(product=product, name="Standard")
    for index, (name, centre, setup, run) in enumerate(steps, start=1):
        RoutingOperation.objects.create(
            routing=route,
            sequence=index * 10,
            name=name,
            work_centre=centre,
            setup_minutes=setup,
            run_minutes_per_unit=Decimal(run),
            team=team_,
        )
    return route
