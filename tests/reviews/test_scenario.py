"""The story from an order in intake review to an allocated order, told by the ledger.

Five department reviews (production late and escalated, quality with conditions), the meeting
signed by every attendee, the signatures voided by an edit and given again, the contract
reviewed by legal and signed, the confirmation e-mailed with its PDF, the allocation released.
"""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from gendan.contracts.actions import (
    comment_on_contract,
    decide_legal_review,
    draft_contract,
    issue_confirmation,
    propose_allocation,
    record_coordination_meeting,
    release_allocation,
    revise_contract,
    submit_for_legal_review,
    upload_signed_contract,
)
from gendan.customers.models import Contact
from gendan.ledger.models import LedgerEntry
from gendan.orders.actions import transition_order
from gendan.orders.status import Status
from gendan.reviews.actions import file_report, schedule_meeting, sign_minutes, update_minutes
from gendan.reviews.models import MinutesSignature
from gendan.tasks.actions import escalate_overdue_tasks
from gendan.tasks.models import Task, TaskState
from tests.factories import PASSWORD, department, make_order
from tests.reviews.conftest import FILER, attendees_for, report, review_of

pytestmark = pytest.mark.django_db


def test_from_intake_review_to_allocated_order(staff, django_capture_on_commit_callbacks) -> None:
    clerk, head, legal = staff["clerk"], staff["sales_head"], staff["legal_reviewer"]
    order = make_order(user=clerk, customer_reference="PO-7781")
    Contact.objects.create(
        customer=order.customer, name="Ms Zhao", email="zhao@box.example", is_primary=True
    )
    transition_order(order=order, name="submit", user=clerk)
    with django_capture_on_commit_callbacks(execute=True):
        transition_order(order=order, name="approve_intake", user=head)

        # technical, procurement and finance pass; quality passes with conditions
        for code in ["technical", "procurement", "finance"]:
            file_report(review=review_of(order, code), user=staff[FILER[code]], **report(code))
        file_report(
            review=review_of(order, "quality"),
            user=staff["quality_reviewer"],
            **report(
                "quality",
                conclusion="conditions",
                conditions="Burst index at least 3.0 kPa·m²/g, tested on every reel.",
            ),
        )
        # production misses its deadline: escalated to the head, then filed late
        late = review_of(order, "production")
        Task.objects.filter(pk=late.task_id).update(due_at=timezone.now() - dt.timedelta(hours=2))
        assert escalate_overdue_tasks() == 1
        file_report(review=late, user=staff["production_head"], **report("production"))
    assert review_of(order, "production").task.state == TaskState.DONE

    meeting = schedule_meeting(
        order=order,
        user=head,
        held_at=timezone.now(),
        place="Room 2",
        attendees=attendees_for(staff),
    )
    assert meeting.agenda[0]["department"] == "quality"  # conditions first
    actions = [
        {
            "description": "PM2 campaign, week 48",
            "department": department("production"),
            "owner": staff["production_head"],
            "due_date": order.requested_date,
        }
    ]
    meeting = update_minutes(
        meeting=meeting,
        user=head,
        discussion="Quality conditions accepted.",
        decision="approved",
        actions=actions,
    )
    for person in attendees_for(staff):
        sign_minutes(meeting=meeting, user=person, password=PASSWORD)
    meeting = update_minutes(
        meeting=meeting, user=head, decision_notes="Approved with quality's conditions."
    )  # voids all six
    assert MinutesSignature.objects.filter(meeting=meeting, voided_at__isnull=False).count() == 6
    for person in attendees_for(staff):
        sign_minutes(meeting=meeting, user=person, password=PASSWORD)
    transition_order(order=order, name="approve_review", user=head)

    contract = draft_contract(order=order, user=clerk)
    submit_for_legal_review(contract=contract, user=clerk)
    comment_on_contract(contract=contract, user=legal, text="Cap the penalty.", clause="liability")
    decide_legal_review(
        contract=contract, user=legal, approve=False, comment="Cap the penalty at 5 %."
    )
    revise_contract(
        contract=contract,
        user=clerk,
        note="Penalty capped",
        clauses={"liability": "0.05 % per day, at most 5 % of the contract value."},
    )
    submit_for_legal_review(contract=contract, user=clerk)
    decide_legal_review(contract=contract, user=legal, approve=True)
    upload_signed_contract(
        contract=contract,
        user=clerk,
        file=SimpleUploadedFile("HT-signed.pdf", b"%PDF-1.4\n%seals\n"),
    )
    transition_order(order=order, name="confirm", user=clerk)

    with django_capture_on_commit_callbacks(execute=True):
        issue_confirmation(order=order, user=clerk, language="zh-hans")
    (sent,) = [m for m in mail.outbox if m.to == ["zhao@box.example"]]
    pdf_text = PdfReader(io.BytesIO(sent.attachments[0][1])).pages[0].extract_text()
    assert "订单确认书" in pdf_text and order.number in pdf_text

    allocation = propose_allocation(order=order, user=clerk)
    record_coordination_meeting(
        allocation=allocation,
        user=clerk,
        held_at=timezone.now(),
        place="Plant office",
        attendees=attendees_for(staff)[1:],
        notes="Campaign week 48, pulp from stock.",
    )
    release_allocation(allocation=allocation, user=clerk)
    order.refresh_from_db()
    assert order.status == Status.CONFIRMED
    open_allocation = Task.objects.filter(order=order, kind="allocation", state=TaskState.OPEN)
    assert open_allocation.count() == allocation.lines.count() >= 3

    story = [
        e.data.get("event") or e.data.get("transition")
        for e in LedgerEntry.objects.filter(order=order).order_by("at", "id")
        if e.data.get("event") or e.data.get("transition")
    ]
    expected = [
        "submit",
        "approve_intake",
        "review.opened",
        "review.filed",
        "review.filed",
        "review.filed",
        "review.filed",  # technical..quality
        "escalated",
        "review.filed",  # production, late
        "meeting.scheduled",
        "minutes.edited",
        *["minutes.signed"] * 6,
        "document.filed",
        "minutes.edited",
        *["minutes.signed"] * 6,
        "document.filed",
        "approve_review",
        "contract.drafted",
        "contract.submitted",
        "contract.comment",
        "contract.changes_requested",
        "contract.revised",
        "contract.submitted",
        "contract.approved",
        "document.filed",
        "contract.signed",
        "confirm",
        "document.filed",
        "confirmation.sent",
        "allocation.proposed",
        "allocation.meeting",
        "allocation.released",
        "document.filed",
    ]
    assert [step for step in story if step in set(expected)] == expected
    late_done = LedgerEntry.objects.get(order=order, data__event="done", data__task=late.task_id)
    assert late_done.data["late"] is True
