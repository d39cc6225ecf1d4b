"""A clerk registers an order in a real browser: a bad quantity is refused at the field, the
corrected order is saved and then found in the order list through the live search."""

import os
import re

import pytest

from gendan.orders.models import Order
from tests.browser.chromium import chromium_missing_reason
from tests.factories import PASSWORD, CustomerFactory, ProductFactory

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
# test itself are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
    # The live server needs committed data; the seeded departments must survive the flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        chromium_missing_reason() is not None, reason=chromium_missing_reason() or ""
    ),
]


def test_clerk_corrects_a_refused_quantity_and_finds_the_order(browser_page, users):
    page = browser_page
    customer = CustomerFactory(name="Kunshan Carton Works")
    product = ProductFactory(code="CM-120-1600", name="Corrugating medium 120")

    page.goto("/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))

    page.goto("/orders/new/")
    page.fill("#id_customer", "kunshan")
    # The box suggests matching customers as the user types.
    page.wait_for_function("document.querySelectorAll('#id_customer_options option').length > 0")
    assert page.locator("#id_customer_options option").first.get_attribute("value") == customer.name
    page.fill("#id_customer", customer.name)
    page.select_option("#id_channel", "phone")
    page.fill("#id_requested_date", "2030-05-20")
    page.fill("#id_delivery_place", "Kunshan plant, gate 2")
    page.fill("#id_payment_terms", "30 days after delivery")
    page.select_option("#id_lines-0-product", str(product.pk))
    # Choosing the product filled in its defaults.
    assert page.input_value("#id_lines-0-unit_price") == str(product.list_price)
    assert page.input_value("#id_lines-0-unit") == product.unit
    page.fill("#id_lines-0-quantity", "-5")
    page.click("#order-form button[type=submit].btn-primary")

    quantity_cell = page.locator("td.has-error", has=page.locator("#id_lines-0-quantity"))
    quantity_cell.locator(".errorlist").wait_for()
    assert "greater than or equal to" in quantity_cell.inner_text()
    assert not Order.objects.exists()

    page.fill("#id_lines-0-quantity", "30")
    page.click("#order-form button[type=submit].btn-primary")
    page.wait_for_url(re.compile(r"/orders/SO-\d{4}-\d+/$"))
    number = page.locator(".order-title h1").inner_text().strip()
    assert Order.objects.get(number=number).lines.get().quantity == 30

    page.goto("/orders/?priority=emergency")  # a list that does not show the new order
    assert page.locator(f"tr[data-order='{number}']").count() == 0
    page.select_option("#id_priority", "")  # the filter form swaps the table in place
    page.fill("#id_q", "Kunshan")
    page.locator(f"#order-table tr[data-order='{number}']").wait_for()
    page.wait_for_url(re.compile(r"q=Kunshan"))  # the address keeps the filters
