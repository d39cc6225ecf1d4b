"""A clerk imports an Excel file in a real browser: the preview marks the bad cells in red,
the clerk imports only the valid rows and lands on the result with the new order's number."""

import datetime as dt
import os
import re
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import Workbook

from gendan.intake.excel.columns import COLUMNS
from gendan.orders.models import Order
from tests.browser.chromium import chromium_missing_reason
from tests.browser.conftest import browser_page, live_server
from tests.factories import PASSWORD, CustomerFactory, ProductFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        chromium_missing_reason() is not None, reason=chromium_missing_reason() or ""
    ),
]
__all__ = ["browser_page", "live_server"]


def order_file() -> bytes:
    later = (timezone.localdate() + dt.timedelta(days=40)).isoformat()
    good = ["C100", "PO-1", "", later, "Kunshan", "30 days", "CM-120", 120, 1600, 30, 3150, ""]
    bad = ["C100", "PO-2", "", later, "=cmd|' /C calc'!A0", "", "CM-120", 120, 1600, "x", 1, ""]
    book = Workbook()
    sheet = book.active
    sheet.append([column.key for column in COLUMNS])
    sheet.append(good)
    sheet.append(bad)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_clerk_previews_a_bad_file_and_imports_only_the_valid_order(
    browser_page, users, tmp_path
) -> None:
    page = browser_page
    CustomerFactory(code="C100")
    ProductFactory(code="CM-120")
    path = tmp_path / "orders.xlsx"
    path.write_bytes(order_file())

    page.goto("/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))

    page.goto("/intake/import/")
    page.set_input_files("#id_file", str(path))
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url(re.compile(r"/intake/import/\d+/$"))
    bad_cells = page.locator("tr[data-row='3'] td.cell-error")
    assert bad_cells.count() == 2
    assert "formulas" in bad_cells.first.inner_text()
    assert page.locator("tr[data-row='2'] td.cell-error").count() == 0

    page.click("text=Import only the valid rows")
    page.wait_for_url(re.compile(r"/intake/import/\d+/$"))
    number = Order.objects.get().number
    assert page.locator(f"a:has-text('{number}')").count() == 1
