"""The emergency tests' factory: a winder on day shift is the bottleneck; three confirmed
orders fill it Wednesday to Friday and each must be done on its day."""

import datetime as dt

from gendan.accounts.models import User
from gendan.orders.models import Order
from gendan.planning import actions as planning
from gendan.production.actions import draft_production_plan
from tests.planning.factory import centre, local, order_of, product, routing

#: Monday 12 October 2026, 09:00.
MONDAY = local(2026, 10, 12, 9, 0)


def mill(staff: dict[str, User]) -> dict[str, object]:
    """PM1 never stops; WND works 08:00-16:00 on working days. Orders A (clerk, due Wednesday
    14th), B (other clerk, due Thursday 15th, with work orders) and C (clerk, due Friday 16th)
    need 1.5 h on PM1, then 6 h of winding each; the current plan puts them on their days.

    Nothing may start before Tuesday 09:00 (the 24-hour frozen window), so Tuesday's shift on
    the winder is too short once PM1 has run: the winder is free again on Monday 19th."""
    pm1 = centre("PM1", shifts=3, hours="8", starts=dt.time(0, 0), rest_days=True)
    wnd = centre("WND", shifts=1, hours="8")
    paper = product("CM120")
    routing(paper, [(pm1, 30, "2"), (wnd, 0, "12")])
    a = order_of(staff["clerk"], paper, tons="30", requested_date=dt.date(2026, 10, 14))
    b = order_of(staff["other_clerk"], paper, tons="30", requested_date=dt.date(2026, 10, 15))
    c = order_of(staff["clerk"], paper, tons="30", requested_date=dt.date(2026, 10, 16))
    draft_production_plan(order=b, user=staff["planner"], start=local(2026, 10, 15))
    planning.replan(user=staff["planner"])
    return {"paper": paper, "a": a, "b": b, "c": c, "wnd": wnd, "pm1": pm1}


def rush_order(staff: dict[str, User], paper: object, **header: object) -> Order:
    """30 t the customer needs by Thursday 15 October: 3 working days against a normal cycle
    of 15."""
    header.setdefault("requested_date", dt.date(2026, 10, 15))
    return order_of(staff["clerk"], paper, tons="30", **header)
