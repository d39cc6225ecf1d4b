"""Intake pages: an order's intake page (checks, type, written record, finance's confirmations,
negotiation, revisions) and the Excel import (upload → preview → confirm).

Views parse input with a form, call an intake or credit action and render; a refused action is
shown on the form it came from (NotPermitted becomes the 403 page).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gendan.core.access import get_visible_or_404
from gendan.core.errors import ActionError
from gendan.core.views import (
    AuthenticatedRequest,
    apply_action_error,
    forbid_if_not_permitted,
)
from gendan.credit import actions as credit_actions
from gendan.credit.forms import ResolutionForm
from gendan.credit.models import CreditResult
from gendan.credit.permissions import can_manage_credit, can_view_credit
from gendan.intake import actions, permissions
from gendan.intake.checks import intake_checks
from gendan.intake.excel.template import build_template
from gendan.intake.forms import (
    ImportConfirmForm,
    ImportUploadForm,
    MarginConfirmForm,
    NegotiationForm,
    OrderTypeForm,
    WrittenRecordForm,
)
from gendan.intake.lookups import intake_for
from gendan.intake.models import ImportState
from gendan.intake.revisions import diff_snapshots
from gendan.orders.models import Order
from gendan.orders.pipeline import available_transitions
from gendan.orders.status import EDITABLE_STATUSES, FINAL_STATUSES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _order(request: AuthenticatedRequest, number: str) -> Order:
    queryset = Order.objects.select_related("customer", "clerk")
    order: Order = get_visible_or_404(queryset, request.user, number=number)
    return order


def _context(request: AuthenticatedRequest, order: Order, **forms: Any) -> dict[str, Any]:
    user = request.user
    checks = intake_checks(order)
    editable = order.status in EDITABLE_STATUSES
    negotiation = next(
        (a for a in available_transitions(order, user) if a.transition.name == "return_to_draft"),
        None,
    )
    needs_cover = (
        checks.credit.result == CreditResult.NEEDS_GUARANTEE_OR_PREPAYMENT
        and not checks.credit.resolved
    )
    return {
        "order": order,
        "checks": checks,
        "can_edit": editable and permissions.can_edit_intake(user, order),
        "can_confirm_margin": editable
        and permissions.can_confirm_margin(user)
        and checks.prices.flagged
        and not checks.margin_confirmed,
        "can_resolve_credit": needs_cover
        and order.status not in FINAL_STATUSES
        and can_manage_credit(user),
        "can_negotiate": negotiation is not None and negotiation.enabled,
        "can_view_credit": can_view_credit(user, order.customer),
        "type_form": forms.get("type_form")
        or OrderTypeForm(initial={"order_type": checks.order_type}),
        "record_form": forms.get("record_form")
        or WrittenRecordForm(
            initial={"text": checks.intake.written_record if checks.intake else ""}
        ),
        "margin_form": forms.get("margin_form") or MarginConfirmForm(),
        "resolution_form": forms.get("resolution_form")
        or ResolutionForm(
            initial={"amount": checks.credit.missing_cover, "received_on": timezone.localdate()}
        ),
        "negotiation_form": forms.get("negotiation_form")
        or NegotiationForm(
            initial={
                "version": order.version,
                "reason": "\n".join(
                    [*checks.missing, *checks.credit.reasons, *checks.prices.problems]
                ),
            }
        ),
        "revisions": list(order.revisions.select_related("created_by").order_by("-n")),
    }


def _page(
    request: AuthenticatedRequest, order: Order, status: int = 200, **forms: Any
) -> HttpResponse:
    return render(request, "intake/order.html", _context(request, order, **forms), status=status)


def _refused(
    request: AuthenticatedRequest, number: str, error: ActionError, form_name: str, form: Any
) -> HttpResponse:
    forbid_if_not_permitted(error)
    apply_action_error(error, form)
    return _page(request, _order(request, number), status=409, **{form_name: form})


@login_required
@require_GET
def order_intake(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _page(request, _order(request, number))


@login_required
@require_POST
def set_type_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    form = OrderTypeForm(request.POST)
    if not form.is_valid():
        return _page(request, order, status=400, type_form=form)
    try:
        actions.set_order_type(
            order=order, user=request.user, order_type=form.cleaned_data["order_type"]
        )
    except ActionError as error:
        return _refused(request, number, error, "type_form", form)
    messages.success(request, _("Order type saved."))
    return redirect("intake:order", number)


@login_required
@require_POST
def written_record_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    form = WrittenRecordForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, order, status=400, record_form=form)
    try:
        actions.attach_written_record(
            order=order,
            user=request.user,
            text=form.cleaned_data["text"],
            file=form.cleaned_data["file"],
        )
    except ActionError as error:
        return _refused(request, number, error, "record_form", form)
    messages.success(request, _("Written record attached."))
    return redirect("intake:order", number)


@login_required
@require_GET
def written_record_file(request: AuthenticatedRequest, number: str) -> FileResponse:
    """The uploaded written record, to those who may see the order."""
    order = _order(request, number)
    intake = intake_for(order)
    if intake is None or not intake.written_record_file:
        raise Http404
    name = (intake.written_record_file.name or "").rsplit("/", 1)[-1]
    return FileResponse(intake.written_record_file.open("rb"), as_attachment=True, filename=name)


@login_required
@require_POST
def confirm_margin_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    form = MarginConfirmForm(request.POST)
    if not form.is_valid():
        return _page(request, order, status=400, margin_form=form)
    try:
        actions.confirm_margin(order=order, user=request.user, note=form.cleaned_data["note"])
    except ActionError as error:
        return _refused(request, number, error, "margin_form", form)
    messages.success(request, _("Price confirmed."))
    return redirect("intake:order", number)


@login_required
@require_POST
def resolve_credit_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    form = ResolutionForm(request.POST)
    if not form.is_valid():
        return _page(request, order, status=400, resolution_form=form)
    try:
        credit_actions.record_resolution(user=request.user, order=order, **form.cleaned_data)
    except ActionError as error:
        return _refused(request, number, error, "resolution_form", form)
    messages.success(request, _("Guarantee or prepayment recorded."))
    return redirect("intake:order", number)


@login_required
@require_POST
def negotiate_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    form = NegotiationForm(request.POST)
    if not form.is_valid():
        return _page(request, order, status=400, negotiation_form=form)
    data = form.cleaned_data
    try:
        actions.send_back_for_negotiation(
            order=order,
            user=request.user,
            reason=data["reason"],
            channel=data["channel"],
            counterpart=data["counterpart"],
            expected_version=data["version"],
        )
    except ActionError as error:
        return _refused(request, number, error, "negotiation_form", form)
    messages.success(request, _("The order is back in draft for negotiation."))
    return redirect("intake:order", number)


@login_required
@require_GET
def revisions_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Two revisions side by side: what changed from `a` to `b` (default: the last two)."""
    order = _order(request, number)
    revisions = list(order.revisions.select_related("created_by").order_by("n"))
    by_n = {revision.n: revision for revision in revisions}

    def pick(name: str, default: int) -> int:
        try:
            return int(request.GET.get(name, default))
        except ValueError:
            return default

    last = revisions[-1].n if revisions else 0
    new, old = by_n.get(pick("b", last)), by_n.get(pick("a", last - 1))
    changes = diff_snapshots(old.snapshot, new.snapshot) if old and new else []
    return render(
        request,
        "intake/revisions.html",
        {"order": order, "revisions": revisions, "old": old, "new": new, "changes": changes},
    )


# --- Excel import --------------------------------------------------------------------------


def _may_import(request: AuthenticatedRequest) -> None:
    if not permissions.can_import(request.user):
        raise PermissionDenied(_("Your role may not import orders."))


@login_required
@require_GET
def import_template(request: AuthenticatedRequest) -> HttpResponse:
    response = HttpResponse(build_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="gendan-order-import.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: AuthenticatedRequest) -> HttpResponse:
    _may_import(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                batch = actions.upload_import_file(
                    user=request.user, file=form.cleaned_data["file"]
                )
            except ActionError as error:
                forbid_if_not_permitted(error)
                apply_action_error(error, form)
            else:
                return redirect("intake:import_preview", batch.pk)
        status = 400
    batches = permissions.batches_for(request.user).select_related("uploaded_by")[:20]
    return render(
        request, "intake/import_upload.html", {"form": form, "batches": batches}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _may_import(request)
    batch = get_object_or_404(permissions.batches_for(request.user), pk=pk)
    errors: list[str] = []
    status = 200
    if request.method == "POST" and batch.state == ImportState.PREVIEWED:
        form = ImportConfirmForm(request.POST)
        form.is_valid()
        try:
            orders = actions.import_batch(
                batch=batch,
                user=request.user,
                valid_only=form.cleaned_data.get("valid_only", False),
            )
        except ActionError as error:
            forbid_if_not_permitted(error)
            errors = error.messages + [m for msgs in error.fields.values() for m in msgs]
            status = 409
        else:
            messages.success(
                request,
                _("%(count)d orders imported: %(numbers)s")
                % {"count": len(orders), "numbers": ", ".join(o.number for o in orders)},
            )
            return redirect("intake:import_preview", batch.pk)
    preview = None if batch.state == ImportState.IMPORTED else actions.preview_batch(batch)
    return render(
        request,
        "intake/import_preview.html",
        {"batch": batch, "preview": preview, "errors": errors},
        status=status,
    )
