"""What the shipping pages and printed forms show: one context per form, shared by the page
(which includes the form's partial) and the PDF, so a printed form matches its page.

Forms: 发货通知单 (shipping notice), 送货单 (delivery note), 合格证 (certificate of conformity).
"""

from typing import Any

from django.conf import settings
from django.utils import translation

from gendan.documents.pdf import render_pdf
from gendan.documents.titles import is_chinese
from gendan.shipping.models import DeliveryNote, Shipment, ShippingNotice

#: The forms' official names (proper names, not catalogue strings: see documents.titles).
TITLES: dict[str, tuple[str, str]] = {
    "shipping_notice": ("发货通知单", "Shipping notice"),
    "delivery_note": ("送货单", "Delivery note"),
    "certificate": ("合格证", "Certificate of conformity"),
}


def form_title(code: str, language: str | None = None) -> str:
    zh, en = TITLES[code]
    return zh if is_chinese(language) else en


def notice_context(notice: ShippingNotice, language: str | None = None) -> dict[str, Any]:
    return {
        "order": notice.order,
        "notice": notice,
        "notice_lines": list(
            notice.lines.select_related("order_line__product").order_by("order_line__position")
        ),
        "form_title": form_title("shipping_notice", language),
    }


def _shipment_lines(shipment: Shipment) -> list[Any]:
    return list(
        shipment.lines.select_related("order_line__product").order_by("order_line__position")
    )


def inspection_numbers(shipment: Shipment) -> list[str]:
    """The final inspections behind the shipped goods: those whose released goods the
    warehouse took in for the shipped lines before the goods left (traceability, E4)."""
    from gendan.warehouse.models import FinishedGoodsReceipt

    lines = [line.order_line_id for line in shipment.lines.all() if line.quantity > 0]
    numbers = (
        FinishedGoodsReceipt.objects.filter(
            order_line__in=lines, received_at__lte=shipment.shipped_at
        )
        .order_by("inspection__number")
        .values_list("inspection__number", flat=True)
        .distinct()
    )
    return list(numbers)


def certificate_context(shipment: Shipment, language: str | None = None) -> dict[str, Any]:
    return {
        "order": shipment.order,
        "shipment": shipment,
        "shipment_lines": [line for line in _shipment_lines(shipment) if line.quantity > 0],
        "inspection_numbers": inspection_numbers(shipment),
        "form_title": form_title("certificate", language),
    }


def delivery_note_context(note: DeliveryNote, language: str | None = None) -> dict[str, Any]:
    shipment = note.shipment
    return {
        "order": note.order,
        "shipment": shipment,
        "notice": shipment.notice,
        "note": note,
        "shipment_lines": [line for line in _shipment_lines(shipment) if line.quantity > 0],
        "form_title": form_title("delivery_note", language),
    }


def notice_pdf(notice: ShippingNotice, *, language: str) -> bytes:
    with translation.override(language):
        context = notice_context(notice, language)
    return render_pdf("shipping/print/notice.html", context, language=language)


def certificate_pdf(shipment: Shipment, *, language: str) -> bytes:
    with translation.override(language):
        context = certificate_context(shipment, language)
    return render_pdf("shipping/print/certificate.html", context, language=language)


def delivery_note_pdf(note: DeliveryNote, *, language: str) -> bytes:
    with translation.override(language):
        context = delivery_note_context(note, language)
    return render_pdf("shipping/print/delivery_note.html", context, language=language)


def filing_language() -> str:
    """Copies filed with the order are printed in the installation's language (Chinese)."""
    return str(settings.LANGUAGE_CODE)
