"""R1: passing the intake review opens the departments' reviews in parallel, with deadlines;
overdue reviews are reminded and escalated to the department head."""

import datetime as dt

import pytest
from django.utils import timezone

from gendan.accounts.models import Department
from gendan.ledger.models import Kind
from gendan.notifications.models import Notification
from gendan.orders.actions import transition_order
from gendan.orders.models import Order, OrderRoute
from gendan.orders.status import Priority
from gendan.reviews.models import DepartmentReview, OrderTypeReview, ReviewDeadline, ReviewState
from gendan.tasks.actions import escalate_overdue_tasks, remind_due_tasks
from gendan.tasks.models import Task
from gendan.workdays.calendar import deadline_in_working_days
from tests.factories import make_order
from tests.reviews.conftest import REVIEWING, review_of

pytestmark = pytest.mark.django_db


def _pass_intake(order: Order, staff) -> Order:
    transition_order(order=order, name="submit", user=staff["clerk"])
    return transition_order(order=order, name="approve_intake", user=staff["sales_head"])


def test_passing_intake_opens_one_review_task_per_default_department(in_review) -> None:
    reviews = DepartmentReview.objects.filter(order=in_review)
    assert sorted(r.department.code for r in reviews) == sorted(REVIEWING)
    assert all(r.state == ReviewState.OPEN and r.task.kind == "review" for r in reviews)
    routed = set(
        OrderRoute.objects.filter(order=in_review).values_list("department__code", flat=True)
    )
    assert set(REVIEWING) <= routed
    entry = in_review.ledger.get(data__event="review.opened")
    assert entry.kind == Kind.TASK and entry.data["departments"] == REVIEWING


def test_each_department_has_its_own_working_day_deadline(staff) -> None:
    ReviewDeadline.objects.filter(department__code="quality").update(working_days=5)
    before = timezone.now()
    order = _pass_intake(make_order(user=staff["clerk"]), staff)
    quality, technical = review_of(order, "quality"), review_of(order, "technical")
    assert technical.task.due_at == deadline_in_working_days(before, 2)
    assert quality.task.due_at == deadline_in_working_days(before, 5)


def test_departments_follow_the_order_type_setting(staff) -> None:
    row = OrderTypeReview.objects.get(order_type="standard")
    row.departments.set(Department.objects.filter(code__in=["technical", "finance"]))
    order = _pass_intake(make_order(user=staff["clerk"]), staff)
    codes = set(
        DepartmentReview.objects.filter(order=order).values_list("department__code", flat=True)
    )
    assert codes == {"technical", "finance"}


def test_emergency_order_reviews_are_due_in_hours(staff, settings) -> None:
    order = make_order(user=staff["clerk"], priority=Priority.EMERGENCY)
    before = timezone.now()
    order = _pass_intake(order, staff)
    task = review_of(order, "technical").task
    hours = settings.GENDAN["EMERGENCY_DEFAULT_HOURS"]
    assert task.due_in_hours
    assert (
        before + dt.timedelta(hours=hours)
        <= task.due_at
        <= timezone.now() + dt.timedelta(hours=hours)
    )


def test_overdue_review_is_escalated_to_the_department_head(
    in_review, staff, django_capture_on_commit_callbacks
) -> None:
    task = review_of(in_review, "production").task
    Task.objects.filter(pk=task.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    assert review_of(in_review, "production").is_overdue
    before = Notification.objects.filter(user=staff["production_head"]).count()
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_tasks() == 1
    assert Notification.objects.filter(user=staff["production_head"]).count() == before + 1
    assert not Notification.objects.filter(user=staff["quality_head"]).exists()
    assert in_review.ledger.filter(data__event="escalated", data__task=task.pk).exists()
    assert escalate_overdue_tasks() == 0  # once only


def test_review_due_soon_is_reminded_to_the_department(
    in_review, staff, django_capture_on_commit_callbacks
) -> None:
    task = review_of(in_review, "quality").task
    Task.objects.filter(pk=task.pk).update(due_at=timezone.now() + dt.timedelta(hours=3))
    Task.objects.filter(kind="review").exclude(pk=task.pk).update(
        due_at=timezone.now() + dt.timedelta(days=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_due_tasks() == 1
    assert Notification.objects.filter(user=staff["quality_reviewer"]).exists()
    assert not Notification.objects.filter(user=staff["finance_reviewer"]).exists()
