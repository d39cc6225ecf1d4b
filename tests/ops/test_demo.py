"""The paper-mill demo: loaded through the real actions, into an empty database only."""

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from gendan.accounts.models import Role, User
from gendan.demo import DemoOptions, load_demo
from gendan.demo.people import DEMO_PASSWORD, PEOPLE
from gendan.ledger.models import Kind, LedgerEntry
from gendan.orders.models import Order
from gendan.orders.status import Priority, Status
from gendan.tasks.models import Task, TaskState

SMALL = DemoOptions(orders=40, customers=12, seed=7, strict=True)


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo loaded once for the module, inside a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
            ):
                load_demo(SMALL)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_loaded: None, db: None) -> None:
    """The module's demo (read-only use: each test's changes are rolled back)."""


def test_demo_reaches_every_status(demo: None) -> None:
    assert Order.objects.count() == SMALL.orders
    assert set(Order.objects.values_list("status", flat=True)) == set(Status.values)


def test_every_demo_ledger_starts_with_the_creation_and_runs_forward(demo: None) -> None:
    now = timezone.now()
    for order in Order.objects.all():
        entries = list(order.ledger.order_by("at", "id"))
        assert entries[0].kind == Kind.CREATED, order.number
        assert entries[0].at == order.created_at
        moments = [entry.at for entry in entries]
        assert moments == sorted(moments)
        assert moments[-1] <= now


def test_demo_history_is_back_dated(demo: None) -> None:
    oldest = Order.objects.order_by("created_at").first()
    assert oldest is not None
    assert oldest.created_at < timezone.now() - dt.timedelta(days=14)
    # Numbers follow creation time, as they would have been handed out.
    by_time = list(Order.objects.order_by("created_at", "id").values_list("number", flat=True))
    assert by_time == sorted(by_time, key=lambda number: (number[3:7], number))


def test_demo_status_changes_are_in_the_ledger(demo: None) -> None:
    for order in Order.objects.exclude(status=Status.DRAFT).exclude(status=Status.CANCELLED):
        last = order.ledger.filter(kind=Kind.TRANSITION).order_by("at", "id").last()
        assert last is not None and last.data["to"] == order.status, order.number


def test_demo_has_open_work_some_of_it_overdue(demo: None) -> None:
    open_tasks = Task.objects.filter(state=TaskState.OPEN)
    assert open_tasks.exists()
    assert open_tasks.filter(due_at__lt=timezone.now()).exists()
    assert Task.objects.filter(state=TaskState.DONE).exists()
    assert LedgerEntry.objects.filter(kind=Kind.COMMUNICATION).count() >= SMALL.orders // 2


def test_demo_people_cover_every_role_and_share_the_printed_password(
    demo: None, settings: pytest.FixtureRequest
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # type: ignore[attr-defined]
    users = User.objects.filter(username__in=[p.username for p in PEOPLE])
    assert Counter(users.values_list("role", flat=True))[Role.CLERK] == 3
    assert set(users.values_list("role", flat=True)) == set(Role.values)
    assert all(user.get_full_name() for user in users)
    user = users.get(username="wangfang")
    assert user.check_password(DEMO_PASSWORD)  # a standard hash, signing in works
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")
    assert user.password.split("$")[1] != "1000"  # re-hashed at full strength on sign-in


def test_emergency_orders_are_a_small_share(demo: None) -> None:
    emergencies = Order.objects.filter(priority=Priority.EMERGENCY).count()
    assert 1 <= emergencies <= SMALL.orders // 5


def test_demo_opens_each_piece_of_work_once(demo: None) -> None:
    """The stage tasks of the demo and the tasks the real actions open (department reviews,
    legal review) are not doubled: one open task per order, department and kind."""
    open_tasks = Task.objects.filter(state=TaskState.OPEN, department__isnull=False)
    # Each work order (生产任务单) and each rectification notice (one per finding of the
    # monitoring checks) has its own task; everything else is one per department.
    per = Counter(
        open_tasks.exclude(kind__in=["work_order", "rectification"]).values_list(
            "order_id", "department_id", "kind"
        )
    )
    assert [key for key, count in per.items() if count > 1] == []
    for order in Order.objects.filter(status=Status.DEPARTMENT_REVIEW):
        reviews = order.tasks.filter(state=TaskState.OPEN, kind="review")
        assert reviews.count() == order.department_reviews.filter(state="open").count() > 0
    for order in Order.objects.filter(status=Status.CONTRACT):
        assert order.tasks.filter(state=TaskState.OPEN, kind="legal_review").count() == 1


def test_no_finance_task_stays_open_on_a_finished_order(demo: None) -> None:
    finished = [Status.CLOSED, Status.CANCELLED, Status.REJECTED]
    stale = Task.objects.filter(
        state=TaskState.OPEN, kind__in=["credit_check", "margin_check"], order__status__in=finished
    )
    assert not stale.exists()


def test_orders_in_execution_are_bought_and_planned_and_shipped_ones_made(demo: None) -> None:
    """Purchasing and production data come from the real actions: a committed purchase
    plan and an approved production plan for every order released; shipped orders have every
    work order done and every purchase order received (the pipeline's guards)."""
    from gendan.production.models import ACTIVE_WORK_STATUSES, PlanStatus, ProductionPlan
    from gendan.purchasing.models import MaterialReservation, PurchaseOrder

    released = Order.objects.filter(
        status__in=[Status.IN_EXECUTION, Status.SHIPPED, Status.DELIVERED, Status.CLOSED]
    )
    assert released.exists()
    for order in released:
        plan = ProductionPlan.objects.get(order=order)
        assert plan.status == PlanStatus.APPROVED
        if order.lines.filter(product__bom_lines__isnull=False).exists():
            # Bought for the order, or taken from free stock (reserved for it).
            assert (
                PurchaseOrder.objects.filter(order=order).exists()
                or MaterialReservation.objects.filter(order=order).exists()
            ), order.number
    for order in released.exclude(status=Status.IN_EXECUTION):
        assert not order.work_orders.filter(status__in=ACTIVE_WORK_STATUSES).exists()
        assert not PurchaseOrder.objects.open().filter(order=order).exists()
    running = Order.objects.filter(status=Status.IN_EXECUTION)
    assert any(o.work_orders.filter(good_quantity__gt=0).exists() for o in running)
    assert PurchaseOrder.objects.filter(order__in=released).exists()


#: Statuses the goods have left the mill in (the orders put on hold after shipping aside).
SHIPPED_OR_LATER = [
    Status.SHIPPED,
    Status.DELIVERED,
    Status.ACCEPTED,
    Status.CLOSING,
    Status.CLOSED,
]


def test_shipped_demo_orders_went_through_inspection_warehouse_shipment_and_sign_off(
    demo: None,
) -> None:
    """The execution steps the pipeline's guards ask for come from the real actions."""
    from gendan.quality.models import Inspection, Result, Stage
    from gendan.shipping.models import (
        DeliveryNote,
        DeliveryState,
        SettlementRequest,
        SettlementState,
        Shipment,
    )
    from gendan.shipping.selectors import line_progress
    from gendan.warehouse.models import FinishedGoodsReceipt

    shipped = Order.objects.filter(status__in=SHIPPED_OR_LATER)
    assert shipped.exists()
    for order in shipped:
        assert all(p.fully_shipped for p in line_progress(order)), order.number
        finals = Inspection.objects.filter(order=order, stage=Stage.FINAL)
        assert finals.exists() and not finals.exclude(result=Result.PASSED).exists()
        assert FinishedGoodsReceipt.objects.filter(order_line__order=order).exists()
        assert Shipment.objects.filter(order=order).exists()
    delivered = shipped.exclude(status=Status.SHIPPED)
    assert delivered.exists()
    assert not DeliveryNote.objects.filter(
        order__in=delivered, state=DeliveryState.AWAITING
    ).exists()
    assert DeliveryNote.objects.filter(order__status=Status.SHIPPED).exists()
    for order in shipped.filter(status__in=[Status.CLOSING, Status.CLOSED]):
        assert SettlementRequest.objects.filter(order=order).exists(), order.number
    assert not SettlementRequest.objects.filter(
        order__status=Status.CLOSED, state=SettlementState.SUBMITTED
    ).exists()
    # Some orders left in two trucks.
    per_order = Counter(Shipment.objects.values_list("order_id", flat=True))
    assert max(per_order.values()) >= 2


def test_demo_quality_has_standards_a_rework_and_an_open_nonconformance(demo: None) -> None:
    from gendan.catalog.models import Product
    from gendan.quality.models import InspectionStandard, NCStatus, Nonconformance, Stage

    for product in Product.objects.exclude(grammage=None):
        stages = set(
            InspectionStandard.objects.filter(product=product).values_list("stage", flat=True)
        )
        assert stages == {Stage.IN_PROCESS, Stage.FINAL}, product.code
    assert InspectionStandard.objects.filter(stage=Stage.INCOMING, material__code="PULP-BK")
    open_ncs = Nonconformance.objects.exclude(status=NCStatus.CLOSED)
    assert open_ncs.exists()
    assert set(open_ncs.values_list("order__status", flat=True)) == {Status.IN_EXECUTION}
    reworked = Nonconformance.objects.filter(status=NCStatus.CLOSED, disposition="rework")
    assert reworked.exists()


def test_demo_after_sales_and_monitoring(demo: None) -> None:
    from gendan.aftersales.models import CaseStatus, ReturnVisit, ServiceCase
    from gendan.monitoring.models import RectificationNotice

    cases = ServiceCase.objects.all()
    assert cases.exists()
    major = cases.get(severity="major")
    assert major.status == CaseStatus.RESOLVED and major.meetings.exists()
    visits = ReturnVisit.objects.all()
    assert visits.exists()
    assert all(2 <= visit.satisfaction <= 5 for visit in visits)
    assert RectificationNotice.objects.exists()


def test_demo_order_pages_open_for_their_clerk_in_every_status(demo: None, client: Any) -> None:
    for status in Status.values:
        for order in Order.objects.filter(status=status).select_related("clerk")[:2]:
            client.force_login(order.clerk)
            page = client.get(f"/orders/{order.number}/")
            assert page.status_code == 200, (order.number, status)
