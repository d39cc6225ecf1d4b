"""What the shipping pages share: record lookups through the one door, and running an action
from a posted form (success: message and redirect; refusal: the page again with the errors,
400 for invalid input, 409 for a refusal by an action, 403 when it is not the user's to do)."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from gendan.core.access import get_visible_or_404
from gendan.core.errors import ActionError
from gendan.core.views import AuthenticatedRequest, apply_action_error, forbid_if_not_permitted
from gendan.orders.models import Order
from gendan.shipping.models import Discrepancy, Shipment, ShippingNotice


def visible_order(request: AuthenticatedRequest, number: str) -> Order:
    order: Order = get_visible_or_404(
        Order.objects.select_related("customer", "clerk"), request.user, number=number
    )
    return order


def visible_notice(request: AuthenticatedRequest, number: str) -> ShippingNotice:
    notice: ShippingNotice = get_visible_or_404(
        ShippingNotice.objects.select_related("order", "order__customer", "issued_by"),
        request.user,
        number=number,
    )
    return notice


def visible_shipment(request: AuthenticatedRequest, number: str) -> Shipment:
    shipment: Shipment = get_visible_or_404(
        Shipment.objects.select_related(
            "order",
            "order__customer",
            "order__clerk",
            "notice",
            "dispatched_by",
            "certificate",
            "delivery_note",
            "delivery_note__document",
            "delivery_note__signed_document",
            "delivery_note__recorded_by",
        ),
        request.user,
        number=number,
    )
    return shipment


def visible_discrepancy(request: AuthenticatedRequest, pk: int) -> Discrepancy:
    discrepancy: Discrepancy = get_visible_or_404(
        Discrepancy.objects.select_related("order", "delivery_note__shipment"),
        request.user,
        pk=pk,
    )
    return discrepancy


def run(
    request: AuthenticatedRequest,
    form: forms.Form,
    call: Callable[[dict[str, Any]], Any],
    *,
    done: Callable[[Any], str],
    success_url: Callable[[Any], str],
    page: Callable[[forms.Form, int], HttpResponse],
) -> HttpResponse:
    """Validate `form`, call the action, answer."""
    status = 400
    if form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
            status = 409
        else:
            messages.success(request, done(result))
            return redirect(success_url(result))
    return page(form, status)
