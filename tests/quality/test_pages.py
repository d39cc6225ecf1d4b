"""Quality pages and API: forms, refusals as field errors, access, and the printed forms
(Chinese and English) showing what the page shows."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from gendan.production.actions import report_progress
from gendan.quality.actions import inspect_progress
from gendan.quality.models import Inspection, NCStatus, Nonconformance

pytestmark = pytest.mark.django_db
D = Decimal


def text_of(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def report(released):
    return report_progress(
        work_order=released["paper"],
        user=released["leader"],
        good_quantity="10",
        scrap_quantity="0.5",
        hours="2",
    )


def _values(released, moisture="7.5"):
    s = released["standards"]
    return {f"value_{s['ip_grammage'].pk}": "120", f"value_{s['ip_moisture'].pk}": moisture}


def test_inspection_form_records_a_failure(staff, released, report, client_for) -> None:
    client = client_for("quality_reviewer")
    url = f"/quality/inspect/progress/{report.pk}/"
    assert client.get(url).status_code == 200
    answer = client.post(url, {**_values(released, moisture="9.2"), "quarantine_quantity": "4"})
    inspection = Inspection.objects.get()
    assert answer.status_code == 302 and answer["Location"] == inspection.get_absolute_url()
    assert inspection.nonconformance.quantity == D("4")
    page = client.get(inspection.get_absolute_url()).content.decode()
    assert inspection.nonconformance.number in page


def test_missing_value_is_a_field_error(staff, released, report, client_for) -> None:
    values = _values(released)
    values.pop(next(iter(values)))
    answer = client_for("quality_reviewer").post(f"/quality/inspect/progress/{report.pk}/", values)
    assert answer.status_code == 400
    assert not Inspection.objects.exists()


def test_inspect_page_is_refused_to_other_departments(staff, released, report, client_for) -> None:
    url = f"/quality/inspect/progress/{report.pk}/"
    assert client_for("clerk").get(url).status_code == 403  # sees the order, may not inspect
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("clerk").post(url, _values(released)).status_code == 403
    assert not Inspection.objects.exists()


def test_concession_by_a_reviewer_is_refused_on_the_page(
    staff, released, report, client_for
) -> None:
    nc = inspect_progress(
        progress_report=report,
        user=staff["quality_reviewer"],
        values={k.removeprefix("value_"): v for k, v in _values(released, "9.3").items()},
    ).nonconformance
    data = {"disposition": "concession", "cause": "steam", "corrective_action": "valve"}
    assert (
        client_for("quality_reviewer").post(f"/quality/nc/{nc.number}/decide/", data).status_code
        == 403
    )
    nc.refresh_from_db()
    assert nc.status == NCStatus.OPEN
    answer = client_for("quality_head").post(f"/quality/nc/{nc.number}/decide/", data)
    assert answer.status_code == 302
    nc.refresh_from_db()
    assert nc.status == NCStatus.CLOSED


def test_api_records_inspection_and_decision(staff, released, report, client_for) -> None:
    client = client_for("quality_reviewer")
    s = released["standards"]
    answer = client.post(
        "/api/v1/inspections/",
        {
            "progress_report": report.pk,
            "values": [
                {"standard": s["ip_grammage"].pk, "value": "130"},
                {"standard": s["ip_moisture"].pk, "value": "7.5"},
            ],
        },
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["result"] == "failed" and body["nonconformance"]
    decided = client.post(
        f"/api/v1/nonconformances/{body['nonconformance']}/decide/",
        {"disposition": "concession", "cause": "x", "corrective_action": "y"},
        content_type="application/json",
    )
    assert decided.status_code == 403
    decided = client.post(
        f"/api/v1/nonconformances/{body['nonconformance']}/decide/",
        {
            "disposition": "rework",
            "cause": "Basis weight drift",
            "corrective_action": "Re-calibrate",
        },
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "rework"
    listed = client.get("/api/v1/nonconformances/?open=true").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["number"] for r in rows] == [body["nonconformance"]]


def test_api_bad_values_are_field_errors(staff, released, report, client_for) -> None:
    answer = client_for("quality_reviewer").post(
        "/api/v1/inspections/",
        {"progress_report": report.pk, "values": [{"standard": 1, "value": "abc"}]},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert not Inspection.objects.exists()


def test_schema_lists_the_endpoints(client_for, staff) -> None:
    schema = client_for("gm").get("/api/schema/").content.decode()
    for path in (
        "/api/v1/inspections/",
        "/api/v1/nonconformances/{number}/decide/",
        "/api/v1/inspection-standards/",
        "/api/v1/warehouse-receipts/",
    ):
        assert path in schema


def test_printed_forms_show_what_the_page_shows(staff, released, report, client_for) -> None:
    inspection = inspect_progress(
        progress_report=report,
        user=staff["quality_reviewer"],
        values={k.removeprefix("value_"): v for k, v in _values(released, "9.3").items()},
    )
    nc = Nonconformance.objects.get()
    client = client_for("quality_reviewer")
    zh = client.get(f"/quality/inspections/{inspection.number}/print/?lang=zh-hans")
    assert zh["Content-Type"] == "application/pdf"
    text = text_of(zh.content)
    assert "质量检验报告" in text and inspection.number in text and "9.3" in text
    en = text_of(client.get(f"/quality/inspections/{inspection.number}/print/?lang=en").content)
    assert "Inspection report" in en and "Moisture" in en and "6 – 9" in en
    form = text_of(client.get(f"/quality/nc/{nc.number}/print/?lang=zh-hans").content)
    assert "不合格品处理单" in form and nc.number in form
    page = client.get(f"/quality/nc/{nc.number}/").content.decode()
    assert "6 – 9 %" in page and "9.3" in page
