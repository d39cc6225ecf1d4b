"""Planning pages: the promise panel of an order (an htmx partial on the order page), the
work-centre Gantt, and the planners' buttons (re-plan, apply the plan to the work orders).

No page load waits for a solve: the panel shows the last stored answer, and "Recompute" asks
the engine with a short time limit; re-planning runs in the worker.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gendan.core.access import get_visible_or_404
from gendan.core.errors import ActionError
from gendan.core.views import AuthenticatedRequest, forbid_if_not_permitted, is_partial, render_page
from gendan.orders.models import Order
from gendan.planning import actions, permissions
from gendan.planning.forms import ApplyPlanForm, GanttForm
from gendan.planning.gantt import build_gantt
from gendan.planning.models import PlanRun

log = logging.getLogger(__name__)
RECENT_RUNS = 5


def _order(request: AuthenticatedRequest, number: str) -> Order:
    order: Order = get_visible_or_404(
        Order.objects.select_related("customer", "clerk"), request.user, number=number
    )
    return order


def _panel(request: AuthenticatedRequest, order: Order, status: int = 200) -> HttpResponse:
    context = {"order": order, "oob_messages": is_partial(request)}
    return render_page(request, "planning/_promise.html", context, status=status)


@login_required
@require_GET
def promise_panel(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """The order's promise panel (polled while an answer is being computed)."""
    return _panel(request, _order(request, number))


@login_required
@require_POST
def promise_recompute(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Ask the engine now, with a short time limit, and show the new answer."""
    order = _order(request, number)
    try:
        actions.compute_promise(order=order, user=request.user)
    except ActionError as error:
        forbid_if_not_permitted(error)
        messages.error(request, " ".join(error.messages))
    except (ValueError, RuntimeError):
        log.exception("promise for %s failed", order.number)
        messages.error(
            request,
            _("The engine could not answer for this order; check its routings and work centres."),
        )
    if is_partial(request):
        return _panel(request, order)
    return redirect(order.get_absolute_url())


@login_required
@require_GET
def gantt(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not permissions.can_view_gantt(user):
        raise PermissionDenied(_("The work-centre plan is for planners and management."))
    values = GanttForm(request.GET or None).values()
    run = PlanRun.objects.current()
    chart = build_gantt(user=user, run=run, **values)
    return render_page(
        request,
        "planning/gantt.html",
        {
            "form": GanttForm(initial=values),
            "chart": chart,
            "run": run,
            "runs": list(PlanRun.objects.select_related("created_by")[:RECENT_RUNS]),
            "can_replan": permissions.can_replan(user),
            "can_apply": permissions.can_apply_plan(user) and run is not None,
            "apply_form": ApplyPlanForm(),
        },
    )


@login_required
@require_POST
def replan(request: AuthenticatedRequest) -> HttpResponse:
    try:
        actions.request_replan(user=request.user)
    except ActionError as error:
        forbid_if_not_permitted(error)
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Re-planning started: the new plan appears here when the worker is done.")
        )
    return redirect(reverse("planning:gantt"))


@login_required
@require_POST
def apply(request: AuthenticatedRequest) -> HttpResponse:
    """Give the current run's dates to every work order that has not started."""
    if not permissions.can_apply_plan(request.user):
        raise PermissionDenied(_("Only planners and management change the work orders' dates."))
    run = PlanRun.objects.current()
    form = ApplyPlanForm(request.POST)
    if run is None:
        messages.error(request, _("There is no plan yet: re-plan first."))
    elif not form.is_valid():
        messages.error(request, _("Give the reason for the change."))
    else:
        try:
            reason = form.cleaned_data["reason"]
            moved = actions.apply_plan(run=run, user=request.user, reason=reason)
        except ActionError as error:
            forbid_if_not_permitted(error)
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(count)d work orders got the plan's dates.") % {"count": len(moved)}
            )
    return redirect(reverse("planning:gantt") + "?source=work_orders")
