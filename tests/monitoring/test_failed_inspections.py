"""Failed inspections (E4 → E9): an open nonconformance opens one notice for quality; closing
it marks the notice's condition cleared."""

import pytest

from gendan.monitoring.actions import run_checks
from gendan.monitoring.models import NoticeKind, RectificationNotice
from gendan.production.actions import report_progress
from gendan.quality.actions import inspect_progress
from gendan.quality.models import NCStatus, Nonconformance
from tests.quality.helpers import quality_staff, released_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(users):
    staff = quality_staff(users)
    released = released_order(staff)
    report = report_progress(
        work_order=released["paper"],
        user=released["leader"],
        good_quantity="10",
        scrap_quantity="0",
        hours="2",
    )
    s = released["standards"]
    inspection = inspect_progress(
        progress_report=report,
        user=staff["quality_reviewer"],
        values={s["ip_grammage"].pk: "120", s["ip_moisture"].pk: "9.4"},
        quarantine_quantity="6",
    )
    return {"staff": staff, "nc": inspection.nonconformance, "order": released["order"]}


def test_open_nonconformance_opens_one_notice_for_quality(failed) -> None:
    assert run_checks(kinds=[NoticeKind.FAILED_INSPECTION]).opened_total == 1
    assert run_checks(kinds=[NoticeKind.FAILED_INSPECTION]).opened_total == 0
    notice = RectificationNotice.objects.get()
    assert notice.order == failed["order"]
    assert notice.department.code == "quality"
    assert notice.owner == failed["staff"]["quality_head"]
    assert failed["nc"].number in notice.summary
    assert notice.subject_url == failed["nc"].get_absolute_url()


def test_closed_nonconformance_clears_the_condition(failed) -> None:
    run_checks(kinds=[NoticeKind.FAILED_INSPECTION])
    Nonconformance.objects.filter(pk=failed["nc"].pk).update(status=NCStatus.CLOSED)
    report = run_checks(kinds=[NoticeKind.FAILED_INSPECTION])
    assert report.cleared == 1
    notice = RectificationNotice.objects.get()
    assert notice.is_open and notice.condition_cleared_at is not None
