"""Every change in shipping and delivery goes through one of these functions (web, API, jobs).

Each runs in one transaction, locks the rows it changes, checks the rule, saves, writes a
ledger entry on the customer order (`data.step` "shipping" or "delivery") and notifies people
after the commit. On any error nothing has changed.
"""

from gendan.shipping.actions.delivery import (
    receive_settlement,
    record_sign_off,
    report_discrepancy,
    request_settlement,
    resolve_discrepancy,
)
from gendan.shipping.actions.notice import cancel_notice, issue_notice
from gendan.shipping.actions.shipment import dispatch_shipment

__all__ = [
    "cancel_notice",
    "dispatch_shipment",
    "issue_notice",
    "receive_settlement",
    "record_sign_off",
    "report_discrepancy",
    "request_settlement",
    "resolve_discrepancy",
]
