"""After-sales pages: cases (list, open, detail with escalation, meeting and resolution, the
printable record), return visits, the analysis, and one order's after-sales."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gendan.aftersales import actions, permissions, printing
from gendan.aftersales.forms import (
    CaseForm,
    EscalateForm,
    MeetingForm,
    PeriodForm,
    ResolveForm,
    VisitForm,
)
from gendan.aftersales.models import CaseStatus, CaseType, ReturnVisit, ServiceCase, Severity
from gendan.aftersales.selectors import analysis
from gendan.core.access import get_visible_or_404
from gendan.core.errors import ActionError
from gendan.core.views import (
    AuthenticatedRequest,
    apply_action_error,
    forbid_if_not_permitted,
    page_of,
    render_page,
)
from gendan.documents.pdf import pdf_response
from gendan.orders.models import Order

PRINT_LANGUAGES = ("zh-hans", "en")


@login_required
@require_GET
def case_list(request: AuthenticatedRequest) -> HttpResponse:
    queryset = ServiceCase.objects.for_user(request.user).select_related(
        "customer", "order", "product", "owner"
    )
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        queryset = queryset.filter(status=status)
    elif status != "all":
        queryset = queryset.unresolved()
    severity = request.GET.get("severity", "")
    if severity in Severity.values:
        queryset = queryset.filter(severity=severity)
    case_type = request.GET.get("type", "")
    if case_type in CaseType.values:
        queryset = queryset.filter(case_type=case_type)
    return render_page(
        request,
        "aftersales/case_list.html",
        {
            "page": page_of(queryset, request),
            "status": status,
            "severity": severity,
            "case_type": case_type,
            "statuses": CaseStatus.choices,
            "severities": Severity.choices,
            "types": CaseType.choices,
            "can_open": permissions.can_open_case(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_open_case(request.user):
        raise PermissionDenied(_("Your role may not open after-sales cases."))
    initial = {"order": request.GET.get("order", "")}
    form = CaseForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = actions.open_case(user=request.user, **data)
            except ActionError as error:
                forbid_if_not_permitted(error)
                apply_action_error(error, form)
                status = 409
            else:
                messages.success(
                    request, _("After-sales case %(number)s opened.") % {"number": case.number}
                )
                return redirect("aftersales:case", pk=case.pk)
    return render_page(request, "aftersales/case_form.html", {"form": form}, status=status)


def _case(request: AuthenticatedRequest, pk: int) -> ServiceCase:
    queryset = ServiceCase.objects.select_related(
        "customer", "order", "product", "owner", "task", "resolved_by", "created_by"
    )
    case: ServiceCase = get_visible_or_404(queryset, request.user, pk=pk)
    return case


def _detail(
    request: AuthenticatedRequest, case: ServiceCase, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    works = permissions.can_work_on_case(user, case) and not case.is_resolved
    context = {
        **printing.record_context(case),
        "can_escalate": works and case.status == CaseStatus.OPEN,
        "can_meet": case.status == CaseStatus.ESCALATED
        and permissions.can_record_meeting(user, case),
        "can_resolve": works,
        "can_visit": permissions.can_record_visit(user),
        "escalate_form": forms.get("escalate_form") or EscalateForm(),
        "meeting_form": forms.get("meeting_form") or MeetingForm(),
        "resolve_form": forms.get("resolve_form") or ResolveForm(),
    }
    return render_page(request, "aftersales/case_detail.html", context, status=status)


@login_required
@require_GET
def case_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, _case(request, pk))


def _post(
    request: AuthenticatedRequest,
    pk: int,
    form_class: type,
    form_name: str,
    call: Any,
    done: str,
) -> HttpResponse:
    case = _case(request, pk)
    form = form_class(request.POST)
    status = 400
    if form.is_valid():
        try:
            call(case, form.cleaned_data)
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
            status = 409
        else:
            messages.success(request, done)
            return redirect("aftersales:case", pk=pk)
    return _detail(request, case, status=status, **{form_name: form})


@login_required
@require_POST
def escalate_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        EscalateForm,
        "escalate_form",
        lambda case, data: actions.escalate_case(case=case, user=request.user, note=data["note"]),
        _("Escalated: the departments' heads have a task for the meeting."),
    )


@login_required
@require_POST
def meeting_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        MeetingForm,
        "meeting_form",
        lambda case, data: actions.record_meeting(case=case, user=request.user, **data),
        _("Meeting recorded."),
    )


@login_required
@require_POST
def resolve_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        ResolveForm,
        "resolve_form",
        lambda case, data: actions.resolve_case(case=case, user=request.user, **data),
        _("Case resolved."),
    )


@login_required
@require_GET
def case_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The 售后服务记录 as PDF, in the page's language or `?lang=zh-hans|en`."""
    case = _case(request, pk)
    language = request.GET.get("lang", "")
    if language not in PRINT_LANGUAGES:
        language = get_language() or "zh-hans"
    content = printing.record_pdf(case, language=language)
    return pdf_response(content, f"{case.number}-aftersales-record.pdf")


# --- return visits -----------------------------------------------------------------------


@login_required
@require_GET
def visit_list(request: AuthenticatedRequest) -> HttpResponse:
    queryset = ReturnVisit.objects.for_user(request.user).select_related(
        "customer", "order", "case", "visited_by"
    )
    return render_page(
        request,
        "aftersales/visit_list.html",
        {
            "page": page_of(queryset, request),
            "can_visit": permissions.can_record_visit(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_record_visit(request.user):
        raise PermissionDenied(_("Your role may not record return visits."))
    initial = {"order": request.GET.get("order", ""), "case": request.GET.get("case", "")}
    form = VisitForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                visit = actions.record_return_visit(user=request.user, **form.cleaned_data)
            except ActionError as error:
                forbid_if_not_permitted(error)
                apply_action_error(error, form)
                status = 409
            else:
                messages.success(request, _("Return visit recorded."))
                if visit.case is not None:
                    return redirect("aftersales:case", pk=visit.case.pk)
                return redirect("aftersales:visits")
    return render_page(request, "aftersales/visit_form.html", {"form": form}, status=status)


# --- analysis and the order's after-sales -------------------------------------------------


@login_required
@require_GET
def analysis_view(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    date_from = today - dt.timedelta(days=90)
    date_to = today
    status = 200
    if request.GET:
        if form.is_valid():
            date_from = form.cleaned_data["date_from"] or date_from
            date_to = form.cleaned_data["date_to"] or date_to
            if date_from > date_to:
                form.add_error("date_to", _("The end comes before the start."))
                status = 400
        else:
            status = 400
    if status != 200:
        date_from, date_to = today - dt.timedelta(days=90), today
    else:
        form = PeriodForm(initial={"date_from": date_from, "date_to": date_to})
    return render_page(
        request,
        "aftersales/analysis.html",
        {"form": form, "result": analysis(request.user, date_from, date_to)},
        status=status,
    )


def order_context(order: Order, user: Any) -> dict[str, Any]:
    """An order's cases and return visits as the user may see them (page and panel).

    Whoever sees an order sees all its cases and visits (`CaseQuerySet.for_user`,
    `VisitQuerySet.for_user`), so one query checks the order once and says whether it has any;
    the rows are read only where there are some: an order without after-sales costs that one
    query. For an order the user does not see, the querysets' own rules decide case by case."""
    cases = ServiceCase.objects.filter(order=order).select_related("owner", "product")
    visits = ReturnVisit.objects.filter(order=order).select_related("visited_by")
    seen = (
        Order.objects.for_user(user)
        .filter(pk=order.pk)
        .values_list(
            Exists(ServiceCase.objects.filter(order=OuterRef("pk"))),
            Exists(ReturnVisit.objects.filter(order=OuterRef("pk"))),
        )
        .first()
    )
    if seen is None:
        has_cases = has_visits = True
        cases, visits = cases.for_user(user), visits.for_user(user)
    else:
        has_cases, has_visits = seen
    return {
        "order": order,
        "cases": list(cases[:50]) if has_cases else [],
        "visits": list(visits[:50]) if has_visits else [],
        "can_open": permissions.can_open_case(user),
        "can_visit": permissions.can_record_visit(user),
    }


@login_required
@require_GET
def order_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order: Order = get_visible_or_404(
        Order.objects.select_related("customer"), request.user, number=number
    )
    return render_page(request, "aftersales/order.html", order_context(order, request.user))
