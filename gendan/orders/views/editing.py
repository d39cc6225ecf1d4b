"""Registering and editing an order: the header form and its lines, in one page."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gendan.core.access import get_visible_or_404
from gendan.core.errors import ActionError, StaleVersion
from gendan.core.views import AuthenticatedRequest, apply_action_error, forbid_if_not_permitted
from gendan.orders import actions, permissions
from gendan.orders.forms import OrderForm, OrderLineFormSet, initial_lines
from gendan.orders.models import Order
from gendan.orders.status import EDITABLE_STATUSES

LINES_PREFIX = "lines"


def _render(
    request: AuthenticatedRequest,
    form: OrderForm,
    lines: Any,
    *,
    order: Order | None = None,
    stale: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "lines": lines, "order": order, "stale": stale}
    return render(request, "orders/order_form.html", context, status=status)


@login_required
def order_create(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not permissions.can_create_order(user):
        raise PermissionDenied(_("Your role may not register orders."))
    form = OrderForm(request.POST or None, user=user)
    lines = OrderLineFormSet(request.POST or None, prefix=LINES_PREFIX)
    if request.method == "POST":
        if form.is_valid() and lines.is_valid():
            try:
                order = actions.create_order(user=user, header=form.header(), lines=lines.lines())
            except ActionError as error:
                forbid_if_not_permitted(error)
                apply_action_error(error, form)
            else:
                messages.success(request, _("Order %(number)s registered.") % {"number": order})
                return redirect(order)
        return _render(request, form, lines, status=400)
    return _render(request, form, lines)


@login_required
def order_edit(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Edit an order still being negotiated. The form carries the version it was opened from;
    if someone changed the order meanwhile, the save is refused and the user's input kept."""
    user = request.user
    order: Order = get_visible_or_404(
        Order.objects.select_related("customer", "clerk"), user, number=number
    )
    if not permissions.can_edit_order(user, order):
        raise PermissionDenied(_("Your role may not edit this order."))
    if order.status not in EDITABLE_STATUSES:
        messages.error(
            request,
            _("Order %(number)s is %(status)s: it can no longer be edited directly.")
            % {"number": order.number, "status": order.get_status_display()},
        )
        return redirect(order)
    form = OrderForm(request.POST or None, user=user, order=order)
    lines = OrderLineFormSet(
        request.POST or None, prefix=LINES_PREFIX, initial=initial_lines(order)
    )
    if request.method != "POST":
        return _render(request, form, lines, order=order)
    if form.is_valid() and lines.is_valid():
        try:
            actions.update_order(
                order=order,
                user=user,
                expected_version=form.cleaned_data["version"],
                header=form.header(),
                lines=lines.lines(),
            )
        except StaleVersion as error:
            return _render(
                request, form, lines, order=order, stale=" ".join(error.messages), status=409
            )
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
        else:
            messages.success(request, _("Order %(number)s saved.") % {"number": order.number})
            return redirect(order)
    return _render(request, form, lines, order=order, status=400)
