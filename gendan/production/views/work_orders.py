"""Work orders: the list, one work order with its progress and plan changes, and the forms
posted from it (progress report, plan change). A printable 生产任务单 too.

Forms post to their own address; success redirects back with a message, a refusal shows the
page again with the errors next to the fields (400 invalid input, 409 refused by the state,
403 not the user's to do).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gendan.core.access import get_visible_or_404
from gendan.core.errors import ActionError
from gendan.core.views import (
    AuthenticatedRequest,
    apply_action_error,
    forbid_if_not_permitted,
    page_of,
    render_page,
)
from gendan.emergency.ordering import emergency_first
from gendan.production import actions, permissions
from gendan.production.forms import PlanChangeForm, ProgressForm
from gendan.production.models import (
    ACTIVE_WORK_STATUSES,
    REPORTABLE_STATUSES,
    WorkCentre,
    WorkOrder,
    WorkOrderStatus,
)
from gendan.production.selectors import compare


@login_required
@require_GET
def work_order_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    queryset = emergency_first(
        WorkOrder.objects.for_user(user).select_related("order", "work_centre", "team", "owner"),
        "planned_start",
        "id",
        priority="order__priority",
    )
    status = request.GET.get("status", "")
    if status in WorkOrderStatus.values:
        queryset = queryset.filter(status=status)
    elif status != "all":
        queryset = queryset.filter(status__in=ACTIVE_WORK_STATUSES)
    centre = request.GET.get("work_centre", "")
    if centre.isdigit():
        queryset = queryset.filter(work_centre_id=int(centre))
    if request.GET.get("late"):
        queryset = queryset.behind_plan()
    if request.GET.get("mine"):
        queryset = queryset.filter(owner=user)
    now = timezone.now()
    page = page_of(queryset, request)
    return render_page(
        request,
        "production/work_order_list.html",
        {
            "page": page,
            "rows": [(wo, wo.is_late(now)) for wo in page.rows],
            "statuses": WorkOrderStatus.choices,
            "status": status,
            "work_centres": WorkCentre.objects.filter(is_active=True),
            "work_centre": centre,
            "late": bool(request.GET.get("late")),
            "mine": bool(request.GET.get("mine")),
        },
    )


def _work_order(request: AuthenticatedRequest, number: str) -> WorkOrder:
    queryset = WorkOrder.objects.select_related(
        "order",
        "order__customer",
        "order_line",
        "product",
        "work_centre",
        "team",
        "owner",
        "operation",
        "plan",
    )
    work_order: WorkOrder = get_visible_or_404(queryset, request.user, number=number)
    return work_order


def _detail(
    request: AuthenticatedRequest,
    work_order: WorkOrder,
    *,
    status: int = 200,
    progress_form: ProgressForm | None = None,
    change_form: PlanChangeForm | None = None,
) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {
        "wo": work_order,
        "row": compare(work_order),
        "reports": list(work_order.progress_reports.select_related("reported_by")),
        "changes": list(
            work_order.plan_changes.select_related(
                "changed_by", "before_work_centre", "after_work_centre"
            )
        ),
        "can_report": work_order.status in REPORTABLE_STATUSES
        and permissions.can_report_progress(user, work_order),
        "can_change": work_order.status in ACTIVE_WORK_STATUSES and permissions.can_plan(user),
        "progress_form": progress_form or ProgressForm(),
        "change_form": change_form or PlanChangeForm(work_order=work_order),
    }
    return render_page(request, "production/work_order_detail.html", context, status=status)


@login_required
@require_GET
def work_order_detail(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _detail(request, _work_order(request, number))


@login_required
@require_GET
def work_order_print(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """The 生产任务单 as a printable page."""
    work_order = _work_order(request, number)
    return render_page(
        request,
        "production/work_order_print.html",
        {"wo": work_order, "printed_at": timezone.now()},
    )


@login_required
@require_POST
def report_progress_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    work_order = _work_order(request, number)
    form = ProgressForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.report_progress(
                work_order=work_order,
                user=request.user,
                good_quantity=data["good_quantity"],
                scrap_quantity=data["scrap_quantity"],
                hours=data["hours"],
                work_date=data["work_date"],
                delay_cause=data["delay_cause"],
                note=data["note"],
                finished=data["finished"],
            )
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
            status = 409
        else:
            messages.success(request, _("Progress recorded."))
            return redirect(work_order)
    return _detail(request, _work_order(request, number), status=status, progress_form=form)


@login_required
@require_POST
def change_plan_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    work_order = _work_order(request, number)
    form = PlanChangeForm(request.POST, work_order=work_order)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.change_work_order_plan(
                work_order=work_order,
                user=request.user,
                planned_start=data["planned_start"],
                planned_end=data["planned_end"],
                reason=data["reason"],
                work_centre=data["work_centre"],
            )
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
            status = 409
        else:
            messages.success(request, _("Plan changed."))
            return redirect(work_order)
    return _detail(request, _work_order(request, number), status=status, change_form=form)
