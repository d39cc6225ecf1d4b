"""After-sales pages, API, the analysis (A3) and the printed 售后服务记录."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from gendan.aftersales.actions import open_case, record_return_visit
from gendan.aftersales.models import ServiceCase
from gendan.aftersales.printing import record_context
from gendan.aftersales.selectors import analysis
from tests.purchasing.helpers import order_for, paper_product

pytestmark = pytest.mark.django_db


def case_for(user, order, **extra):
    values = {
        "user": user,
        "customer": None,
        "order": order,
        "source": "email",
        "case_type": "delivery",
        "severity": "minor",
        "title": "Late by two days",
        "description": "The truck came two days late.",
    }
    values.update(extra)
    return open_case(**values)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_case_pages_keep_the_one_door(staff, delivered, client_for) -> None:
    case = case_for(staff["clerk"], delivered)
    url = reverse("aftersales:case", args=[case.pk])
    assert client_for("clerk").get(url).status_code == 200
    assert client_for("aftersales_reviewer").get(url).status_code == 200
    assert client_for("other_clerk").get(url).status_code == 404
    assert client_for("technical_reviewer").get(url).status_code == 404
    response = client_for("other_clerk").post(
        reverse("aftersales:resolve", args=[case.pk]), {"resolution": "x"}
    )
    assert response.status_code == 404
    listing = client_for("other_clerk").get(reverse("aftersales:cases"))
    assert case.number not in listing.content.decode()
    assert case.number in client_for("gm").get(reverse("aftersales:cases")).content.decode()


def test_open_a_case_on_the_page_and_resolve_it(staff, delivered, client_for) -> None:
    client = client_for("clerk")
    form = client.get(reverse("aftersales:case_create") + f"?order={delivered.number}")
    assert form.status_code == 200
    response = client.post(
        reverse("aftersales:case_create"),
        {
            "order": delivered.number,
            "source": "phone",
            "case_type": "quality",
            "severity": "minor",
            "title": "Curl",
            "description": "Sheets curl after printing",
        },
    )
    case = ServiceCase.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    bad = client.post(reverse("aftersales:resolve", args=[case.pk]), {"resolution": ""})
    assert bad.status_code == 400
    done = client.post(reverse("aftersales:resolve", args=[case.pk]), {"resolution": "Advice"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.is_resolved


def test_a_case_without_an_order_takes_the_customer_by_name(staff, delivered, client_for):
    customer = delivered.customer
    client = client_for("clerk")
    case = {
        "source": "phone",
        "case_type": "quality",
        "severity": "minor",
        "title": "Curl",
        "description": "Sheets curl after printing",
    }

    unknown = client.post(reverse("aftersales:case_create"), {**case, "customer": "Nobody Ltd"})
    by_name = client.post(
        reverse("aftersales:case_create"), {**case, "customer": customer.name.upper()}
    )

    assert unknown.status_code == 400 and "Nobody Ltd" in unknown.content.decode()
    assert by_name.status_code == 302
    assert ServiceCase.objects.get().customer == customer


def test_page_refuses_an_order_the_user_does_not_see(staff, delivered, client_for) -> None:
    response = client_for("other_clerk").post(
        reverse("aftersales:case_create"),
        {
            "order": delivered.number,
            "source": "phone",
            "case_type": "quality",
            "severity": "minor",
            "title": "x",
            "description": "y",
        },
    )
    assert response.status_code == 400
    assert not ServiceCase.objects.exists()


def test_auditor_reads_but_may_not_open(staff, delivered, client_for) -> None:
    client = client_for("auditor")
    assert client.get(reverse("aftersales:cases")).status_code == 200
    assert client.get(reverse("aftersales:case_create")).status_code == 403
    assert client.get(reverse("aftersales:analysis")).status_code == 200


def test_printed_record_in_chinese_and_english(staff, delivered, client_for) -> None:
    case = case_for(staff["clerk"], delivered)
    html_zh = Template('{% include "aftersales/print/record.html" %}').render(
        Context(record_context(case, "zh-hans"))
    )
    assert "售后服务记录" in html_zh
    assert record_context(case, "en")["form_title"] == "After-sales service record"
    client = client_for("clerk")
    for language in ("zh-hans", "en"):
        response = client.get(reverse("aftersales:case_pdf", args=[case.pk]) + f"?lang={language}")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    assert (
        client_for("other_clerk").get(reverse("aftersales:case_pdf", args=[case.pk])).status_code
        == 404
    )


def test_analysis_ranks_products_and_customers_with_satisfaction(staff, delivered) -> None:
    second = order_for(staff["clerk"], paper_product("KL200"), quantity="10", status="delivered")
    product = delivered.lines.get().product
    for _ in range(3):
        case_for(staff["clerk"], delivered, product=product)
    case_for(staff["clerk"], second, severity="major", product=second.lines.get().product)
    old = case_for(staff["clerk"], second)
    ServiceCase.objects.filter(pk=old.pk).update(
        reported_at=timezone.now() - dt.timedelta(days=200)
    )
    for score in (2, 4):
        record_return_visit(
            user=staff["clerk"],
            customer=None,
            order=delivered,
            method="phone",
            visited_on=timezone.localdate(),
            satisfaction=score,
        )
    today = timezone.localdate()
    result = analysis(staff["gm"], today - dt.timedelta(days=30), today)
    assert result.cases == 4
    assert result.major == 1
    assert [(r["product__code"], r["count"]) for r in result.by_product] == [
        ("CM120", 3),
        ("KL200", 1),
    ]
    assert result.by_product[0]["satisfaction"] == 3
    assert result.by_customer[0]["count"] == 3
    assert result.by_customer[0]["visits"] == 2
    assert result.satisfaction == 3
    wide = analysis(staff["gm"], today - dt.timedelta(days=365), today)
    assert wide.cases == 5
    assert analysis(staff["other_clerk"], today - dt.timedelta(days=30), today).cases == 0


def test_analysis_page_filters_dates_and_rejects_a_reversed_period(staff, delivered, client_for):
    case_for(staff["clerk"], delivered)
    client = client_for("gm")
    page = client.get(reverse("aftersales:analysis"))
    assert page.status_code == 200
    assert 'id="total-cases">1<' in page.content.decode()
    bad = client.get(reverse("aftersales:analysis") + "?date_from=2026-05-01&date_to=2026-04-01")
    assert bad.status_code == 400
    empty = client.get(reverse("aftersales:analysis") + "?date_from=2020-01-01&date_to=2020-02-01")
    assert 'id="total-cases">0<' in empty.content.decode()


def test_api_opens_escalates_and_resolves_cases(staff, delivered) -> None:
    client = api(staff["clerk"])
    created = client.post(
        "/api/v1/service-cases/",
        {
            "order": delivered.number,
            "source": "complaint_form",
            "case_type": "quality",
            "severity": "minor",
            "title": "Dust on the surface",
            "description": "Paper dust on the surface of roll 3",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["owner"]["username"] == "clerk"
    bad = client.post(
        "/api/v1/service-cases/",
        {
            "order": delivered.number,
            "source": "x",
            "case_type": "quality",
            "severity": "huge",
            "title": "t",
            "description": "d",
        },
        format="json",
    )
    assert bad.status_code == 400 and {"source", "severity"} <= set(
        bad.json().get("fields", bad.json())
    )
    hidden = api(staff["other_clerk"]).get(f"/api/v1/service-cases/{pk}/")
    assert hidden.status_code == 404
    escalated = client.post(
        f"/api/v1/service-cases/{pk}/escalate/", {"note": "Repeated"}, format="json"
    )
    assert escalated.status_code == 200 and escalated.json()["status"] == "escalated"
    refused = client.post(
        f"/api/v1/service-cases/{pk}/resolve/", {"resolution": "x"}, format="json"
    )
    assert refused.status_code == 409
    meeting = client.post(
        f"/api/v1/service-cases/{pk}/meetings/",
        {
            "held_at": timezone.now().isoformat(),
            "attendees": [staff["clerk"].pk, staff["quality_head"].pk],
            "discussion": "Dust from slitting",
            "decisions": "Clean the slitter daily",
        },
        format="json",
    )
    assert meeting.status_code == 201, meeting.content
    assert len(meeting.json()["meetings"]) == 1
    resolved = client.post(
        f"/api/v1/service-cases/{pk}/resolve/", {"resolution": "Credit note"}, format="json"
    )
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    assert (
        api(staff["auditor"])
        .post(f"/api/v1/service-cases/{pk}/escalate/", {"note": "x"}, format="json")
        .status_code
        == 403
    )


def test_api_return_visits_and_analysis(staff, delivered) -> None:
    client = api(staff["clerk"])
    bad = client.post(
        "/api/v1/return-visits/",
        {
            "order": delivered.number,
            "method": "phone",
            "visited_on": "2026-11-20",
            "satisfaction": 6,
        },
        format="json",
    )
    assert bad.status_code == 400
    ok = client.post(
        "/api/v1/return-visits/",
        {
            "order": delivered.number,
            "method": "visit",
            "visited_on": str(timezone.localdate()),
            "satisfaction": 5,
            "feedback": "Happy",
        },
        format="json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["customer"] == delivered.customer.code
    result = client.get("/api/v1/aftersales-analysis/")
    assert result.status_code == 200 and result.json()["visits"] == 1
    assert (
        client.get(
            "/api/v1/aftersales-analysis/?date_from=2026-05-01&date_to=2026-04-01"
        ).status_code
        == 400
    )
    assert "Happy" in client.get("/api/v1/return-visits/").content.decode()
    assert "Happy" not in api(staff["other_clerk"]).get("/api/v1/return-visits/").content.decode()


def test_order_panel_tag_shows_the_order_cases(staff, delivered) -> None:
    case = case_for(staff["clerk"], delivered)
    request = RequestFactory().get("/")
    request.user = staff["clerk"]
    html = Template("{% load aftersales %}{% aftersales_panel order %}").render(
        Context({"request": request, "order": delivered})
    )
    assert case.number in html
    request.user = staff["other_clerk"]
    hidden = Template("{% load aftersales %}{% aftersales_panel order %}").render(
        Context({"request": request, "order": delivered})
    )
    assert case.number not in hidden


def render_panel(user, order) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load aftersales %}{% aftersales_panel order %}").render(
        Context({"request": request, "order": order})
    )


def test_order_panel_shows_others_cases_and_visits_on_an_order_the_user_sees(
    staff, delivered
) -> None:
    case = case_for(staff["aftersales_head"], delivered, owner=staff["aftersales_head"])
    record_return_visit(
        user=staff["quality_head"],
        customer=None,
        order=delivered,
        method="phone",
        visited_on=timezone.localdate(),
        satisfaction=4,
        feedback="Rolls arrived dry",
    )
    html = render_panel(staff["clerk"], delivered)
    assert case.number in html and "Rolls arrived dry" in html
    hidden = render_panel(staff["other_clerk"], delivered)
    assert case.number not in hidden and "Rolls arrived dry" not in hidden


def test_order_panel_without_after_sales_costs_one_query(
    staff, delivered, django_assert_num_queries
) -> None:
    clerk = staff["clerk"]
    clerk.department_codes()  # the user's memberships are read once per request anyway
    with django_assert_num_queries(1):
        html = render_panel(clerk, delivered)
    assert "No cases." in html
