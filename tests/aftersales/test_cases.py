"""After-sales cases (A1): deadline by severity, owner, escalation with a cross-department
meeting, resolution; return visits (A2)."""

import datetime as dt

import pytest
from django.utils import timezone

from gendan.aftersales.actions import (
    CASE_TASK_KIND,
    ESCALATION_TASK_KIND,
    escalate_case,
    open_case,
    record_meeting,
    record_return_visit,
    resolve_case,
)
from gendan.aftersales.models import AfterSalesSettings, CaseStatus, ServiceCase
from gendan.core.errors import Blocked, NotPermitted
from gendan.ledger.models import LedgerEntry
from gendan.notifications.models import Notification
from gendan.tasks.models import Task, TaskState
from gendan.workdays.calendar import deadline_in_working_days
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def minor(user, order, **extra):
    values = {
        "user": user,
        "customer": None,
        "order": order,
        "source": "phone",
        "case_type": "quality",
        "severity": "minor",
        "title": "Rolls wet at the edges",
        "description": "Two rolls of the last delivery arrived wet at the edges.",
    }
    values.update(extra)
    return open_case(**values)


def test_general_case_deadline_owner_task_and_ledger(staff, delivered) -> None:
    before = timezone.now()
    case = minor(staff["aftersales_reviewer"], delivered)
    assert case.number.startswith("AS-")
    assert case.customer == delivered.customer
    assert case.owner == staff["clerk"]  # general problems: the order's clerk (sales)
    assert case.status == CaseStatus.OPEN
    assert before <= case.reported_at
    assert case.due_at == deadline_in_working_days(case.reported_at, 5)
    assert case.task.assignee == staff["clerk"]
    assert case.task.kind == CASE_TASK_KIND
    assert case.task.due_at == case.due_at
    entry = LedgerEntry.objects.get(order=delivered, data__event="case_opened")
    assert entry.data["case"] == case.number
    assert not Task.objects.filter(kind=ESCALATION_TASK_KIND).exists()


def test_deadline_follows_the_severity_setting(staff, delivered) -> None:
    rules = AfterSalesSettings.load()
    rules.minor_days = 2
    rules.save()
    case = minor(staff["clerk"], delivered)
    assert case.due_at == deadline_in_working_days(case.reported_at, 2)


def test_major_case_escalates_to_the_heads_at_once(
    staff, delivered, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = minor(staff["clerk"], delivered, severity="critical", title="Burst strength low")
    assert case.status == CaseStatus.ESCALATED
    assert case.due_at == deadline_in_working_days(case.reported_at, 1)
    departments = set(case.involved_departments.values_list("code", flat=True))
    assert departments == {"sales", "quality", "production", "technical", "aftersales"}
    tasks = Task.objects.filter(kind=ESCALATION_TASK_KIND)
    assert tasks.count() == 5
    assert {t.assignee.username for t in tasks if t.assignee} >= {
        "quality_head",
        "technical_head",
        "production_head",
        "aftersales_head",
        "sales_head",
    }
    assert Notification.objects.filter(user=staff["gm"], message__contains=case.number).exists()
    assert LedgerEntry.objects.filter(order=delivered, data__event="case_escalated").exists()


def test_escalated_case_needs_its_meeting_then_cause_and_action(staff, delivered) -> None:
    case = minor(staff["clerk"], delivered, severity="major")
    with pytest.raises(Blocked) as refused:
        resolve_case(
            case=case,
            user=staff["clerk"],
            resolution="Replaced",
            root_cause="x",
            corrective_action="y",
        )
    assert "meeting" in str(refused.value)

    with pytest.raises(Blocked) as one_department:
        record_meeting(
            case=case,
            user=staff["clerk"],
            held_at=timezone.now(),
            attendees=[staff["clerk"], staff["other_clerk"]],
            discussion="d",
            decisions="e",
        )
    assert "attendees" in one_department.value.fields

    meeting = record_meeting(
        case=case,
        user=staff["quality_head"],  # a head of an involved department may record it
        held_at=timezone.now() - dt.timedelta(hours=1),
        attendees=[staff["clerk"], staff["quality_head"], staff["production_head"]],
        discussion="Moisture in the winding area.",
        decisions="Replace two rolls (sales, Friday); dehumidifier (production, next week).",
    )
    assert set(meeting.departments.values_list("code", flat=True)) == {
        "sales",
        "quality",
        "production",
    }
    # The quality head closes their own task; the production head attended: theirs is done;
    # the heads who missed the meeting keep theirs.
    still_open = Task.objects.filter(kind=ESCALATION_TASK_KIND, state=TaskState.OPEN)
    assert {t.assignee.username for t in still_open} == {
        "sales_head",
        "technical_head",
        "aftersales_head",
    }

    with pytest.raises(Blocked) as missing:
        resolve_case(case=case, user=staff["clerk"], resolution="Replaced two rolls")
    assert set(missing.value.fields) == {"root_cause", "corrective_action"}

    resolved = resolve_case(
        case=case,
        user=staff["clerk"],
        resolution="Replaced two rolls",
        root_cause="Humid storage",
        corrective_action="Dehumidifier in the winding area",
    )
    assert resolved.status == CaseStatus.RESOLVED
    assert resolved.task.state == TaskState.DONE
    assert LedgerEntry.objects.filter(order=delivered, data__event="case_resolved").exists()
    with pytest.raises(Blocked):
        resolve_case(case=resolved, user=staff["clerk"], resolution="again")


def test_general_case_can_be_escalated_with_a_reason(staff, delivered) -> None:
    case = minor(staff["clerk"], delivered)
    with pytest.raises(Blocked) as no_reason:
        escalate_case(case=case, user=staff["clerk"], note=" ")
    assert "note" in no_reason.value.fields
    escalated = escalate_case(case=case, user=staff["clerk"], note="Three customers report it")
    assert escalated.status == CaseStatus.ESCALATED
    with pytest.raises(Blocked):
        escalate_case(case=escalated, user=staff["clerk"], note="again")


def test_who_may_open_and_work_on_cases(staff, delivered) -> None:
    with pytest.raises(NotPermitted):
        minor(staff["auditor"], delivered)
    with pytest.raises(NotPermitted):
        minor(staff["technical_reviewer"], delivered)
    case = minor(staff["clerk"], delivered)
    with pytest.raises(NotPermitted):
        resolve_case(case=case, user=staff["other_clerk"], resolution="x")
    with pytest.raises(NotPermitted):
        resolve_case(case=case, user=staff["auditor"], resolution="x")
    assert resolve_case(case=case, user=staff["aftersales_reviewer"], resolution="ok").is_resolved


def test_bad_input_is_refused_field_by_field_and_changes_nothing(staff, delivered) -> None:
    other = CustomerFactory(code="OTHER")
    with pytest.raises(Blocked) as refused:
        minor(staff["clerk"], delivered, customer=other, title="", description="")
    assert set(refused.value.fields) == {"order", "title", "description"}
    with pytest.raises(Blocked) as no_customer:
        minor(staff["clerk"], None)
    assert "customer" in no_customer.value.fields
    assert not ServiceCase.objects.exists()
    assert not Task.objects.exists() or not Task.objects.filter(kind=CASE_TASK_KIND).exists()


def test_case_without_order_is_kept_on_the_case(staff) -> None:
    customer = CustomerFactory(code="WALKIN")
    case = minor(staff["aftersales_reviewer"], None, customer=customer)
    assert case.owner == staff["aftersales_reviewer"]
    entry = LedgerEntry.objects.get(data__event="case_opened")
    assert entry.order is None
    assert entry.subject == f"aftersales.servicecase:{case.pk}"


def test_return_visit_scores_satisfaction_1_to_5(
    staff, delivered, django_capture_on_commit_callbacks
) -> None:
    for bad in (0, 6, "x", None):
        with pytest.raises(Blocked) as refused:
            record_return_visit(
                user=staff["clerk"],
                customer=None,
                order=delivered,
                method="phone",
                visited_on=timezone.localdate(),
                satisfaction=bad,
            )
        assert "satisfaction" in refused.value.fields
    with pytest.raises(Blocked) as future:
        record_return_visit(
            user=staff["clerk"],
            customer=None,
            order=delivered,
            method="phone",
            visited_on=timezone.localdate() + dt.timedelta(days=1),
            satisfaction=4,
        )
    assert "visited_on" in future.value.fields
    with django_capture_on_commit_callbacks(execute=True):
        visit = record_return_visit(
            user=staff["clerk"],
            customer=None,
            order=delivered,
            method="survey",
            visited_on=timezone.localdate(),
            satisfaction=2,
            feedback="Edges still damp",
        )
    assert visit.customer == delivered.customer
    assert LedgerEntry.objects.filter(order=delivered, data__event="return_visit").exists()
    assert Notification.objects.filter(
        user=staff["aftersales_head"], message__contains="2/5"
    ).exists()
    with pytest.raises(NotPermitted):
        record_return_visit(
            user=staff["auditor"],
            customer=None,
            order=delivered,
            method="phone",
            visited_on=timezone.localdate(),
            satisfaction=5,
        )
