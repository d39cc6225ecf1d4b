"""The shipping page of an order: what is noticed, shipped and signed per line, its notices,
shipments, delivery notes, discrepancies and settlement requests, with the forms sales uses
(issue a notice, request settlement). Also the lists across orders."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gendan.core.access import get_visible_or_404
from gendan.core.views import AuthenticatedRequest, page_of, render_page
from gendan.orders.models import Order
from gendan.orders.pipeline import available_transitions
from gendan.shipping import actions, permissions
from gendan.shipping.actions.notice import NOTICE_STATUSES
from gendan.shipping.forms import NoticeForm, ReceiveSettlementForm, SettlementForm
from gendan.shipping.guards import fully_shipped
from gendan.shipping.models import (
    DeliveryNote,
    DeliveryState,
    Discrepancy,
    NoticeState,
    SettlementRequest,
    SettlementState,
    Shipment,
    ShippingNotice,
)
from gendan.shipping.selectors import line_progress, sharing_line_progress
from gendan.shipping.views.common import run, visible_order

#: The pipeline steps that follow shipping and delivery, offered on the shipping page too.
ORDER_STEPS = frozenset({"ship", "deliver", "accept", "request_closure"})


def order_url(order: Order) -> str:
    return reverse("shipping:order", args=[order.number])


def order_context(request: AuthenticatedRequest, order: Order, **forms_: Any) -> dict[str, Any]:
    user = request.user
    progress = line_progress(order)
    sales = permissions.is_sales(user, order)
    settlements = list(
        SettlementRequest.objects.filter(order=order)
        .select_related("requested_by", "received_by")
        .prefetch_related("delivery_notes")
    )
    waiting_settlement = DeliveryNote.objects.filter(
        order=order,
        state__in=[DeliveryState.SIGNED, DeliveryState.SIGNED_WITH_DISCREPANCIES],
        settlement_requests__isnull=True,
    ).exists()
    can_notice = (
        permissions.can_issue_notice(user, order)
        and order.status in NOTICE_STATUSES
        and any(p.to_notice > 0 for p in progress)
    )
    return {
        "order": order,
        "progress": progress,
        "not_shipped": fully_shipped(order, user),
        "notices": list(
            ShippingNotice.objects.filter(order=order)
            .select_related("issued_by")
            .prefetch_related("lines__order_line")
        ),
        "shipments": list(
            Shipment.objects.filter(order=order).select_related(
                "delivery_note", "dispatched_by", "notice"
            )
        ),
        "discrepancies": list(
            Discrepancy.objects.filter(order=order).select_related(
                "delivery_note__shipment", "order_line", "reported_by", "resolved_by"
            )
        ),
        "settlements": settlements,
        "can_notice": can_notice,
        "notice_form": forms_.get("notice_form") or NoticeForm(progress=progress),
        "can_settle": sales and waiting_settlement,
        "settlement_form": forms_.get("settlement_form") or SettlementForm(),
        "can_receive": permissions.can_receive_settlement(user),
        "receive_form": ReceiveSettlementForm(),
        "steps": [
            step
            for step in available_transitions(order, user)
            if step.transition.name in ORDER_STEPS
        ],
    }


def _page(
    request: AuthenticatedRequest, order: Order, *, status: int = 200, **forms_: Any
) -> HttpResponse:
    # The progress, the "not shipped" note and the ship step's guard read the same lines.
    with sharing_line_progress():
        context = order_context(request, order, **forms_)
        return render_page(request, "shipping/order.html", context, status=status)


@login_required
@require_GET
def order_page(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _page(request, visible_order(request, number))


@login_required
@require_POST
def issue_notice_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order = visible_order(request, number)
    form = NoticeForm(request.POST, progress=line_progress(order))
    return run(
        request,
        form,
        lambda data: actions.issue_notice(
            order=order,
            user=request.user,
            ship_on=data["ship_on"],
            quantities=form.quantities(),
            delivery_place=data["delivery_place"],
            consignee=data["consignee"],
            notes=data["notes"],
        ),
        done=lambda notice: (
            _("Shipping notice %(number)s issued to logistics.") % {"number": notice.number}
        ),
        success_url=lambda notice: notice.get_absolute_url(),
        page=lambda f, status: _page(request, order, status=status, notice_form=f),
    )


@login_required
@require_POST
def request_settlement_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order = visible_order(request, number)
    return run(
        request,
        SettlementForm(request.POST),
        lambda data: actions.request_settlement(order=order, user=request.user, note=data["note"]),
        done=lambda s: _("Settlement request %(number)s sent to finance.") % {"number": s.number},
        success_url=lambda s: f"{order_url(order)}#settlements",
        page=lambda f, status: _page(request, order, status=status, settlement_form=f),
    )


@login_required
@require_POST
def receive_settlement_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    settlement: SettlementRequest = get_visible_or_404(
        SettlementRequest.objects.select_related("order"), request.user, number=number
    )
    order = settlement.order
    return run(
        request,
        ReceiveSettlementForm(request.POST),
        lambda data: actions.receive_settlement(
            settlement=settlement, user=request.user, note=data["note"]
        ),
        done=lambda s: _("Settlement request %(number)s received.") % {"number": s.number},
        success_url=lambda s: f"{order_url(order)}#settlements",
        page=lambda f, status: _page(request, order, status=status, settlement_form=f),
    )


# --- lists -------------------------------------------------------------------------------


@login_required
@require_GET
def notice_list(request: AuthenticatedRequest) -> HttpResponse:
    """Shipping notices: by default those waiting to ship, soonest first."""
    queryset = ShippingNotice.objects.for_user(request.user).select_related(
        "order", "order__customer", "issued_by"
    )
    state = request.GET.get("state", "")
    if state in NoticeState.values:
        queryset = queryset.filter(state=state)
    elif state != "all":
        queryset = queryset.filter(state=NoticeState.OPEN)
    page = page_of(queryset.order_by("ship_on", "id"), request)
    return render_page(
        request,
        "shipping/notice_list.html",
        {"page": page, "states": NoticeState.choices, "state": state},
    )


@login_required
@require_GET
def delivery_list(request: AuthenticatedRequest) -> HttpResponse:
    """Delivery notes: by default those awaiting the customer's signature."""
    queryset = DeliveryNote.objects.for_user(request.user).select_related(
        "order", "order__customer", "shipment"
    )
    state = request.GET.get("state", "")
    if state in DeliveryState.values:
        queryset = queryset.filter(state=state)
    elif state != "all":
        queryset = queryset.filter(state=DeliveryState.AWAITING)
    page = page_of(queryset.order_by("shipment__shipped_at", "id"), request)
    return render_page(
        request,
        "shipping/delivery_list.html",
        {"page": page, "states": DeliveryState.choices, "state": state},
    )


@login_required
@require_GET
def settlement_list(request: AuthenticatedRequest) -> HttpResponse:
    """Settlement requests: by default those finance has not received yet."""
    queryset = SettlementRequest.objects.for_user(request.user).select_related(
        "order", "order__customer", "requested_by"
    )
    state = request.GET.get("state", "")
    if state in SettlementState.values:
        queryset = queryset.filter(state=state)
    elif state != "all":
        queryset = queryset.filter(state=SettlementState.SUBMITTED)
    page = page_of(queryset.order_by("requested_at", "id"), request)
    return render_page(
        request,
        "shipping/settlement_list.html",
        {
            "page": page,
            "states": SettlementState.choices,
            "state": state,
            "can_receive": permissions.can_receive_settlement(request.user),
            "receive_form": ReceiveSettlementForm(),
        },
    )
