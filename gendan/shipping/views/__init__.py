"""The shipping and delivery pages (E6, E7)."""

from gendan.shipping.views.documents import (
    cancel_notice_view,
    certificate_pdf,
    delivery_note_pdf,
    discrepancy_view,
    dispatch_view,
    notice_page,
    notice_pdf,
    resolve_view,
    shipment_page,
    sign_off_view,
)
from gendan.shipping.views.orders import (
    delivery_list,
    issue_notice_view,
    notice_list,
    order_page,
    receive_settlement_view,
    request_settlement_view,
    settlement_list,
)

__all__ = [
    "cancel_notice_view",
    "certificate_pdf",
    "delivery_list",
    "delivery_note_pdf",
    "discrepancy_view",
    "dispatch_view",
    "issue_notice_view",
    "notice_list",
    "notice_page",
    "notice_pdf",
    "order_page",
    "receive_settlement_view",
    "request_settlement_view",
    "resolve_view",
    "settlement_list",
    "shipment_page",
    "sign_off_view",
]
