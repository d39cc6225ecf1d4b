"""Emergency orders' REST endpoints call the same actions as the pages."""

import pytest
from rest_framework.test import APIClient

from gendan.accounts.models import User
from gendan.emergency.models import CaseStatus, EmergencyCase
from tests.emergency.scenario import MONDAY, mill, rush_order
from tests.planning.conftest import Clock


@pytest.fixture
def shop(staff: dict[str, User], clock: Clock) -> dict[str, object]:
    clock.now = MONDAY
    return mill(staff)


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_emergency_through_the_api(
    staff: dict[str, User], shop: dict, django_capture_on_commit_callbacks
) -> None:
    order = rush_order(staff, shop["paper"])
    clerk = _api(staff["clerk"])
    created = clerk.post(
        f"/api/v1/orders/{order.number}/emergency/",
        {"basis": "short_lead_time", "reason": "Line restart"},
        format="json",
    )
    assert created.status_code == 201
    number = created.json()["number"]
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = clerk.post(
            f"/api/v1/emergencies/{number}/confirm/", {"note": "ok"}, format="json"
        )
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == CaseStatus.CONFIRMED
    # The worker computed the options once the confirmation was committed.
    options = clerk.get(f"/api/v1/emergencies/{number}/").json()["options"]
    assert {o["kind"] for o in options} >= {"move_date", "expedite", "overtime"}
    chosen = options[0]["id"]
    url = f"/api/v1/emergencies/{number}/options/{chosen}/choose/"
    refused = clerk.post(url, {}, format="json")
    assert refused.status_code == 403 and refused.json()["detail"]
    with django_capture_on_commit_callbacks(execute=True):
        decided = _api(staff["planner"]).post(url, {"note": "go"}, format="json")
    assert decided.status_code == 200
    assert decided.json()["status"] == CaseStatus.DECIDED


def test_identification_errors_are_field_level(staff: dict[str, User], shop: dict) -> None:
    order = rush_order(staff, shop["paper"])
    response = _api(staff["clerk"]).post(
        f"/api/v1/orders/{order.number}/emergency/",
        {"basis": "management_flag", "reason": "Key account"},
        format="json",
    )
    assert response.status_code == 403
    response = _api(staff["clerk"]).post(
        f"/api/v1/orders/{order.number}/emergency/", {"basis": "short_lead_time"}, format="json"
    )
    assert response.status_code == 400 and "reason" in response.json()
    assert not EmergencyCase.objects.exists()


def test_cases_are_listed_through_the_orders_door(staff: dict[str, User], shop: dict) -> None:
    order = rush_order(staff, shop["paper"])
    _api(staff["clerk"]).post(
        f"/api/v1/orders/{order.number}/emergency/",
        {"basis": "customer_date", "reason": "Trade fair"},
        format="json",
    )
    assert len(_api(staff["clerk"]).get("/api/v1/emergencies/").json()) == 1
    assert _api(staff["outsider"]).get("/api/v1/emergencies/").json() == []
    number = EmergencyCase.objects.get().number
    assert _api(staff["outsider"]).get(f"/api/v1/emergencies/{number}/").status_code == 404
