"""Production API: plans, work orders, progress and plan changes through the same actions."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from gendan.accounts.models import Department
from gendan.orders.actions import route_order
from gendan.orders.status import Status
from gendan.production.models import WorkOrder
from tests.production.helpers import routing, team, work_centre
from tests.purchasing.helpers import order_for, paper_product, set_status

pytestmark = pytest.mark.django_db
API = "/api/v1"


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def order(staff):
    pm = work_centre(
        "PM1",
        shifts_per_day=3,
        day_starts_at=dt.time(0),
        runs_on_rest_days=True,
        default_team=team("A", leader=staff["production_reviewer"]),
    )
    product = paper_product()
    routing(product, [("Papermaking", pm, 60, "3"), ("Winding", work_centre("WD1"), 30, "8")])
    order = order_for(staff["clerk"], product, quantity="30")
    route_order(order, Department.objects.get(code="production"))
    return order


def _start() -> str:
    day = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min)).isoformat()


def test_plan_drafted_approved_and_reported_on(staff, order) -> None:
    url = f"{API}/orders/{order.number}/production-plan/"
    drafted = api(staff["production_reviewer"]).post(url, {"start": _start()}, format="json")
    assert drafted.status_code == 201, drafted.json()
    body = drafted.json()
    assert body["status"] == "draft" and len(body["work_orders"]) == 2
    refused = api(staff["production_reviewer"]).post(url + "approve/", {}, format="json")
    assert refused.status_code == 403
    approved = api(staff["production_head"]).post(url + "approve/", {"note": "ok"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"

    set_status(order, Status.IN_EXECUTION)
    number = body["work_orders"][0]["work_order"]
    report = api(staff["production_reviewer"]).post(
        f"{API}/work-orders/{number}/progress/",
        {"good_quantity": "20", "scrap_quantity": "0.8", "hours": "2"},
        format="json",
    )
    assert report.status_code == 201, report.json()
    wo = report.json()
    assert (wo["good_quantity"], wo["scrap_quantity"], wo["status"]) == (
        "20.000",
        "0.800",
        "in_progress",
    )
    assert len(wo["progress_reports"]) == 1
    plan = api(staff["clerk"]).get(url).json()
    assert plan["work_orders"][0]["good_quantity"] == "20.000"


def test_progress_errors_are_field_level(staff, order) -> None:
    api(staff["production_reviewer"]).post(
        f"{API}/orders/{order.number}/production-plan/", {"start": _start()}, format="json"
    )
    api(staff["production_head"]).post(
        f"{API}/orders/{order.number}/production-plan/approve/", {}, format="json"
    )
    set_status(order, Status.IN_EXECUTION)
    wo = WorkOrder.objects.filter(order=order).first()
    response = api(staff["production_reviewer"]).post(
        f"{API}/work-orders/{wo.number}/progress/",
        {"hours": "1", "delay_cause": "staff"},
        format="json",
    )
    assert response.status_code == 409
    assert "note" in response.json()
    bad = api(staff["production_reviewer"]).post(
        f"{API}/work-orders/{wo.number}/progress/", {"delay_cause": "weather"}, format="json"
    )
    assert bad.status_code == 400 and "delay_cause" in bad.json()


def test_plan_change_through_the_api_keeps_the_history(staff, order) -> None:
    api(staff["production_reviewer"]).post(
        f"{API}/orders/{order.number}/production-plan/", {"start": _start()}, format="json"
    )
    wo = WorkOrder.objects.filter(order=order).first()
    response = api(staff["production_head"]).post(
        f"{API}/work-orders/{wo.number}/change-plan/",
        {
            "planned_start": "2030-01-02T08:00:00+08:00",
            "planned_end": "2030-01-02T12:00:00+08:00",
            "reason": "Felt change on PM1",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["plan_changes"][0]["reason"] == "Felt change on PM1"
    no_reason = api(staff["production_head"]).post(
        f"{API}/work-orders/{wo.number}/change-plan/",
        {
            "planned_start": "2030-01-02T08:00:00+08:00",
            "planned_end": "2030-01-02T12:00:00+08:00",
            "reason": "",
        },
        format="json",
    )
    assert no_reason.status_code == 400


def test_work_orders_are_invisible_outside_the_rules(staff, order) -> None:
    api(staff["production_reviewer"]).post(
        f"{API}/orders/{order.number}/production-plan/", {"start": _start()}, format="json"
    )
    wo = WorkOrder.objects.filter(order=order).first()
    assert (
        api(staff["production_reviewer"]).get(f"{API}/work-orders/{wo.number}/").status_code == 200
    )
    outsider = api(staff["outsider"])
    assert outsider.get(f"{API}/work-orders/{wo.number}/").status_code == 404
    assert outsider.get(f"{API}/work-orders/").json()["results"] == []
    assert outsider.get(f"{API}/orders/{order.number}/production-plan/").status_code == 404
    assert (
        outsider.post(
            f"{API}/work-orders/{wo.number}/progress/", {"hours": "1"}, format="json"
        ).status_code
        == 404
    )


def test_work_centres_are_kept_by_the_production_head(staff, order) -> None:
    payload = {
        "code": "SH9",
        "name": "Sheeter 9",
        "department": Department.objects.get(code="production").pk,
        "capacity_units": 2,
        "shifts_per_day": 2,
        "hours_per_shift": "8",
    }
    assert (
        api(staff["production_reviewer"])
        .post(f"{API}/work-centres/", payload, format="json")
        .status_code
        == 403
    )
    created = api(staff["production_head"]).post(f"{API}/work-centres/", payload, format="json")
    assert created.status_code == 201
    assert created.json()["capacity_hours_per_day"] == "32.00"
    bad = api(staff["production_head"]).post(
        f"{API}/work-centres/",
        {**payload, "code": "SH10", "shifts_per_day": 3, "hours_per_shift": "9"},
        format="json",
    )
    assert bad.status_code == 400 and "hours_per_shift" in bad.json()
    routings = api(staff["clerk"]).get(f"{API}/routings/").json()["results"]
    assert [op["name"] for op in routings[0]["operations"]] == ["Papermaking", "Winding"]
