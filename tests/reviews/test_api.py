"""The review API: same rules as the pages, 4xx with field errors for bad payloads."""

import pytest
from rest_framework.test import APIClient

from gendan.reviews.models import ReviewState
from tests.factories import PASSWORD
from tests.reviews.conftest import FILER, REVIEWING, attendees_for, report, review_of

pytestmark = pytest.mark.django_db
API = "/api/v1"


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"conclusion": "maybe", "checklist": {}},
        {"conclusion": "pass", "checklist": "all fine"},
        {"conclusion": "pass", "checklist": {"specs_clear": "ok"}},
        {"conclusion": "pass", "checklist": {"specs_clear": {"note": 3}}, "version": "x"},
        [1, 2],
    ],
)
def test_malformed_reports_answer_400_with_fields(in_review, staff, payload) -> None:
    url = f"{API}/reviews/{review_of(in_review, 'technical').pk}/report/"
    answer = api(staff["technical_reviewer"]).post(url, payload, format="json")
    assert answer.status_code == 400, answer.content


def test_missing_item_answers_409_naming_the_item(in_review, staff) -> None:
    review = review_of(in_review, "technical")
    payload = report("technical")
    del payload["checklist"]["new_process"]
    answer = api(staff["technical_reviewer"]).post(
        f"{API}/reviews/{review.pk}/report/", payload, format="json"
    )
    assert answer.status_code == 409 and "checklist.new_process" in answer.json()
    review.refresh_from_db()
    assert review.state == ReviewState.OPEN


def test_report_filed_by_its_department_only(in_review, staff) -> None:
    review = review_of(in_review, "quality")
    url = f"{API}/reviews/{review.pk}/report/"
    assert (
        api(staff["technical_reviewer"]).post(url, report("quality"), format="json").status_code
        == 403
    )
    assert api(staff["auditor"]).post(url, report("quality"), format="json").status_code == 403
    assert api(staff["outsider"]).post(url, report("quality"), format="json").status_code == 404
    answer = api(staff["quality_reviewer"]).post(url, report("quality"), format="json")
    assert answer.status_code == 200 and answer.json()["state"] == "filed"
    listing = api(staff["clerk"]).get(f"{API}/orders/{in_review.number}/reviews/").json()
    assert {row["department"]["code"] for row in listing} == set(REVIEWING)


def test_meeting_signed_through_the_api(in_review, staff) -> None:
    for code in REVIEWING:
        api(staff[FILER[code]]).post(
            f"{API}/reviews/{review_of(in_review, code).pk}/report/", report(code), format="json"
        )
    people = attendees_for(staff)
    organiser = api(staff["sales_head"])
    created = organiser.post(
        f"{API}/orders/{in_review.number}/review-meetings/",
        {
            "held_at": "2026-11-23T09:00:00+08:00",
            "place": "Room 2",
            "attendees": [u.pk for u in people],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    meeting = created.json()["id"]
    bad = organiser.patch(
        f"{API}/review-meetings/{meeting}/",
        {"decision": "approved", "actions": [{"description": "x"}]},
        format="json",
    )
    assert bad.status_code == 400 and "actions" in bad.json()
    decided = organiser.patch(
        f"{API}/review-meetings/{meeting}/",
        {
            "decision": "approved",
            "actions": [
                {"description": "Go", "department": "production", "due_date": "2026-12-20"}
            ],
        },
        format="json",
    )
    assert decided.status_code == 200, decided.content
    assert (
        api(staff["clerk"])
        .post(f"{API}/review-meetings/{meeting}/sign/", {"password": PASSWORD}, format="json")
        .status_code
        == 403
    )
    wrong = api(people[1]).post(
        f"{API}/review-meetings/{meeting}/sign/", {"password": "x"}, format="json"
    )
    assert wrong.status_code == 409 and "password" in wrong.json()
    for person in people:
        assert (
            api(person)
            .post(f"{API}/review-meetings/{meeting}/sign/", {"password": PASSWORD}, format="json")
            .status_code
            == 200
        )
    final = api(staff["auditor"]).get(f"{API}/review-meetings/{meeting}/").json()
    assert final["unsigned"] == [] and all(s["valid"] for s in final["signatures"])
    step = organiser.post(
        f"{API}/orders/{in_review.number}/transitions/approve_review/", {}, format="json"
    )
    assert step.status_code == 200, step.content
