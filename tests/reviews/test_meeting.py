"""R3-R4: the review meeting, its signed minutes, and the guards of `approve_review`."""

import hashlib

import pytest
from django.core import mail
from django.utils import timezone

from gendan.core.errors import Blocked, NotPermitted
from gendan.customers.models import Contact
from gendan.documents.models import Category, Document
from gendan.ledger.models import Kind
from gendan.orders.actions import transition_order
from gendan.orders.status import Status
from gendan.reviews import minutes
from gendan.reviews.actions import (
    file_report,
    reject_after_review,
    schedule_meeting,
    sign_minutes,
    update_minutes,
)
from gendan.reviews.models import MinutesSignature
from tests.factories import PASSWORD, department
from tests.reviews.conftest import FILER, REVIEWING, attendees_for, report, review_of

pytestmark = pytest.mark.django_db

ACTION = [{"description": "Trial reel on PM2", "department": None, "owner": None, "due_date": None}]


def _file_all(order, staff, **by_department) -> None:
    for code in REVIEWING:
        file_report(
            review=review_of(order, code),
            user=staff[FILER[code]],
            **by_department.get(code, report(code)),
        )


def _meeting(order, staff):
    return schedule_meeting(
        order=order,
        user=staff["sales_head"],
        held_at=timezone.now(),
        place="Room 2",
        attendees=attendees_for(staff),
    )


def _decide(meeting, staff, decision="approved", **more):
    actions = [
        {
            "description": "Production per plan",
            "department": department("production"),
            "owner": None,
            "due_date": meeting.order.requested_date,
        }
    ]
    return update_minutes(
        meeting=meeting, user=staff["sales_head"], decision=decision, actions=actions, **more
    )


def _sign_all(meeting, staff) -> None:
    for person in attendees_for(staff):
        sign_minutes(meeting=meeting, user=person, password=PASSWORD)


def _approve(order, staff):
    return transition_order(order=order, name="approve_review", user=staff["sales_head"])


def test_agenda_puts_fails_and_conditions_first(in_review, staff) -> None:
    _file_all(
        in_review,
        staff,
        procurement=report(
            "procurement",
            conclusion="fail",
            outputs={},
            reasons="Pulp 60 days late",
            proposals="Later date",
        ),
        quality=report("quality", conclusion="conditions", conditions="Extra burst tests"),
    )
    meeting = _meeting(in_review, staff)
    assert [item["department"] for item in meeting.agenda][:2] == ["procurement", "quality"]
    assert meeting.agenda[0]["reasons"] == "Pulp 60 days late"


def test_only_sales_organises_the_meeting(in_review, staff) -> None:
    with pytest.raises(NotPermitted):
        schedule_meeting(
            order=in_review,
            user=staff["technical_reviewer"],
            held_at=timezone.now(),
            place="Room",
            attendees=attendees_for(staff),
        )


def test_every_reviewing_department_is_invited(in_review, staff) -> None:
    with pytest.raises(Blocked) as refused:
        schedule_meeting(
            order=in_review,
            user=staff["sales_head"],
            held_at=timezone.now(),
            place="Room",
            attendees=[staff["sales_head"], staff["technical_reviewer"]],
        )
    assert "attendees" in refused.value.fields


def test_signature_is_authenticated_timestamped_and_bound_to_the_content(in_review, staff) -> None:
    _file_all(in_review, staff)
    meeting = _decide(_meeting(in_review, staff), staff)
    with pytest.raises(Blocked) as refused:
        sign_minutes(meeting=meeting, user=staff["technical_reviewer"], password="wrong")
    assert "password" in refused.value.fields
    signature = sign_minutes(meeting=meeting, user=staff["technical_reviewer"], password=PASSWORD)
    expected = hashlib.sha256(minutes.canonical_json(meeting).encode()).hexdigest()
    assert signature.content_hash == expected == meeting.content_hash
    assert signature.signed_at is not None
    assert signature.seal == minutes.seal(
        signer_id=staff["technical_reviewer"].pk,
        signed_at_iso=signature.signed_at.isoformat(),
        digest=expected,
    )
    with pytest.raises(Blocked):
        sign_minutes(meeting=meeting, user=staff["technical_reviewer"], password=PASSWORD)


@pytest.mark.parametrize("intruder", ["clerk", "gm", "auditor", "logistics_reviewer"])
def test_only_attendees_sign(in_review, staff, intruder) -> None:
    _file_all(in_review, staff)
    meeting = _decide(_meeting(in_review, staff), staff)
    with pytest.raises(NotPermitted):
        sign_minutes(meeting=meeting, user=staff[intruder], password=PASSWORD)


def test_minutes_are_signed_only_once_decided(in_review, staff) -> None:
    _file_all(in_review, staff)
    meeting = _meeting(in_review, staff)
    with pytest.raises(Blocked):
        sign_minutes(meeting=meeting, user=staff["sales_head"], password=PASSWORD)


def test_editing_the_minutes_voids_every_signature_until_signed_again(in_review, staff) -> None:
    _file_all(in_review, staff)
    meeting = _decide(_meeting(in_review, staff), staff)
    _sign_all(meeting, staff)
    old_hash = meeting.content_hash
    meeting = update_minutes(
        meeting=meeting, user=staff["sales_head"], discussion="Added: trial reel first."
    )
    assert meeting.content_hash != old_hash
    voided = MinutesSignature.objects.filter(meeting=meeting)
    assert voided.count() == 6 and all(
        s.voided_at and "sign again" in s.void_reason for s in voided
    )
    with pytest.raises(Blocked) as refused:
        _approve(in_review, staff)
    assert "not yet signed" in refused.value.messages[0]
    _sign_all(meeting, staff)
    assert meeting.valid_signatures().count() == 6
    assert _approve(in_review, staff).status == Status.CONTRACT
    edit = in_review.ledger.filter(data__event="minutes.edited").latest("at", "id")
    assert (
        len(edit.data["voided"]) == 6
        and edit.changes["discussion"][1] == "Added: trial reel first."
    )


def test_a_save_without_change_keeps_the_signatures(in_review, staff) -> None:
    _file_all(in_review, staff)
    meeting = _decide(_meeting(in_review, staff), staff)
    sign_minutes(meeting=meeting, user=staff["sales_head"], password=PASSWORD)
    update_minutes(meeting=meeting, user=staff["sales_head"], place=meeting.place)
    assert meeting.valid_signatures().count() == 1


def test_approval_waits_for_every_report(in_review, staff) -> None:
    file_report(
        review=review_of(in_review, "technical"),
        user=staff["technical_reviewer"],
        **report("technical"),
    )
    with pytest.raises(Blocked) as refused:
        _approve(in_review, staff)
    assert "Waiting for the review reports" in refused.value.messages[0]
    assert in_review.status == Status.DEPARTMENT_REVIEW


def test_a_failed_review_needs_the_meetings_resolution(in_review, staff) -> None:
    _file_all(
        in_review,
        staff,
        procurement=report(
            "procurement",
            conclusion="fail",
            outputs={},
            reasons="Pulp late",
            proposals="Use domestic pulp",
        ),
    )
    meeting = _meeting(in_review, staff)
    with pytest.raises(Blocked) as refused:
        _decide(meeting, staff)
    assert "fail_resolution" in refused.value.fields
    meeting = _decide(meeting, staff, fail_resolution="Domestic pulp accepted by the customer.")
    _sign_all(meeting, staff)
    assert _approve(in_review, staff).status == Status.CONTRACT


def test_a_report_amended_after_the_agenda_blocks_approval_until_refreshed(
    in_review, staff
) -> None:
    _file_all(in_review, staff)
    meeting = _decide(_meeting(in_review, staff), staff)
    _sign_all(meeting, staff)
    file_report(
        review=review_of(in_review, "quality"),
        user=staff["quality_reviewer"],
        **report("quality", conclusion="conditions", conditions="Moisture 6-8 %"),
    )
    with pytest.raises(Blocked) as refused:
        _approve(in_review, staff)
    assert "refresh the agenda" in " ".join(refused.value.messages)
    meeting = update_minutes(meeting=meeting, user=staff["sales_head"], refresh_agenda=True)
    _sign_all(meeting, staff)
    assert _approve(in_review, staff).status == Status.CONTRACT


def test_meeting_must_approve(in_review, staff) -> None:
    _file_all(in_review, staff)
    meeting = _decide(_meeting(in_review, staff), staff, decision="follow_up")
    _sign_all(meeting, staff)
    with pytest.raises(Blocked) as refused:
        _approve(in_review, staff)
    assert "has not approved" in refused.value.messages[0]


def test_approved_minutes_need_owners_and_milestones(in_review, staff) -> None:
    _file_all(in_review, staff)
    meeting = _meeting(in_review, staff)
    with pytest.raises(Blocked) as refused:
        update_minutes(
            meeting=meeting, user=staff["sales_head"], decision="approved", actions=ACTION
        )
    assert "actions.1" in refused.value.fields


def test_fully_signed_minutes_are_kept_as_a_pdf(in_review, staff) -> None:
    _file_all(in_review, staff)
    meeting = _decide(_meeting(in_review, staff), staff)
    _sign_all(meeting, staff)
    document = Document.objects.get(order=in_review, category=Category.MINUTES)
    assert document.content_type == "application/pdf" and document.size > 1000


def test_rejection_goes_to_the_customer_with_alternatives(
    in_review, staff, django_capture_on_commit_callbacks
) -> None:
    Contact.objects.create(
        customer=in_review.customer, name="Ms Wang", email="wang@carton.example", is_primary=True
    )
    _file_all(
        in_review,
        staff,
        production=report(
            "production",
            conclusion="fail",
            outputs={},
            reasons="PM2 full until March",
            proposals="Later date",
        ),
    )
    meeting = _decide(_meeting(in_review, staff), staff, decision="rejected")
    with pytest.raises(Blocked):  # minutes not signed yet
        reject_after_review(
            order=in_review,
            user=staff["sales_head"],
            reasons="No capacity",
            counterpart="Ms Wang",
            changed_requirements="140 g/m² instead",
        )
    _sign_all(meeting, staff)
    with pytest.raises(Blocked) as refused:
        reject_after_review(
            order=in_review, user=staff["sales_head"], reasons="No capacity", counterpart="Ms Wang"
        )
    assert "alternatives" in refused.value.fields
    with pytest.raises(NotPermitted):
        reject_after_review(
            order=in_review,
            user=staff["clerk"],
            reasons="x",
            counterpart="y",
            changed_requirements="z",
        )
    with django_capture_on_commit_callbacks(execute=True):
        reject_after_review(
            order=in_review,
            user=staff["sales_head"],
            reasons="PM2 is full until March.",
            counterpart="Ms Wang",
            alternative_date=in_review.requested_date.replace(day=1),
            changed_requirements="140 g/m² from stock",
        )
    in_review.refresh_from_db()
    assert in_review.status == Status.REJECTED
    told = in_review.ledger.get(kind=Kind.COMMUNICATION, data__event="review.rejection_sent")
    assert told.counterpart == "Ms Wang" and "140 g/m²" in told.body
    (sent,) = [m for m in mail.outbox if m.to == ["wang@carton.example"]]
    assert "PM2 is full until March." in sent.body
