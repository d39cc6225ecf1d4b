"""The purchasing pages: purchase orders, the purchase plan of an order, incidents, and the
master data lists (suppliers, materials)."""

from gendan.purchasing.views.documents import (
    cancel_view,
    expected_date_view,
    late_lines_view,
    purchase_order_detail,
    purchase_order_list,
    purchase_plan_view,
    receive_view,
)
from gendan.purchasing.views.incidents import (
    escalate_view,
    handle_view,
    incident_create,
    incident_detail,
    incident_list,
)
from gendan.purchasing.views.masterdata import (
    material_detail,
    material_list,
    supplier_detail,
    supplier_list,
)

__all__ = [
    "cancel_view",
    "escalate_view",
    "expected_date_view",
    "handle_view",
    "incident_create",
    "incident_detail",
    "incident_list",
    "late_lines_view",
    "material_detail",
    "material_list",
    "purchase_order_detail",
    "purchase_order_list",
    "purchase_plan_view",
    "receive_view",
    "supplier_detail",
    "supplier_list",
]
