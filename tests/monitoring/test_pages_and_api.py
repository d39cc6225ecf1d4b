"""The supervision page (M3), notice pages and the monitoring API: access, resolving, and a
number of queries that does not grow with the data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from gendan.accounts.models import Department
from gendan.core.errors import Blocked, NotPermitted
from gendan.monitoring.actions import resolve_notice, run_checks
from gendan.monitoring.models import NoticeKind, NoticeStatus, RectificationNotice
from gendan.orders.status import Status
from gendan.tasks.actions import open_task
from gendan.tasks.models import TaskState
from tests.purchasing.helpers import order_for, paper_product

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def noticed(mill):
    run_checks()
    return {**mill, "late": RectificationNotice.objects.get(kind=NoticeKind.LATE_PURCHASE)}


def test_supervision_page_for_management_heads_and_auditors_only(noticed, client_for) -> None:
    url = reverse("monitoring:supervision")
    for name in ("gm", "auditor", "production_head", "admin"):
        assert client_for(name).get(url).status_code == 200, name
    for name in ("clerk", "technical_reviewer", "buyer"):
        assert client_for(name).get(url).status_code == 403, name
    page = client_for("gm").get(url).content.decode()
    assert noticed["late"].number in page
    assert noticed["po"].number in page  # late purchase orders section
    assert "WO-" in page  # work orders behind plan


def test_supervision_lists_missing_records(staff, client_for) -> None:
    without_plan = order_for(staff["clerk"], paper_product("X1"), status=Status.IN_EXECUTION)
    delivered = order_for(staff["clerk"], paper_product("X2"), status=Status.DELIVERED)
    page = client_for("gm").get(reverse("monitoring:supervision")).content.decode()
    section = page.split('id="section-no_production_plan"')[1].split("</section>")[0]
    assert without_plan.number in section and delivered.number not in section
    section = page.split('id="section-no_delivery_note"')[1].split("</section>")[0]
    assert delivered.number in section and without_plan.number not in section


def _grow(staff, n: int) -> None:
    """n more orders without a plan, n more overdue tasks on them."""
    production = Department.objects.get(code="production")
    for i in range(n):
        order = order_for(staff["clerk"], paper_product(f"G{i}"), status=Status.IN_EXECUTION)
        open_task(
            user=None,
            title=f"Overdue {i}",
            due_at=timezone.now() - dt.timedelta(hours=1),
            order=order,
            department=production,
        )


def test_supervision_page_queries_do_not_grow_with_the_data(noticed, staff, client_for) -> None:
    client = client_for("gm")
    url = reverse("monitoring:supervision")
    client.get(url)  # sessions, settings rows
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(staff, 15)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url)
    assert page.status_code == 200
    assert len(large.captured_queries) <= len(small.captured_queries) + 2  # capped counts
    assert len(large.captured_queries) <= 25


def test_head_sees_the_sections_within_reach(noticed, staff, client_for) -> None:
    from gendan.accounts.models import Role
    from tests.factories import UserFactory

    behind = RectificationNotice.objects.filter(kind=NoticeKind.BEHIND_PLAN).first()
    page = client_for("production_head").get(reverse("monitoring:supervision")).content.decode()
    assert behind.number in page  # the plan routed the order to production
    staff["legal_head"] = UserFactory(username="legal_head", role=Role.HEAD, departments=["legal"])
    page = client_for("legal_head").get(reverse("monitoring:supervision")).content.decode()
    assert "RN-" not in page and noticed["po"].number not in page


def test_notice_detail_and_resolving_on_the_page(noticed, staff, client_for) -> None:
    notice = noticed["late"]
    url = reverse("monitoring:notice", args=[notice.pk])
    assert client_for("buyer").get(url).status_code == 200
    assert client_for("other_clerk").get(url).status_code == 404
    resolve = reverse("monitoring:resolve", args=[notice.pk])
    assert client_for("other_clerk").post(resolve, {"resolution": "x"}).status_code == 404
    assert client_for("clerk").post(resolve, {"resolution": "x"}).status_code == 403
    assert client_for("buyer").post(resolve, {"resolution": ""}).status_code == 400
    done = client_for("buyer").post(resolve, {"resolution": "Supplier ships tomorrow"})
    assert done.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.RESOLVED
    assert notice.resolved_by == staff["buyer"]
    assert notice.task.state == TaskState.DONE


def test_resolve_rules(noticed, staff) -> None:
    notice = noticed["late"]
    with pytest.raises(NotPermitted):
        resolve_notice(notice=notice, user=staff["auditor"], resolution="x")
    with pytest.raises(NotPermitted):
        resolve_notice(notice=notice, user=staff["production_head"], resolution="x")
    with pytest.raises(Blocked) as empty:
        resolve_notice(notice=notice, user=staff["procurement_head"], resolution=" ")
    assert "resolution" in empty.value.fields
    resolve_notice(notice=notice, user=staff["procurement_head"], resolution="Expedited")
    with pytest.raises(Blocked):
        resolve_notice(notice=notice, user=staff["gm"], resolution="again")


def test_notice_list_filters(noticed, client_for) -> None:
    client = client_for("gm")
    page = client.get(reverse("monitoring:notices") + "?kind=late_purchase").content.decode()
    assert noticed["late"].number in page
    behind = RectificationNotice.objects.filter(kind=NoticeKind.BEHIND_PLAN).first()
    assert behind.number not in page
    resolved = client.get(reverse("monitoring:notices") + "?status=resolved").content.decode()
    assert noticed["late"].number not in resolved


def test_run_checks_by_hand_is_for_management(mill, client_for) -> None:
    assert client_for("clerk").post(reverse("monitoring:run")).status_code == 403
    assert client_for("auditor").post(reverse("monitoring:run")).status_code == 403
    assert not RectificationNotice.objects.exists()
    assert client_for("gm").post(reverse("monitoring:run")).status_code == 302
    assert RectificationNotice.objects.count() == 5


def test_api_notices_resolve_run_and_supervision(mill, staff) -> None:
    assert api(staff["clerk"]).post("/api/v1/monitoring/run/").status_code == 403
    run = api(staff["gm"]).post("/api/v1/monitoring/run/")
    assert run.status_code == 200 and sum(run.json()["opened"].values()) == 5
    again = api(staff["gm"]).post("/api/v1/monitoring/run/")
    assert sum(again.json()["opened"].values()) == 0
    listing = api(staff["buyer"]).get("/api/v1/rectification-notices/?kind=late_purchase")
    assert listing.status_code == 200
    body = listing.json()
    rows = body["results"] if isinstance(body, dict) else body
    assert len(rows) == 1
    pk = rows[0]["id"]
    assert api(staff["other_clerk"]).get(f"/api/v1/rectification-notices/{pk}/").status_code == 404
    bad = api(staff["buyer"]).post(
        f"/api/v1/rectification-notices/{pk}/resolve/", {}, format="json"
    )
    assert bad.status_code == 400
    ok = api(staff["buyer"]).post(
        f"/api/v1/rectification-notices/{pk}/resolve/", {"resolution": "Done"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == "resolved"
    conflict = api(staff["buyer"]).post(
        f"/api/v1/rectification-notices/{pk}/resolve/", {"resolution": "Done"}, format="json"
    )
    assert conflict.status_code == 409
    summary = api(staff["gm"]).get("/api/v1/supervision/")
    assert summary.status_code == 200
    assert summary.json()["notices"]["count"] == 4
    assert api(staff["clerk"]).get("/api/v1/supervision/").status_code == 403


def test_schema_lists_the_endpoints(client_for) -> None:
    schema = client_for("gm").get("/api/schema/").content.decode()
    for path in (
        "/api/v1/rectification-notices/",
        "/api/v1/supervision/",
        "/api/v1/monitoring/run/",
        "/api/v1/service-cases/",
        "/api/v1/return-visits/",
        "/api/v1/aftersales-analysis/",
    ):
        assert path in schema, path
