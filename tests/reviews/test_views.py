"""The review pages: who sees them, who may act on them, and errors shown beside the fields."""

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from gendan.reviews.actions import file_report, schedule_meeting, update_minutes
from gendan.reviews.models import ReviewState
from tests.factories import PASSWORD, department
from tests.reviews.conftest import FILER, REVIEWING, attendees_for, report, review_of

pytestmark = pytest.mark.django_db


def client(user) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user)
    return c


def _report_post(code: str, **changes) -> dict[str, str]:
    values = report(code)
    data = {"conclusion": values["conclusion"]}
    for item, answer in values["checklist"].items():
        data[f"item_{item}"] = answer["answer"]
    for output, text in values["outputs"].items():
        data[f"output_{output}"] = text
    for figure, amount in values["figures"].items():
        data[f"figure_{figure}"] = amount
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_review_overview_shows_overdue_and_is_hidden_from_outsiders(in_review, staff) -> None:
    page = client(staff["technical_reviewer"]).get(f"/reviews/order/{in_review.number}/")
    assert page.status_code == 200 and b"review-production" in page.content
    assert client(staff["outsider"]).get(f"/reviews/order/{in_review.number}/").status_code == 404


def test_report_with_a_missing_item_shows_the_error_beside_it(in_review, staff) -> None:
    review = review_of(in_review, "technical")
    url = review.get_absolute_url()
    answer = client(staff["technical_reviewer"]).post(
        url, _report_post("technical", item_training=None)
    )
    assert answer.status_code == 400
    assert (
        b"Answer this checklist item" in answer.content and b"Training or outside" in answer.content
    )
    review.refresh_from_db()
    assert review.state == ReviewState.OPEN
    done = client(staff["technical_reviewer"]).post(url, _report_post("technical"))
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.state == ReviewState.FILED


def test_another_department_may_read_but_not_file(in_review, staff) -> None:
    url = review_of(in_review, "production").get_absolute_url()
    reviewer = client(staff["technical_reviewer"])
    page = reviewer.get(url)
    assert page.status_code == 200 and b'name="item_equipment"' not in page.content
    assert reviewer.post(url, _report_post("production")).status_code == 403
    assert client(staff["auditor"]).post(url, _report_post("production")).status_code == 403
    assert client(staff["outsider"]).get(url).status_code == 404


def test_report_prints_as_pdf(in_review, staff) -> None:
    review = file_report(
        review=review_of(in_review, "finance"), user=staff["finance_reviewer"], **report("finance")
    )
    answer = client(staff["finance_reviewer"]).get(f"/reviews/{review.pk}/print.pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")


def _decided_meeting(order, staff):
    for code in REVIEWING:
        file_report(review=review_of(order, code), user=staff[FILER[code]], **report(code))
    meeting = schedule_meeting(
        order=order,
        user=staff["sales_head"],
        held_at=timezone.now(),
        place="Room 2",
        attendees=attendees_for(staff),
    )
    return update_minutes(
        meeting=meeting,
        user=staff["sales_head"],
        decision="approved",
        actions=[
            {
                "description": "Go",
                "department": department("production"),
                "owner": None,
                "due_date": order.requested_date,
            }
        ],
    )


def test_attendee_signs_on_the_page_and_others_may_not(in_review, staff) -> None:
    meeting = _decided_meeting(in_review, staff)
    sign_url = f"/reviews/meetings/{meeting.pk}/sign/"
    attendee = client(staff["quality_reviewer"])
    assert b'id="sign-form"' in attendee.get(meeting.get_absolute_url()).content
    wrong = attendee.post(sign_url, {"password": "nope"})
    assert wrong.status_code == 400 and b"password is not correct" in wrong.content
    assert attendee.post(sign_url, {"password": PASSWORD}).status_code == 302
    assert meeting.valid_signatures().filter(signer=staff["quality_reviewer"]).exists()
    assert client(staff["clerk"]).post(sign_url, {"password": PASSWORD}).status_code == 403
    assert client(staff["outsider"]).post(sign_url, {"password": PASSWORD}).status_code == 404


def test_organiser_edits_minutes_on_the_page_and_signatures_are_shown_voided(
    in_review, staff
) -> None:
    meeting = _decided_meeting(in_review, staff)
    client(staff["quality_reviewer"]).post(
        f"/reviews/meetings/{meeting.pk}/sign/", {"password": PASSWORD}
    )
    organiser = client(staff["sales_head"])
    data = {
        "held_at": timezone.localtime(meeting.held_at).strftime("%Y-%m-%dT%H:%M"),
        "place": "Room 3",
        "attendees": [u.pk for u in attendees_for(staff)],
        "decision": "approved",
        "discussion": "",
        "version": meeting.version,
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-0-description": "Go",
        "actions-0-department": department("production").pk,
        "actions-0-due_date": in_review.requested_date.isoformat(),
    }
    assert organiser.post(meeting.get_absolute_url(), data).status_code == 302
    page = client(staff["quality_reviewer"]).get(meeting.get_absolute_url())
    assert b'class="void"' in page.content and b"sign again" in page.content
    assert (
        client(staff["technical_reviewer"]).post(meeting.get_absolute_url(), data).status_code
        == 403
    )


def test_minutes_print_as_pdf(in_review, staff) -> None:
    meeting = _decided_meeting(in_review, staff)
    answer = client(staff["auditor"]).get(f"/reviews/meetings/{meeting.pk}/print.pdf")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")


def test_wrong_signing_passwords_count_as_failed_sign_ins(in_review, staff, settings) -> None:
    """The signing form is no way around the sign-in lockout: after the limit of wrong
    passwords even the right one is refused there, and signing in is locked too."""
    meeting = _decided_meeting(in_review, staff)
    sign_url = f"/reviews/meetings/{meeting.pk}/sign/"
    attendee = client(staff["quality_reviewer"])
    for _ in range(settings.AXES_FAILURE_LIMIT):
        wrong = attendee.post(sign_url, {"password": "guess"})
        assert wrong.status_code == 400

    refused = attendee.post(sign_url, {"password": PASSWORD})

    assert refused.status_code == 400
    assert b"Too many wrong passwords" in refused.content
    assert not meeting.valid_signatures().filter(signer=staff["quality_reviewer"]).exists()
    sign_in = Client().post(
        "/login/", {"username": staff["quality_reviewer"].username, "password": PASSWORD}
    )
    assert sign_in.status_code == 429
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(staff["quality_reviewer"])
    through_api = api.post(f"/api/v1/review-meetings/{meeting.pk}/sign/", {"password": PASSWORD})
    assert through_api.status_code == 409, through_api.content
    assert "Too many wrong passwords" in str(through_api.json())
