"""The order page's panels from the later steps: intake checks (I3–I6), the delivery promise
(S1), the emergency panel (U1–U3) and links to the order's records in review, contract,
allocation, purchasing and production.

Each costs a fixed number of queries whatever the size of the order: the links come from one
query with an EXISTS per kind of record. Panels are shown only in the statuses where they
mean something, so a closed order does not ask the engine for a delivery date.
"""

import functools
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gendan.contracts.models import Allocation, Contract, OrderConfirmation
from gendan.core.views import AuthenticatedRequest
from gendan.intake.checks import IntakeChecks, intake_checks
from gendan.milestones.chain import milestone_chain
from gendan.orders.models import Order
from gendan.orders.status import Status
from gendan.planning.templatetags.planning import PromisePanel, promise_panel
from gendan.production.models import ProductionPlan
from gendan.purchasing.models import PurchaseOrder
from gendan.reviews.models import DepartmentReview, ReviewMeeting

#: Statuses in which the intake checks are shown (until the order is past department review).
INTAKE_STATUSES = frozenset({Status.DRAFT, Status.INTAKE_REVIEW, Status.DEPARTMENT_REVIEW})
#: Statuses in which a delivery promise is still a question (until the goods leave).
PROMISE_STATUSES = INTAKE_STATUSES | {Status.CONTRACT, Status.CONFIRMED, Status.IN_EXECUTION}
#: From these on the order is allocated, bought and made.
EXECUTING = frozenset({Status.CONFIRMED, Status.IN_EXECUTION})
#: From these on the order has a milestone chain (E8) and goods to ship and look after.
EXECUTED = EXECUTING | {
    Status.SHIPPED,
    Status.DELIVERED,
    Status.ACCEPTED,
    Status.CLOSING,
    Status.CLOSED,
}
#: A production plan may be drafted from the department review on (the production review's
#: draft plan) until execution.
PLANNABLE = frozenset({Status.DEPARTMENT_REVIEW, Status.CONTRACT}) | EXECUTING


@dataclass(frozen=True)
class OrderLink:
    """A link on the order page to one of the order's records in a later step."""

    key: str
    label: str | Promise
    url: str


def _stage(order: Order) -> Status:
    """The order's status, or for an order on hold the status it was held from."""
    if order.status == Status.ON_HOLD and order.held_from:
        return Status(order.held_from)
    return Status(order.status)


@functools.cache
def _records_query() -> "QuerySet[Any, Any]":
    """Orders with one column per kind of record (an EXISTS each, the latest meeting's key).
    Built once: the conditions do not depend on the order, and building them costs more than
    running the query."""
    of_order = {"order": OuterRef("pk")}
    return Order.objects.annotate(
        has_reviews=Exists(DepartmentReview.objects.filter(**of_order)),
        meeting_pk=Subquery(
            ReviewMeeting.objects.filter(**of_order)
            .order_by("-round", "-created_at", "-id")
            .values("pk")[:1]
        ),
        has_contract=Exists(Contract.objects.filter(**of_order)),
        has_confirmation=Exists(OrderConfirmation.objects.filter(**of_order)),
        has_allocation=Exists(Allocation.objects.filter(**of_order)),
        has_purchase_orders=Exists(PurchaseOrder.objects.filter(**of_order)),
        has_production_plan=Exists(ProductionPlan.objects.filter(**of_order)),
    ).values(
        "has_reviews",
        "meeting_pk",
        "has_contract",
        "has_confirmation",
        "has_allocation",
        "has_purchase_orders",
        "has_production_plan",
    )


def order_links(order: Order) -> list[OrderLink]:
    """The order's pages in review, contract, allocation, purchasing and production that exist
    or that its stage calls for. Every one of them opens for whoever sees the order (the order
    page is shown only to them); what a user may change there the page itself decides."""
    found = _records_query().filter(pk=order.pk).first()
    if found is None:
        return []
    stage = _stage(order)
    number = order.number
    links: list[OrderLink] = []

    def add(key: str, label: str | Promise, name: str, *args: Any) -> None:
        links.append(OrderLink(key, label, reverse(name, args=args or (number,))))

    if found["has_reviews"]:
        add("reviews", _("Department review"), "reviews:order")
    if found["meeting_pk"]:
        add("meeting", _("Review meeting and minutes"), "reviews:meeting", found["meeting_pk"])
    if found["has_contract"] or stage == Status.CONTRACT:
        add("contract", _("Contract"), "contracts:contract")
    if found["has_confirmation"] or stage in EXECUTING:
        links.append(
            OrderLink(
                "confirmation",
                _("Order confirmation"),
                reverse("contracts:contract", args=(number,)) + "#confirmation",
            )
        )
    if found["has_allocation"] or stage in EXECUTING:
        add("allocation", _("Allocation sheet"), "contracts:allocation")
    urgent = order.is_emergency and stage in PLANNABLE
    if found["has_purchase_orders"] or stage in EXECUTING or urgent:
        add("purchase_plan", _("Purchase plan"), "purchasing:plan")
    if found["has_production_plan"] or stage in PLANNABLE:
        add("production_plan", _("Production plan"), "production:plan")
    if stage in EXECUTED:
        add("quality", _("Quality and warehouse"), "quality:order")
        add("shipping", _("Shipping and delivery"), "shipping:order")
        add("aftersales", _("After-sales"), "aftersales:order")
    add("documents", _("Documents"), "documents:order")
    return links


def side_panels(request: AuthenticatedRequest, order: Order) -> dict[str, Any]:
    """The context the order page's panels need: `checks`, `promise` and `milestones` (None
    where the stage has no use for them) and `order_links`."""
    stage = _stage(order)
    checks: IntakeChecks | None = intake_checks(order) if stage in INTAKE_STATUSES else None
    promise: PromisePanel | None = None
    if stage in PROMISE_STATUSES and order.status != Status.ON_HOLD:
        promise = promise_panel({"request": request}, order)
    return {
        "checks": checks,
        "promise": promise,
        "milestones": milestone_chain(order) if stage in EXECUTED else None,
        "executed": stage in EXECUTED,
        "order_links": order_links(order),
    }
