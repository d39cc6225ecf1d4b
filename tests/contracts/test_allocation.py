"""E1: the allocation sheet proposed from the order, edited, agreed and released as tasks."""

import datetime as dt

import pytest
from django.utils import timezone

from gendan.contracts.actions import (
    propose_allocation,
    record_coordination_meeting,
    release_allocation,
    update_allocation,
)
from gendan.contracts.models import AllocationKind, AllocationState
from gendan.core.errors import Blocked, NotPermitted
from gendan.documents.models import Category, Document
from gendan.tasks.models import Task, TaskState
from tests.contracts.helpers import at_contract, confirmed
from tests.factories import department

pytestmark = pytest.mark.django_db


def test_proposal_follows_product_line_materials_and_quality(in_review, staff) -> None:
    order = confirmed(in_review, staff)
    allocation = propose_allocation(order=order, user=staff["clerk"])
    lines = {line.kind: line for line in allocation.lines.select_related("department")}
    production_department = order.lines.first().product.line.production_department
    assert lines[AllocationKind.PRODUCTION].department == production_department
    assert lines[AllocationKind.MATERIALS].department.code == "procurement"
    assert lines[AllocationKind.QUALITY].department.code == "quality"
    # the plans the departments handed on in their review reports come along
    assert "as usual" in lines[AllocationKind.PRODUCTION].scope
    assert "as usual" in lines[AllocationKind.MATERIALS].scope
    assert order.lines.first().product.name in lines[AllocationKind.MATERIALS].scope


def test_allocation_waits_for_the_confirmed_order(in_review, staff) -> None:
    order = at_contract(in_review, staff)
    with pytest.raises(Blocked):
        propose_allocation(order=order, user=staff["clerk"])


def test_lines_are_edited_with_field_errors(in_review, staff) -> None:
    order = confirmed(in_review, staff)
    allocation = propose_allocation(order=order, user=staff["clerk"])
    with pytest.raises(Blocked) as refused:
        update_allocation(
            allocation=allocation,
            user=staff["clerk"],
            lines=[
                {
                    "kind": "production",
                    "department": department("production"),
                    "scope": "",
                    "due_date": None,
                },
            ],
        )
    assert "lines.1" in refused.value.fields
    with pytest.raises(Blocked) as refused:
        update_allocation(
            allocation=allocation,
            user=staff["clerk"],
            lines=[
                {
                    "kind": "production",
                    "department": department("production"),
                    "scope": "PM2 30 t",
                    "owner": staff["quality_reviewer"],
                    "due_date": timezone.localdate(),
                },
            ],
        )
    assert "lines.1" in refused.value.fields
    allocation = update_allocation(
        allocation=allocation,
        user=staff["clerk"],
        lines=[
            {
                "kind": "production",
                "department": department("production"),
                "scope": "PM2 30 t",
                "owner": staff["production_head"],
                "due_date": timezone.localdate() + dt.timedelta(days=10),
            },
            {
                "kind": "quality",
                "department": department("quality"),
                "scope": "Burst test per reel",
                "owner": None,
                "due_date": timezone.localdate() + dt.timedelta(days=11),
            },
        ],
    )
    assert allocation.lines.count() == 2 and allocation.version == 2
    with pytest.raises(NotPermitted):
        update_allocation(allocation=allocation, user=staff["production_head"], lines=[])


def test_release_needs_the_coordination_meeting_and_opens_a_task_per_line(in_review, staff) -> None:
    order = confirmed(in_review, staff)
    allocation = propose_allocation(order=order, user=staff["clerk"])
    with pytest.raises(Blocked):
        release_allocation(allocation=allocation, user=staff["clerk"])
    with pytest.raises(Blocked) as refused:
        record_coordination_meeting(
            allocation=allocation,
            user=staff["clerk"],
            held_at=timezone.now(),
            place="",
            attendees=[],
            notes="",
        )
    assert {"place", "attendees", "notes"} <= set(refused.value.fields)
    record_coordination_meeting(
        allocation=allocation,
        user=staff["clerk"],
        held_at=timezone.now(),
        place="Plant office",
        attendees=[
            staff["production_head"],
            staff["procurement_reviewer"],
            staff["quality_reviewer"],
        ],
        notes="PM2 campaign week 48; pulp from stock.",
    )
    allocation = release_allocation(allocation=allocation, user=staff["clerk"])
    assert allocation.state == AllocationState.RELEASED
    tasks = Task.objects.filter(order=order, kind="allocation")
    assert tasks.count() == allocation.lines.count() >= 3
    assert all(task.state == TaskState.OPEN for task in tasks)
    assert {t.department.code for t in tasks} >= {"procurement", "quality"}
    assert Document.objects.filter(order=order, category=Category.FORM).exists()
    with pytest.raises(Blocked):
        update_allocation(allocation=allocation, user=staff["clerk"], lines=[])
