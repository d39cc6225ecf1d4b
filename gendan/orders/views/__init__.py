"""The order pages: the list, the order page with its small forms, and create/edit."""

from gendan.orders.views.detail import (
    add_comment_view,
    ledger_view,
    log_communication_view,
    open_task_view,
    order_detail,
    transition_view,
)
from gendan.orders.views.editing import order_create, order_edit
from gendan.orders.views.listing import order_list

__all__ = [
    "add_comment_view",
    "ledger_view",
    "log_communication_view",
    "open_task_view",
    "order_create",
    "order_detail",
    "order_edit",
    "order_list",
    "transition_view",
]
