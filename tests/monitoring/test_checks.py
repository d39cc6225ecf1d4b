"""The monitoring checks (E9): what each detector finds, and that a notice opens once."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from gendan.ledger.models import LedgerEntry
from gendan.monitoring import detectors
from gendan.monitoring.actions import TASK_KIND, run_checks
from gendan.monitoring.jobs import run_monitoring
from gendan.monitoring.models import (
    MonitoringSettings,
    NoticeKind,
    NoticeStatus,
    RectificationNotice,
)
from gendan.notifications.models import Notification
from gendan.orders.models import Order
from gendan.orders.status import Priority
from gendan.purchasing.actions import change_expected_date
from gendan.tasks.models import Task, TaskState
from gendan.workdays.calendar import deadline_in_working_days

pytestmark = pytest.mark.django_db
D = Decimal


def kinds() -> list[str]:
    return sorted(RectificationNotice.objects.values_list("kind", flat=True))


def test_the_job_run_twice_opens_each_notice_once(mill) -> None:
    first = run_checks()
    assert kinds() == sorted(
        [
            NoticeKind.BEHIND_PLAN,
            NoticeKind.BEHIND_PLAN,
            NoticeKind.COST_OVERRUN,
            NoticeKind.LATE_PURCHASE,
            NoticeKind.MATERIAL_SHORTAGE,
        ]
    )
    assert first.opened_total == 5
    tasks = Task.objects.filter(kind=TASK_KIND).count()
    opened_entries = LedgerEntry.objects.filter(data__event="notice_opened").count()
    assert (tasks, opened_entries) == (5, 5)

    second = run_checks()

    assert second.opened_total == 0
    assert second.found == first.found
    assert RectificationNotice.objects.count() == 5
    assert Task.objects.filter(kind=TASK_KIND).count() == 5
    assert LedgerEntry.objects.filter(data__event="notice_opened").count() == 5


def test_the_command_and_the_background_job_open_nothing_twice(mill) -> None:
    out = StringIO()
    call_command("monitor", stdout=out)
    assert "opened 5" in out.getvalue()
    result = run_monitoring.enqueue()
    assert "opened 0" in result.return_value
    out = StringIO()
    call_command("monitor", stdout=out)
    assert "opened 0" in out.getvalue()
    assert RectificationNotice.objects.count() == 5


def test_late_purchase_notice_has_owner_deadline_task_ledger_and_notification(
    mill, staff, django_capture_on_commit_callbacks
) -> None:
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        run_checks(now=now)
    notice = RectificationNotice.objects.get(kind=NoticeKind.LATE_PURCHASE)
    assert notice.owner == staff["buyer"]
    assert notice.department.code == "procurement"
    assert notice.order == mill["order"]
    assert notice.number.startswith(f"RN-{timezone.localdate(now).year}-")
    assert notice.due_at == deadline_in_working_days(now, 2)
    assert notice.facts["purchase_order"] == mill["po"].number
    assert notice.task.assignee == staff["buyer"]
    assert notice.task.due_at == notice.due_at
    assert notice.task.state == TaskState.OPEN
    entry = LedgerEntry.objects.get(data__event="notice_opened", data__notice=notice.number)
    assert entry.order == mill["order"]
    assert entry.data["step"] == "monitoring"
    assert Notification.objects.filter(
        user=staff["buyer"], message__contains=notice.number
    ).exists()
    assert Notification.objects.filter(
        user=staff["clerk"], message__contains=notice.number
    ).exists()


def test_owners_by_kind(mill, staff) -> None:
    run_checks()
    owners = {
        (n.kind, n.owner.username if n.owner else None, n.department.code)
        for n in RectificationNotice.objects.select_related("owner", "department")
    }
    assert owners == {
        (NoticeKind.BEHIND_PLAN, "leader", "production"),
        (NoticeKind.COST_OVERRUN, "finance_head", "finance"),
        (NoticeKind.LATE_PURCHASE, "buyer", "procurement"),
        (NoticeKind.MATERIAL_SHORTAGE, "procurement_head", "procurement"),
    }


def test_deadlines_follow_the_settings_and_emergencies_count_hours(mill, settings) -> None:
    rules = MonitoringSettings.load()
    rules.cost_overrun_days = 7
    rules.save()
    now = timezone.now()
    run_checks(now=now, kinds=[NoticeKind.COST_OVERRUN])
    notice = RectificationNotice.objects.get()
    assert notice.due_at == deadline_in_working_days(now, 7)

    Order.objects.filter(pk=mill["order"].pk).update(priority=Priority.EMERGENCY)
    run_checks(now=now, kinds=[NoticeKind.LATE_PURCHASE])
    urgent = RectificationNotice.objects.get(kind=NoticeKind.LATE_PURCHASE)
    hours = settings.GENDAN["EMERGENCY_DEFAULT_HOURS"]
    assert urgent.due_at - now <= dt.timedelta(hours=hours)
    assert urgent.task.due_in_hours


def test_shortage_counts_reservation_free_stock_and_issues(mill, staff) -> None:
    """Need date: the day before the plan started (4 days ago). The late purchase order,
    expected yesterday, comes after it and covers nothing."""
    from gendan.purchasing.actions import issue_material
    from gendan.purchasing.models import MaterialReservation

    pulp = mill["pulp"]
    pulp.stock_on_hand = D("12")
    pulp.save()
    MaterialReservation.objects.create(order=mill["order"], material=pulp, quantity=D("5"))
    run_checks(kinds=[NoticeKind.MATERIAL_SHORTAGE])
    notice = RectificationNotice.objects.get()
    facts = {k: D(v) for k, v in notice.facts.items() if k in ("needed", "covered", "short")}
    assert facts == {"needed": D("33"), "covered": D("5"), "short": D("21")}
    assert D(notice.facts["free_stock"]) == D("7")
    assert notice.facts["material"] == "PULP"

    issue_material(order=mill["order"], material=pulp, user=staff["buyer"], quantity="3")
    RectificationNotice.objects.all().delete()
    run_checks(kinds=[NoticeKind.MATERIAL_SHORTAGE])
    notice = RectificationNotice.objects.get()
    facts = {k: D(v) for k, v in notice.facts.items() if k in ("needed", "covered", "short")}
    assert facts == {"needed": D("30"), "covered": D("2"), "short": D("21")}


def test_purchase_orders_expected_by_the_need_date_cover_the_need(mill) -> None:
    from gendan.purchasing.models import PurchaseOrderLine

    need_by = timezone.localdate() - dt.timedelta(days=4)
    PurchaseOrderLine.objects.filter(purchase_order=mill["po"]).update(expected_date=need_by)
    run_checks(kinds=[NoticeKind.MATERIAL_SHORTAGE])
    assert D(RectificationNotice.objects.get().facts["covered"]) == D("10")


def test_no_shortage_when_free_stock_covers_it(mill) -> None:
    pulp = mill["pulp"]
    pulp.stock_on_hand = D("33")
    pulp.save()
    report = run_checks(kinds=[NoticeKind.MATERIAL_SHORTAGE])
    assert report.found[NoticeKind.MATERIAL_SHORTAGE] == 0


def test_cost_overrun_compares_material_and_labour_with_the_estimate(mill) -> None:
    run_checks(kinds=[NoticeKind.COST_OVERRUN])
    notice = RectificationNotice.objects.get()
    assert D(notice.facts["estimate"]) == D("60750.00")
    assert D(notice.facts["actual"]) == D("72000.00")
    assert notice.facts["overrun_pct"] == "18.5"


def test_cost_within_the_tolerance_opens_nothing(mill) -> None:
    rules = MonitoringSettings.load()
    rules.cost_tolerance_pct = D("20")
    rules.save()
    assert run_checks(kinds=[NoticeKind.COST_OVERRUN]).opened_total == 0
    rules.cost_tolerance_pct = D("10")
    rules.labour_rate_per_hour = D("70")  # 63,000: 3.7 % over
    rules.save()
    assert run_checks(kinds=[NoticeKind.COST_OVERRUN]).opened_total == 0


def test_issued_material_is_costed_at_the_price_paid(mill, staff) -> None:
    from gendan.purchasing.actions import issue_material

    pulp = mill["pulp"]
    pulp.stock_on_hand = D("5")
    pulp.save()
    issue_material(order=mill["order"], material=pulp, user=staff["buyer"], quantity="5")
    rules = MonitoringSettings.load()
    rules.labour_rate_per_hour = D("60")  # 54,000 + 5 t × 2,000 = 64,000: 5.3 % over
    rules.save()
    assert run_checks(kinds=[NoticeKind.COST_OVERRUN]).opened_total == 0
    rules.labour_rate_per_hour = D("65")  # 58,500 + 10,000 = 68,500: 12.8 % over
    rules.save()
    run_checks(kinds=[NoticeKind.COST_OVERRUN])
    notice = RectificationNotice.objects.get()
    assert D(notice.facts["actual_material"]) == D("10000.00")


def test_cleared_condition_is_marked_and_the_notice_stays_open(mill, staff) -> None:
    run_checks(kinds=[NoticeKind.LATE_PURCHASE])
    notice = RectificationNotice.objects.get()
    line = mill["po"].lines.get()
    change_expected_date(
        line=line,
        user=staff["buyer"],
        expected_date=timezone.localdate() + dt.timedelta(days=3),
        reason="Supplier confirmed a new date",
    )
    report = run_checks(kinds=[NoticeKind.LATE_PURCHASE])
    notice.refresh_from_db()
    assert report.cleared == 1
    assert notice.status == NoticeStatus.OPEN
    assert notice.condition_cleared_at is not None
    assert LedgerEntry.objects.filter(data__event="condition_cleared").count() == 1
    # Running again marks nothing more.
    assert run_checks(kinds=[NoticeKind.LATE_PURCHASE]).cleared == 0


def test_a_new_expected_date_that_passes_opens_a_new_notice(mill, staff) -> None:
    today = timezone.localdate()
    run_checks(kinds=[NoticeKind.LATE_PURCHASE])
    line = mill["po"].lines.get()
    change_expected_date(
        line=line, user=staff["buyer"], expected_date=today + dt.timedelta(days=2), reason="x"
    )
    later = timezone.now() + dt.timedelta(days=4)
    report = run_checks(now=later, kinds=[NoticeKind.LATE_PURCHASE])
    assert report.opened_total == 1
    assert RectificationNotice.objects.filter(kind=NoticeKind.LATE_PURCHASE).count() == 2


def test_task_completed_from_the_inbox_closes_the_notice_on_the_next_run(mill, staff) -> None:
    from gendan.tasks.actions import complete_task

    run_checks(kinds=[NoticeKind.LATE_PURCHASE])
    notice = RectificationNotice.objects.get()
    complete_task(task=notice.task, user=staff["buyer"], outcome="Expedited with the supplier")
    report = run_checks(kinds=[NoticeKind.LATE_PURCHASE])
    notice.refresh_from_db()
    assert report.closed_by_task == 1
    assert notice.status == NoticeStatus.RESOLVED
    assert notice.resolution == "Expedited with the supplier"
    assert notice.resolved_by == staff["buyer"]
    assert report.opened_total == 0  # still late, but this finding was already noticed


def test_a_failing_check_neither_stops_the_others_nor_clears_its_notices(mill, monkeypatch) -> None:
    run_checks()
    before = RectificationNotice.objects.filter(condition_cleared_at__isnull=False).count()

    def broken(context):
        raise RuntimeError("database hiccup")

    monkeypatch.setitem(detectors.DETECTORS, NoticeKind.LATE_PURCHASE, broken)
    report = run_checks()
    assert report.failed == [NoticeKind.LATE_PURCHASE]
    assert NoticeKind.BEHIND_PLAN in report.found
    assert RectificationNotice.objects.filter(condition_cleared_at__isnull=False).count() == before


def test_failed_inspection_check_waits_for_the_quality_app(mill, monkeypatch) -> None:
    from django.apps import apps

    real = apps.is_installed
    monkeypatch.setattr(
        apps, "is_installed", lambda name: False if name == "gendan.quality" else real(name)
    )
    context = detectors.Context(
        now=timezone.now(), today=timezone.localdate(), settings=MonitoringSettings.load()
    )
    assert list(detectors.failed_inspections(context)) == []
    assert NoticeKind.FAILED_INSPECTION in detectors.DETECTORS


def test_replanned_work_order_clears_and_a_new_lateness_is_a_new_notice(mill, staff) -> None:
    from gendan.production.actions import change_work_order_plan
    from gendan.production.models import WorkOrder

    run_checks(kinds=[NoticeKind.BEHIND_PLAN])
    wo = WorkOrder.objects.get(order=mill["order"], sequence=20)
    start = timezone.now() + dt.timedelta(hours=1)
    change_work_order_plan(
        work_order=wo,
        user=staff["production_head"],
        planned_start=start,
        planned_end=start + dt.timedelta(hours=2),
        reason="Machine repaired",
    )
    report = run_checks(kinds=[NoticeKind.BEHIND_PLAN])
    assert (report.opened_total, report.cleared) == (0, 1)
    report = run_checks(now=timezone.now() + dt.timedelta(hours=5), kinds=[NoticeKind.BEHIND_PLAN])
    assert report.opened_total == 1
