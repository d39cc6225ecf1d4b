"""Helpers for the page tests: query counting, HTMX headers and order form payloads."""

import datetime as dt
import re
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gendan.catalog.models import Product
from gendan.customers.models import Customer
from gendan.orders.models import Order


def htmx(target: str = "") -> dict[str, str]:
    """Request headers htmx sends for a swap into the element with id `target`."""
    headers = {"HX-Request": "true"}
    if target:
        headers["HX-Target"] = target
    return headers


def queries_for(client: Client, url: str) -> int:
    """How many SQL queries one GET of `url` runs (after a warm-up GET)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(captured.captured_queries)


def step_names(html: str) -> list[str]:
    """The pipeline steps offered on an order page, in page order."""
    return re.findall(r'data-step="([a-z_]+)"', html)


def line_fields(prefix: str, index: int, product: Product, /, **overrides: Any) -> dict[str, str]:
    values: dict[str, Any] = {
        "product": product.pk,
        "specification": "",
        "grammage": product.grammage or "",
        "width_mm": product.width_mm or "",
        "quantity": "30",
        "unit": product.unit,
        "unit_price": "3150.00",
        "tolerance_pct": "3",
    }
    values.update(overrides)
    return {f"{prefix}-{index}-{name}": str(value) for name, value in values.items()}


def new_order_payload(
    customer: Customer, product: Product, lines: list[dict[str, Any]] | None = None, **header: Any
) -> dict[str, str]:
    """The POST of the "new order" form with one line (or the given line overrides)."""
    data: dict[str, Any] = {
        "customer": customer.code,
        "customer_reference": "PO-7781",
        "channel": "phone",
        "priority": "normal",
        "requested_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "promised_date": "",
        "delivery_place": "Kunshan plant, gate 2",
        "payment_terms": "30 days after delivery",
        "quality_requirements": "",
        "notes": "",
    }
    data.update(header)
    lines = lines if lines is not None else [{}]
    data.update(
        {
            "lines-TOTAL_FORMS": str(len(lines)),
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "1",
            "lines-MAX_NUM_FORMS": "1000",
        }
    )
    for index, overrides in enumerate(lines):
        data.update(line_fields("lines", index, product, **overrides))
    return {key: str(value) for key, value in data.items()}


def edit_payload(order: Order, **header: Any) -> dict[str, str]:
    """The POST of the edit form as the page shows it for `order`, with `header` changes."""
    lines = list(order.lines.select_related("product"))
    data: dict[str, Any] = {
        "customer": order.customer.code,
        "customer_reference": order.customer_reference,
        "channel": order.channel,
        "priority": order.priority,
        "clerk": order.clerk_id,
        "requested_date": order.requested_date.isoformat(),
        "promised_date": order.promised_date.isoformat() if order.promised_date else "",
        "delivery_place": order.delivery_place,
        "payment_terms": order.payment_terms,
        "quality_requirements": order.quality_requirements,
        "notes": order.notes,
        "version": order.version,
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": str(len(lines)),
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "1000",
    }
    data.update(header)
    for index, line in enumerate(lines):
        data.update(
            line_fields(
                "lines",
                index,
                line.product,
                specification=line.specification,
                grammage=line.grammage or "",
                width_mm=line.width_mm or "",
                quantity=line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                tolerance_pct=line.tolerance_pct,
            )
        )
    return {key: str(value) for key, value in data.items()}
