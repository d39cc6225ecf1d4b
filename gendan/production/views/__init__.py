"""The production pages: work orders (生产任务单), the production plan of an order, and the
master data lists (work centres, routings, teams)."""

from gendan.production.views.masterdata import (
    routing_detail,
    routing_list,
    team_list,
    work_centre_detail,
    work_centre_list,
)
from gendan.production.views.plan import approve_view, draft_view, order_plan, reschedule_view
from gendan.production.views.work_orders import (
    change_plan_view,
    report_progress_view,
    work_order_detail,
    work_order_list,
    work_order_print,
)

__all__ = [
    "approve_view",
    "change_plan_view",
    "draft_view",
    "order_plan",
    "report_progress_view",
    "reschedule_view",
    "routing_detail",
    "routing_list",
    "team_list",
    "work_centre_detail",
    "work_centre_list",
    "work_order_detail",
    "work_order_list",
    "work_order_print",
]
