"""The team leader records a progress report with scrap; the quality inspector finds it on the
quality worklist, enters values of which one is out of tolerance, and the goods are
quarantined as a nonconformance, which then keeps the work order from finishing."""

import os
import re

import pytest

from gendan.ledger.models import LedgerEntry
from gendan.production.models import ProgressReport
from gendan.quality.models import NCStatus, Nonconformance
from tests.browser.chromium import chromium_missing_reason
from tests.factories import PASSWORD
from tests.quality.helpers import quality_staff, released_order

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        chromium_missing_reason() is not None, reason=chromium_missing_reason() or ""
    ),
]


def _login(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


def test_progress_with_scrap_and_a_failed_in_process_inspection(browser_page, users):
    page = browser_page
    staff = quality_staff(users)
    released = released_order(staff)
    paper = released["paper"]
    standards = released["standards"]

    _login(page, "production_head")
    page.goto(f"/production/wo/{paper.number}/")
    page.fill("#id_good_quantity", "12")
    page.fill("#id_scrap_quantity", "0.8")
    page.fill("#id_hours", "4")
    page.click("#progress-form button[type=submit]")
    page.wait_for_url(re.compile(rf"/production/wo/{paper.number}/$"))
    report = ProgressReport.objects.get(work_order=paper)
    assert str(report.scrap_quantity) == "0.800"

    _login(page, "quality_reviewer")
    page.goto("/quality/")
    page.click(f"#to-inspect tr[data-report='{report.pk}'] a")
    page.wait_for_url(re.compile(rf"/quality/inspect/progress/{report.pk}/$"))
    page.fill(f"#id_value_{standards['ip_grammage'].pk}", "121.3")
    page.fill(f"#id_value_{standards['ip_moisture'].pk}", "9.6")  # limit 9.0
    page.fill("#id_quarantine_quantity", "5")
    page.fill("#id_nonconformity", "Moisture high on reel 3")
    page.click("#inspection-form button[type=submit]")
    page.wait_for_url(re.compile(r"/quality/inspections/QI-\d{4}-\d+/$"))
    assert page.locator("#inspection-result").inner_text().strip() == "Failed"
    assert "Fail" in page.locator("#measurements").inner_text()

    nc = Nonconformance.objects.get()
    assert (str(nc.quantity), nc.status) == ("5.000", NCStatus.OPEN)
    assert LedgerEntry.objects.filter(
        order=released["order"], data__event="inspection_failed", data__inspection=nc.inspection_id
    ).exists()
    page.goto("/quality/")
    assert nc.number in page.locator("#open-ncs").inner_text()
