"""The production plan of an order: its work orders plan vs actual, and the forms to draft,
approve and reschedule it."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gendan.core.access import get_visible_or_404
from gendan.core.errors import ActionError
from gendan.core.views import (
    AuthenticatedRequest,
    apply_action_error,
    forbid_if_not_permitted,
    render_page,
)
from gendan.orders.models import Order
from gendan.production import actions, permissions
from gendan.production.forms import ApproveForm, DraftPlanForm, RescheduleForm
from gendan.production.models import PlanStatus, ProductionPlan
from gendan.production.selectors import plan_vs_actual


def _order(request: AuthenticatedRequest, number: str) -> Order:
    order: Order = get_visible_or_404(
        Order.objects.select_related("customer", "clerk"), request.user, number=number
    )
    return order


def _page(
    request: AuthenticatedRequest, order: Order, *, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    plan = (
        ProductionPlan.objects.filter(order=order)
        .select_related("drafted_by", "approved_by")
        .first()
    )
    rows = plan_vs_actual(order)
    approved = plan is not None and plan.status == PlanStatus.APPROVED
    context = {
        "order": order,
        "plan": plan,
        "rows": rows,
        "late_count": sum(1 for row in rows if row.late),
        "can_draft": permissions.can_plan(user) and not approved,
        "can_approve": plan is not None
        and plan.status == PlanStatus.DRAFT
        and permissions.can_approve_plan(user),
        "can_reschedule": approved and permissions.can_plan(user),
        "draft_form": forms.get("draft_form") or DraftPlanForm(),
        "approve_form": forms.get("approve_form") or ApproveForm(),
        "reschedule_form": forms.get("reschedule_form") or RescheduleForm(),
    }
    return render_page(request, "production/order_plan.html", context, status=status)


@login_required
@require_GET
def order_plan(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _page(request, _order(request, number))


@login_required
@require_POST
def draft_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    form = DraftPlanForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            plan = actions.draft_production_plan(
                order=order, user=request.user, start=form.start_at()
            )
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
            status = 409
        else:
            messages.success(
                request,
                _("Production plan drafted: %(count)d work orders, awaiting approval.")
                % {"count": plan.work_orders.count()},
            )
            return redirect("production:plan", number=order.number)
    return _page(request, order, status=status, draft_form=form)


@login_required
@require_POST
def approve_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    form = ApproveForm(request.POST)
    plan = ProductionPlan.objects.filter(order=order).first()
    status = 400
    if plan is None:
        form.is_valid()
        form.add_error(None, _("There is no production plan to approve yet."))
        status = 409
    elif form.is_valid():
        try:
            actions.approve_production_plan(
                plan=plan, user=request.user, note=form.cleaned_data["note"]
            )
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
            status = 409
        else:
            messages.success(request, _("Production plan approved; work orders released."))
            return redirect("production:plan", number=order.number)
    return _page(request, order, status=status, approve_form=form)


@login_required
@require_POST
def reschedule_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    form = RescheduleForm(request.POST)
    plan = ProductionPlan.objects.filter(order=order).first()
    status = 400
    if plan is None:
        form.is_valid()
        form.add_error(None, _("There is no production plan yet."))
        status = 409
    elif form.is_valid():
        try:
            moved = actions.reschedule_plan(
                plan=plan,
                user=request.user,
                reason=form.cleaned_data["reason"],
                start=form.start_at(),
            )
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
            status = 409
        else:
            messages.success(
                request, _("%(count)d work orders re-planned.") % {"count": len(moved)}
            )
            return redirect("production:plan", number=order.number)
    return _page(request, order, status=status, reschedule_form=form)
