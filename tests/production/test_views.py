"""Production pages: visibility (404 for the invisible), forms through the actions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.models import Department
from gendan.orders.actions import route_order
from gendan.orders.status import Status
from gendan.production.actions import approve_production_plan, draft_production_plan
from gendan.production.models import PlanStatus, ProductionPlan, WorkOrder, WorkOrderStatus
from tests.production.helpers import routing, team, work_centre
from tests.purchasing.helpers import order_for, paper_product, set_status

pytestmark = pytest.mark.django_db


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def product(staff):
    pm = work_centre(
        "PM1",
        shifts_per_day=3,
        day_starts_at=dt.time(0),
        runs_on_rest_days=True,
        default_team=team("A", leader=staff["production_reviewer"]),
    )
    winder = work_centre("WD1")
    prod = paper_product()
    routing(prod, [("Papermaking", pm, 60, "3"), ("Winding", winder, 30, "8")])
    return prod


@pytest.fixture
def planned(staff, product):
    order = order_for(staff["clerk"], product, quantity="30")
    start = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time.min)
    )
    draft_production_plan(order=order, user=staff["production_reviewer"], start=start)
    return order


def test_production_reviewer_sees_work_orders_of_orders_routed_to_production(staff, planned):
    wo = WorkOrder.objects.filter(order=planned).first()
    for name in ("production_reviewer", "production_head", "clerk", "gm", "auditor"):
        c = client(staff[name])
        assert c.get(wo.get_absolute_url()).status_code == 200, name
        assert wo.number in c.get(reverse("production:list")).content.decode(), name
        assert c.get(reverse("production:plan", args=[planned.number])).status_code == 200


@pytest.mark.parametrize("name", ["outsider", "other_clerk", "logistics_reviewer"])
def test_others_see_no_work_orders_and_get_404(staff, planned, name) -> None:
    wo = WorkOrder.objects.filter(order=planned).first()
    c = client(staff[name])
    assert c.get(wo.get_absolute_url()).status_code == 404
    assert c.get(reverse("production:work_order_print", args=[wo.number])).status_code == 404
    assert c.get(reverse("production:plan", args=[planned.number])).status_code == 404
    assert wo.number not in c.get(reverse("production:list") + "?status=all").content.decode()
    assert WorkOrder.objects.for_user(staff[name]).count() == 0


def test_plan_is_drafted_and_approved_through_the_page(staff, product) -> None:
    order = order_for(staff["clerk"], product)
    # The order reaches production through allocation; a head sees routed orders.
    route_order(order, Department.objects.get(code="production"))
    url = reverse("production:draft", args=[order.number])
    response = client(staff["production_reviewer"]).post(url, {"start": "2030-03-04"})
    assert response.status_code == 302
    plan = ProductionPlan.objects.get(order=order)
    assert plan.work_orders.count() == 2
    approve = reverse("production:approve", args=[order.number])
    assert client(staff["production_reviewer"]).post(approve, {}).status_code == 403
    assert client(staff["production_head"]).post(approve, {"note": "ok"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_progress_form_updates_the_work_order(staff, planned) -> None:
    approve_production_plan(plan=planned.production_plan, user=staff["production_head"])
    set_status(planned, Status.IN_EXECUTION)
    wo = WorkOrder.objects.filter(order=planned).order_by("sequence").first()
    url = reverse("production:report_progress", args=[wo.number])
    response = client(staff["production_reviewer"]).post(
        url,
        {
            "work_date": timezone.localdate().isoformat(),
            "good_quantity": "12",
            "scrap_quantity": "0.5",
            "hours": "3",
            "delay_cause": "",
            "note": "",
        },
    )
    assert response.status_code == 302
    wo.refresh_from_db()
    assert (wo.good_quantity, wo.scrap_quantity, wo.status) == (
        Decimal("12"),
        Decimal("0.5"),
        WorkOrderStatus.IN_PROGRESS,
    )
    page = client(staff["clerk"]).get(wo.get_absolute_url()).content.decode()
    assert 'data-field="scrap"' in page and "0.5" in page


def test_progress_form_shows_refusals_next_to_the_field(staff, planned) -> None:
    approve_production_plan(plan=planned.production_plan, user=staff["production_head"])
    set_status(planned, Status.IN_EXECUTION)
    wo = WorkOrder.objects.filter(order=planned).first()
    url = reverse("production:report_progress", args=[wo.number])
    response = client(staff["production_reviewer"]).post(
        url,
        {
            "work_date": timezone.localdate().isoformat(),
            "good_quantity": "1",
            "scrap_quantity": "0",
            "hours": "1",
            "delay_cause": "staff",
            "note": "",
        },
    )
    assert response.status_code == 409
    assert "Describe the delay" in response.content.decode()


def test_clerk_may_not_report_progress(staff, planned) -> None:
    wo = WorkOrder.objects.filter(order=planned).first()
    url = reverse("production:report_progress", args=[wo.number])
    response = client(staff["clerk"]).post(
        url,
        {
            "work_date": timezone.localdate().isoformat(),
            "good_quantity": "1",
            "scrap_quantity": "0",
            "hours": "1",
        },
    )
    assert response.status_code == 403


def test_plan_change_form(staff, planned) -> None:
    wo = WorkOrder.objects.filter(order=planned).first()
    url = reverse("production:change_plan", args=[wo.number])
    response = client(staff["production_reviewer"]).post(
        url,
        {
            "planned_start": "2030-01-02T08:00",
            "planned_end": "2030-01-02T12:00",
            "work_centre": wo.work_centre_id,
            "reason": "PM1 maintenance",
        },
    )
    assert response.status_code == 302
    assert wo.plan_changes.get().reason == "PM1 maintenance"


def test_master_data_pages(staff, planned) -> None:
    c = client(staff["outsider"])
    wo = WorkOrder.objects.filter(order=planned).first()
    for url in (
        reverse("production:work_centres"),
        reverse("production:work_centre", args=[wo.work_centre_id]),
        reverse("production:routings"),
        reverse("production:routing", args=[wo.operation.routing_id]),
        reverse("production:teams"),
    ):
        response = c.get(url)
        assert response.status_code == 200, url
        assert wo.number not in response.content.decode()


def test_work_order_list_query_count(staff, planned, django_assert_max_num_queries) -> None:
    c = client(staff["production_reviewer"])
    with django_assert_max_num_queries(12):
        assert c.get(reverse("production:list")).status_code == 200


def test_work_order_list_puts_emergency_orders_first(staff, product, planned) -> None:
    """U6: an emergency order's work orders lead the list even when planned later."""
    urgent = order_for(staff["clerk"], product, quantity="30", priority="emergency")
    later = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=10), dt.time.min)
    )
    draft_production_plan(order=urgent, user=staff["production_reviewer"], start=later)
    rows = client(staff["production_head"]).get(reverse("production:list")).context["rows"]
    orders = [wo.order_id for wo, _late in rows]
    assert orders == [urgent.pk, urgent.pk, planned.pk, planned.pk]
    starts = [wo.planned_start for wo, _late in rows]
    assert starts[0] <= starts[1] and starts[2] <= starts[3]
