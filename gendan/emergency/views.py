"""Emergency pages: the list, identifying an order (紧急订单识别表), one emergency with its
processing sheet (紧急订单处理单), production's options and the planner's choice, and the weekly
review as a page and a PDF.

Forms post to their own address; success redirects back to the emergency with a message, a
refusal shows the page again with the errors next to the fields (400 invalid input, 409
refused by the state, 403 not the user's to do). Options are computed by the worker: the
options panel polls (htmx) while they are on their way.
"""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gendan.core.access import get_visible_or_404
from gendan.core.errors import ActionError
from gendan.core.views import (
    AuthenticatedRequest,
    apply_action_error,
    forbid_if_not_permitted,
    page_of,
    render_page,
)
from gendan.emergency import actions, permissions
from gendan.emergency.assess import assess
from gendan.emergency.forms import (
    ChooseForm,
    CloseForm,
    ConfirmForm,
    IdentifyForm,
    ProblemForm,
    WeekForm,
)
from gendan.emergency.models import CaseStatus, EmergencyCase, EmergencyOption, OptionsState
from gendan.emergency.weekly import monday_of, weekly_review
from gendan.orders.models import Order
from gendan.tasks.models import Task


def _case(request: AuthenticatedRequest, number: str) -> EmergencyCase:
    queryset = EmergencyCase.objects.select_related(
        "order", "order__customer", "order__clerk", "identified_by", "confirmed_by",
        "decided_by", "chosen_option", "confirmation_task", "production_task",
    )  # fmt: skip
    case: EmergencyCase = get_visible_or_404(queryset, request.user, number=number)
    return case


def _options_context(request: AuthenticatedRequest, case: EmergencyCase) -> dict[str, Any]:
    user = request.user
    return {
        "case": case,
        "options": list(case.options.all()),
        "can_choose": permissions.can_choose_option(user) and case.status == CaseStatus.CONFIRMED,
        "can_compute": permissions.can_compute_options(user, case.order)
        and case.status == CaseStatus.CONFIRMED,
        "pending": case.options_state == OptionsState.PENDING,
    }


def _detail(
    request: AuthenticatedRequest, case: EmergencyCase, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    order = case.order
    tasks = list(
        Task.objects.for_user(user)
        .filter(order=order, kind__startswith="emergency")
        .select_related("department", "assignee")
        .order_by("created_at", "id")
    )
    context = {
        **_options_context(request, case),
        "order": order,
        "tasks": tasks,
        "problems": list(case.problems.select_related("recorded_by")),
        "can_confirm": permissions.can_confirm(user, order)
        and case.status == CaseStatus.IDENTIFIED,
        "can_close": permissions.can_close(user, order) and case.is_open,
        "can_record": permissions.can_record_problem(user),
        "confirm_form": forms.get("confirm_form") or ConfirmForm(),
        "choose_form": forms.get("choose_form") or ChooseForm(),
        "problem_form": forms.get("problem_form") or ProblemForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "now": timezone.now(),
    }
    return render_page(request, "emergency/case.html", context, status=status)


def _refused(error: ActionError) -> int:
    forbid_if_not_permitted(error)
    return error.http_status


@login_required
@require_GET
def case_list(request: AuthenticatedRequest) -> HttpResponse:
    cases = EmergencyCase.objects.for_user(request.user).select_related(
        "order", "order__customer", "order__clerk"
    )
    show = request.GET.get("show", "open")
    if show != "all":
        cases = cases.open()
    return render_page(
        request,
        "emergency/case_list.html",
        {
            "page": page_of(cases.order_by("required_date", "id"), request),
            "show": show,
            "can_review": permissions.can_view_weekly_review(request.user),
        },
    )


@login_required
@require_GET
def case_detail(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _detail(request, _case(request, number))


@login_required
@require_http_methods(["GET", "POST"])
def identify(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """The 紧急订单识别表 of an order."""
    order: Order = get_visible_or_404(
        Order.objects.select_related("customer", "clerk"), request.user, number=number
    )
    existing = EmergencyCase.objects.filter(order=order).first()
    if existing is not None:
        return redirect(existing.get_absolute_url())
    user = request.user
    if not (permissions.can_identify(user, order) or permissions.can_flag_for_key_customer(user)):
        raise PermissionDenied(
            _("Only the order's clerk, the sales head and management identify emergency orders.")
        )
    form = IdentifyForm(
        request.POST or None, user=user, initial={"required_date": order.requested_date}
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            case = actions.identify_emergency(
                order=order,
                user=user,
                basis=form.cleaned_data["basis"],
                reason=form.cleaned_data["reason"],
                required_date=form.cleaned_data["required_date"],
            )
        except ActionError as error:
            status = _refused(error)
            apply_action_error(error, form)
        else:
            messages.success(
                request,
                _(
                    "Order %(number)s is now emergency %(case)s: confirm it with the customer by "
                    "%(due)s."
                )
                % {
                    "number": order.number,
                    "case": case.number,
                    "due": timezone.localtime(case.confirmation_due_at).strftime("%m-%d %H:%M"),
                },
            )
            return redirect(case.get_absolute_url())
    elif request.method == "POST":
        status = 400
    return render_page(
        request,
        "emergency/identify.html",
        {"order": order, "form": form, "assessment": assess(order)},
        status=status,
    )


@login_required
@require_POST
def confirm(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case = _case(request, number)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _detail(request, case, 400, confirm_form=form)
    try:
        actions.confirm_with_customer(
            case=case,
            user=request.user,
            note=form.cleaned_data["note"],
            confirmed_date=form.cleaned_data["confirmed_date"],
        )
    except ActionError as error:
        status = _refused(error)
        apply_action_error(error, form)
        return _detail(request, case, status, confirm_form=form)
    messages.success(
        request,
        _("Confirmed: the processing sheet went to production, procurement and logistics."),
    )
    return redirect(case.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def options(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """The options panel (GET, polled while computing); POST asks for them again."""
    case = _case(request, number)
    if request.method == "POST":
        try:
            case = actions.request_options(case=case, user=request.user)
        except ActionError as error:
            _refused(error)
            messages.error(request, " ".join(error.messages))
        if not getattr(request, "htmx", False):
            return redirect(case.get_absolute_url())
    context = {**_options_context(request, case), "choose_form": ChooseForm()}
    return render_page(request, "emergency/_options.html", context)


@login_required
@require_POST
def choose(request: AuthenticatedRequest, number: str, option_id: int) -> HttpResponse:
    case = _case(request, number)
    option = EmergencyOption.objects.filter(case=case, pk=option_id).first()
    if option is None:
        messages.error(request, _("That option no longer exists: the options were recomputed."))
        return redirect(case.get_absolute_url())
    form = ChooseForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        actions.choose_option(option=option, user=request.user, note=note)
    except ActionError as error:
        status = _refused(error)
        apply_action_error(error, form)
        messages.error(request, " ".join(error.messages))
        return _detail(request, case, status, choose_form=form)
    messages.success(request, _("Option chosen: the plan is updated and the clerks are told."))
    return redirect(case.get_absolute_url())


@login_required
@require_POST
def record_problem(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case = _case(request, number)
    form = ProblemForm(request.POST)
    if not form.is_valid():
        return _detail(request, case, 400, problem_form=form)
    try:
        actions.record_problem(case=case, user=request.user, text=form.cleaned_data["text"])
    except ActionError as error:
        status = _refused(error)
        apply_action_error(error, form)
        return _detail(request, case, status, problem_form=form)
    messages.success(request, _("Problem recorded for the weekly review."))
    return redirect(case.get_absolute_url())


@login_required
@require_POST
def close(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case = _case(request, number)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _detail(request, case, 400, close_form=form)
    try:
        actions.close_case(case=case, user=request.user, outcome=form.cleaned_data["outcome"])
    except ActionError as error:
        status = _refused(error)
        apply_action_error(error, form)
        return _detail(request, case, status, close_form=form)
    messages.success(request, _("Emergency closed."))
    return redirect(case.get_absolute_url())


# --- the weekly review (U7) ----------------------------------------------------------------


def _week(request: AuthenticatedRequest) -> dt.date:
    form = WeekForm(request.GET or None)
    day = form.cleaned_data.get("week") if form.is_bound and form.is_valid() else None
    return monday_of(day or timezone.localdate())


def _review_context(request: AuthenticatedRequest) -> dict[str, Any]:
    if not permissions.can_view_weekly_review(request.user):
        raise PermissionDenied(
            _("The weekly emergency review is for management, department heads and planners.")
        )
    week = _week(request)
    return {
        "review": weekly_review(request.user, week),
        "previous_week": week - dt.timedelta(days=7),
        "next_week": week + dt.timedelta(days=7),
        "now": timezone.now(),
    }


@login_required
@require_GET
def weekly(request: AuthenticatedRequest) -> HttpResponse:
    return render_page(request, "emergency/weekly.html", _review_context(request))


@login_required
@require_GET
def weekly_pdf(request: AuthenticatedRequest) -> HttpResponse:
    from gendan.documents.pdf import pdf_response, render_pdf

    context = _review_context(request)
    content = render_pdf("emergency/weekly_print.html", context)
    week = context["review"].week_start
    return pdf_response(content, f"emergency-review-{week:%Y-%m-%d}.pdf")
