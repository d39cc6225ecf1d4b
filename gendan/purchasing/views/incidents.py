"""Supplier incidents: the list, reporting one, its handling and escalation."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
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
from gendan.purchasing import actions, permissions
from gendan.purchasing.forms import EscalateForm, HandleIncidentForm, IncidentForm
from gendan.purchasing.models import IncidentStatus, SupplierIncident


@login_required
@require_GET
def incident_list(request: AuthenticatedRequest) -> HttpResponse:
    queryset = SupplierIncident.objects.for_user(request.user).select_related(
        "supplier", "purchase_order", "order", "reported_by"
    )
    status = request.GET.get("status", "")
    if status in IncidentStatus.values:
        queryset = queryset.filter(status=status)
    elif status != "all":
        queryset = queryset.unresolved()
    return render_page(
        request,
        "purchasing/incident_list.html",
        {
            "page": page_of(queryset, request),
            "statuses": IncidentStatus.choices,
            "status": status,
            "can_report": permissions.can_report_incident(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_create(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_report_incident(request.user):
        raise PermissionDenied(_("Your role may not report supplier incidents."))
    initial = {}
    if "purchase_order" in request.GET:
        initial["purchase_order"] = request.GET["purchase_order"]
    if "supplier" in request.GET:
        initial["supplier"] = request.GET["supplier"]
    form = IncidentForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                incident = actions.report_supplier_incident(
                    supplier=data["supplier"],
                    user=request.user,
                    kind=data["kind"],
                    description=data["description"],
                    purchase_order=data["purchase_order"],
                )
            except ActionError as error:
                forbid_if_not_permitted(error)
                apply_action_error(error, form)
                status = 409
            else:
                messages.success(request, _("Supplier incident recorded."))
                return redirect("purchasing:incident", pk=incident.pk)
    return render_page(request, "purchasing/incident_form.html", {"form": form}, status=status)


def _incident(request: AuthenticatedRequest, pk: int) -> SupplierIncident:
    queryset = SupplierIncident.objects.select_related(
        "supplier", "purchase_order", "order", "reported_by", "resolved_by", "escalation_task"
    )
    incident: SupplierIncident = get_visible_or_404(queryset, request.user, pk=pk)
    return incident


def _detail(
    request: AuthenticatedRequest, incident: SupplierIncident, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    may = permissions.can_report_incident(user) and incident.status != IncidentStatus.RESOLVED
    context = {
        "incident": incident,
        "can_handle": may,
        "can_escalate": may and incident.status == IncidentStatus.OPEN,
        "handle_form": forms.get("handle_form") or HandleIncidentForm(),
        "escalate_form": forms.get("escalate_form") or EscalateForm(),
    }
    return render_page(request, "purchasing/incident_detail.html", context, status=status)


@login_required
@require_GET
def incident_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, _incident(request, pk))


@login_required
@require_POST
def handle_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    form = HandleIncidentForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            actions.handle_incident(
                incident=incident,
                user=request.user,
                handling=form.cleaned_data["handling"],
                resolve=form.cleaned_data["resolve"],
            )
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
            status = 409
        else:
            messages.success(request, _("Handling recorded."))
            return redirect("purchasing:incident", pk=pk)
    return _detail(request, incident, status=status, handle_form=form)


@login_required
@require_POST
def escalate_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    form = EscalateForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            actions.escalate_incident(
                incident=incident, user=request.user, note=form.cleaned_data["note"]
            )
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
            status = 409
        else:
            messages.success(request, _("Escalated to the procurement head."))
            return redirect("purchasing:incident", pk=pk)
    return _detail(request, incident, status=status, escalate_form=form)
