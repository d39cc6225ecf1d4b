"""Quality pages: the inspector's worklist, the inspection standards (list, one standard,
add, edit, deactivate, reactivate), the inspection forms (incoming, in-process, final,
re-inspection after rework), one inspection, one nonconformance with its disposition, the
printed forms, and an order's quality.

Forms post to their own address; success redirects with a message, a refusal shows the page
again with the errors next to the fields (400 invalid input, 409 refused by the state, 403 not
the user's to do).
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language
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
from gendan.documents.pdf import pdf_response
from gendan.ledger.audit import audited
from gendan.orders.models import Order
from gendan.production.models import REPORTABLE_STATUSES, ProgressReport, WorkOrder
from gendan.purchasing.models import Receipt
from gendan.quality import actions, permissions, printing
from gendan.quality.forms import (
    ACTIVE,
    EVERY,
    DecisionForm,
    InspectionForm,
    StandardFilterForm,
    StandardForm,
)
from gendan.quality.models import (
    Inspection,
    InspectionStandard,
    Measurement,
    NCStatus,
    Nonconformance,
    ReceiptHold,
    Stage,
)
from gendan.quality.selectors import (
    final_work_order,
    line_quality,
    standards_for,
    work_orders_for,
)


def _language(request: AuthenticatedRequest) -> str:
    chosen = request.GET.get("lang", "")
    return chosen if chosen in ("zh-hans", "en") else (get_language() or "zh-hans")


@login_required
@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    """What waits for inspection, the open nonconformances and the latest inspections."""
    user = request.user
    inspected_receipt = Inspection.objects.filter(receipt=OuterRef("pk"))
    held = (
        Receipt.objects.for_user(user)
        .filter(quality_hold__isnull=False)
        .exclude(Exists(inspected_receipt))
        .select_related("line__material", "line__purchase_order__order")
        .order_by("received_on", "pk")[:50]
    )
    inspected_report = Inspection.objects.filter(progress_report=OuterRef("pk"))
    visible_work_orders = work_orders_for(user)
    reports = (
        ProgressReport.objects.filter(
            work_order__in=visible_work_orders,
            work_order__status__in=REPORTABLE_STATUSES,
            good_quantity__gt=0,
        )
        .exclude(Exists(inspected_report))
        .select_related("work_order__order", "work_order__product")
        .order_by("-reported_at", "-pk")[:50]
    )
    finals = []
    for wo in (
        visible_work_orders.filter(good_quantity__gt=0)
        .select_related("order", "order_line", "product")
        .order_by("planned_end", "pk")[:200]
    ):
        last = final_work_order(wo.order_line)
        if last is not None and last.pk == wo.pk:
            waiting = actions.uninspected_final_quantity(wo)
            if waiting > 0:
                finals.append((wo, waiting))
    return render_page(
        request,
        "quality/home.html",
        {
            "held": held,
            "reports": reports,
            "finals": finals,
            "open_ncs": Nonconformance.objects.for_user(user)
            .not_closed()
            .select_related("order", "inspection")
            .order_by("created_at"),
            "inspections": Inspection.objects.for_user(user)
            .select_related("order", "product", "material", "inspected_by")
            .order_by("-inspected_at", "-pk")[:30],
            "can_inspect": permissions.can_inspect(user),
        },
    )


# --- inspection standards ------------------------------------------------------------------
# Master data every signed-in user may read; `permissions.can_edit_standards` (the API's rule
# too) says who may change it. Saved through a ModelForm whose model `clean()` is the API's
# validation, with a ledger entry (`audited`) as the API writes one.


@login_required
@require_GET
def standard_list(request: AuthenticatedRequest) -> HttpResponse:
    form = StandardFilterForm(request.GET or None)
    standards = InspectionStandard.objects.select_related("product", "material")
    status = ACTIVE
    if form.is_valid():
        data = form.cleaned_data
        status = data["status"]
        if data["product"]:
            standards = standards.filter(product=data["product"])
        if data["grade"]:
            standards = standards.filter(product__grade=data["grade"])
        if data["stage"]:
            standards = standards.filter(stage=data["stage"])
        if text := data["q"].strip():
            standards = standards.filter(
                Q(characteristic__icontains=text)
                | Q(material__code__icontains=text)
                | Q(material__name__icontains=text)
            )
    if status != EVERY:
        standards = standards.filter(is_active=status == ACTIVE)
    page = page_of(
        standards.order_by("product__code", "material__code", "stage", "sequence", "pk"), request
    )
    return render_page(
        request,
        "quality/standard_list.html",
        {
            "form": form,
            "page": page,
            "can_edit": permissions.can_edit_standards(request.user),
        },
        partial="quality/_standard_table.html",
        target="standard-table",
    )


def _standard(pk: int) -> InspectionStandard:
    standard: InspectionStandard = get_object_or_404(
        InspectionStandard.objects.select_related("product", "material"), pk=pk
    )
    return standard


@login_required
@require_GET
def standard_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One standard's limits, and every characteristic checked on its item at its stage."""
    standard = _standard(pk)
    item = {"product": standard.product_id, "material": standard.material_id}
    return render_page(
        request,
        "quality/standard_detail.html",
        {
            "standard": standard,
            "siblings": InspectionStandard.objects.filter(stage=standard.stage, **item).order_by(
                "sequence", "pk"
            ),
            "measured": Measurement.objects.filter(standard=standard).count(),
            "can_edit": permissions.can_edit_standards(request.user),
        },
    )


def _refuse_unless_editor(request: AuthenticatedRequest) -> None:
    if not permissions.can_edit_standards(request.user):
        raise PermissionDenied(permissions.STANDARDS_REFUSAL)


@login_required
@require_http_methods(["GET", "POST"])
def standard_create(request: AuthenticatedRequest) -> HttpResponse:
    """A new standard; `?product=`, `?material=` and `?stage=` fill the form in."""
    _refuse_unless_editor(request)
    initial = {k: v for k, v in request.GET.items() if k in ("product", "material", "stage")}
    return _standard_form(request, InspectionStandard(), initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def standard_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _refuse_unless_editor(request)
    return _standard_form(request, _standard(pk))


def _standard_form(
    request: AuthenticatedRequest,
    standard: InspectionStandard,
    *,
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    creating = standard.pk is None
    if request.method == "POST":
        form = StandardForm(request.POST, instance=standard)
        if form.is_valid():
            with audited(standard, user=request.user):
                form.save()
            messages.success(
                request,
                (
                    _("Inspection standard %(name)s added.")
                    if creating
                    else _("Inspection standard %(name)s saved.")
                )
                % {"name": standard},
            )
            return redirect("quality:standard", pk=standard.pk)
        status = 400
    else:
        form = StandardForm(instance=standard, initial=initial)
        status = 200
    return render_page(
        request,
        "quality/standard_form.html",
        {"form": form, "standard": None if creating else standard},
        status=status,
    )


@login_required
@require_POST
def standard_deactivate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """No longer checked by new inspections; recorded measurements keep their limits (the
    standard is never deleted: measurements refer to it)."""
    _refuse_unless_editor(request)
    standard = _standard(pk)
    if standard.is_active:
        standard.is_active = False
        with audited(standard, user=request.user):
            standard.save(update_fields=["is_active"])
        messages.success(request, _("Deactivated: new inspections no longer check it."))
    return redirect("quality:standard", pk=standard.pk)


@login_required
@require_POST
def standard_reactivate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Checked again by new inspections, unless an active standard already checks the same
    characteristic (the model's rule)."""
    _refuse_unless_editor(request)
    standard = _standard(pk)
    if not standard.is_active:
        standard.is_active = True
        try:
            standard.full_clean()
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            with audited(standard, user=request.user):
                standard.save(update_fields=["is_active"])
            messages.success(request, _("Reactivated: new inspections check it again."))
    return redirect("quality:standard", pk=standard.pk)


# --- inspection forms ----------------------------------------------------------------------


def _inspection_form(
    request: AuthenticatedRequest,
    *,
    heading: str,
    subject: str,
    standards: list[InspectionStandard],
    lot_hint: str,
    record: Callable[[dict[str, Any], dict[int, Any]], Inspection],
    with_quantity: bool = True,
    back: str = "",
) -> HttpResponse:
    """Show the form for the standards; on POST call `record(cleaned_data, values)`."""
    if not permissions.can_inspect(request.user):
        raise PermissionDenied(_("Only the quality department records inspections."))
    status = 200
    if request.method == "POST":
        form = InspectionForm(request.POST, standards=standards, with_quantity=with_quantity)
        status = 400
        if form.is_valid():
            try:
                inspection = record(form.cleaned_data, form.values())
            except ActionError as error:
                forbid_if_not_permitted(error)
                apply_action_error(error, form)
                status = 409
            else:
                if inspection.passed:
                    messages.success(
                        request, _("Inspection %(number)s passed.") % {"number": inspection.number}
                    )
                else:
                    messages.warning(
                        request,
                        _("Inspection %(number)s failed: the goods are quarantined as %(nc)s.")
                        % {"number": inspection.number, "nc": inspection.nonconformance.number},
                    )
                return redirect(inspection)
    else:
        form = InspectionForm(standards=standards, with_quantity=with_quantity)
    return render_page(
        request,
        "quality/inspect.html",
        {
            "heading": heading,
            "subject": subject,
            "form": form,
            "standards": standards,
            "lot_hint": lot_hint,
            "back": back,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspect_receipt_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    receipt: Receipt = get_visible_or_404(
        Receipt.objects.select_related(
            "line__material", "line__purchase_order__order", "quality_hold"
        ),
        request.user,
        pk=pk,
    )
    hold = ReceiptHold.objects.filter(receipt=receipt).first()
    material = receipt.line.material
    return _inspection_form(
        request,
        heading=str(Stage.INCOMING.label),
        subject=f"{receipt.line.purchase_order.number} · {material} · {receipt.received_on}",
        standards=standards_for(stage=Stage.INCOMING, material=material),
        lot_hint=f"{hold.quantity if hold else receipt.quantity} {material.unit}",
        with_quantity=False,
        back=receipt.line.purchase_order.get_absolute_url(),
        record=lambda data, values: actions.inspect_receipt(
            receipt=receipt,
            user=request.user,
            values=values,
            quarantine_quantity=data["quarantine_quantity"],
            nonconformity=data["nonconformity"],
            note=data["note"],
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspect_progress_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = _report_or_404(work_orders_for(request.user), pk)
    wo = report.work_order
    return _inspection_form(
        request,
        heading=str(Stage.IN_PROCESS.label),
        subject=f"{wo.number} {wo.name} · {wo.product} · {report.work_date}",
        standards=standards_for(stage=Stage.IN_PROCESS, product=wo.product),
        lot_hint=f"{report.good_quantity} {wo.unit}",
        back=wo.get_absolute_url(),
        record=lambda data, values: actions.inspect_progress(
            progress_report=report,
            user=request.user,
            values=values,
            quantity=data["quantity"],
            quarantine_quantity=data["quarantine_quantity"],
            nonconformity=data["nonconformity"],
            note=data["note"],
        ),
    )


def _work_order_or_404(request: AuthenticatedRequest, number: str) -> WorkOrder:
    wo = (
        work_orders_for(request.user)
        .select_related("product", "order", "order_line")
        .filter(number=number)
        .first()
    )
    if wo is None:
        raise Http404
    return wo


def _report_or_404(visible_work_orders: Any, pk: int) -> ProgressReport:
    """Progress reports have no `for_user`: they are seen with their work order."""
    report = (
        ProgressReport.objects.filter(pk=pk, work_order__in=visible_work_orders)
        .select_related("work_order__product", "work_order__order")
        .first()
    )
    if report is None:
        raise Http404
    return report


@login_required
@require_http_methods(["GET", "POST"])
def inspect_final_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    wo = _work_order_or_404(request, number)
    return _inspection_form(
        request,
        heading=str(Stage.FINAL.label),
        subject=f"{wo.number} {wo.name} · {wo.product} · {wo.order.number}",
        standards=standards_for(stage=Stage.FINAL, product=wo.product),
        lot_hint=f"{actions.uninspected_final_quantity(wo)} {wo.unit}",
        back=wo.get_absolute_url(),
        record=lambda data, values: actions.inspect_final(
            work_order=wo,
            user=request.user,
            values=values,
            quantity=data["quantity"],
            quarantine_quantity=data["quarantine_quantity"],
            nonconformity=data["nonconformity"],
            note=data["note"],
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def reinspect_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    nc = _nonconformance(request, number)
    first = nc.inspection
    if first.material_id is not None:
        standards = standards_for(stage=first.stage, material=first.material)
    else:
        standards = standards_for(stage=first.stage, product=first.product)
    return _inspection_form(
        request,
        heading=_("Re-inspection after rework"),
        subject=f"{nc.number} · {first.item_name}",
        standards=standards,
        lot_hint=f"{nc.quantity} {first.unit}",
        with_quantity=False,
        back=nc.get_absolute_url(),
        record=lambda data, values: actions.reinspect_rework(
            nonconformance=nc,
            user=request.user,
            values=values,
            quarantine_quantity=data["quarantine_quantity"],
            nonconformity=data["nonconformity"],
            note=data["note"],
        ),
    )


# --- one inspection, one nonconformance ----------------------------------------------------


def _inspection(request: AuthenticatedRequest, number: str) -> Inspection:
    inspection: Inspection = get_visible_or_404(
        Inspection.objects.select_related(
            "order__customer",
            "work_order",
            "receipt__line__purchase_order",
            "product",
            "material",
            "inspected_by",
            "rework_of",
        ),
        request.user,
        number=number,
    )
    return inspection


def _nonconformance(request: AuthenticatedRequest, number: str) -> Nonconformance:
    nc: Nonconformance = get_visible_or_404(
        Nonconformance.objects.select_related(
            "order__customer",
            "inspection__work_order",
            "inspection__product",
            "inspection__material",
            "decided_by",
        ),
        request.user,
        number=number,
    )
    return nc


@login_required
@require_GET
def inspection_detail(request: AuthenticatedRequest, number: str) -> HttpResponse:
    inspection = _inspection(request, number)
    return render_page(
        request, "quality/inspection_detail.html", printing.inspection_context(inspection)
    )


@login_required
@require_GET
def inspection_print(request: AuthenticatedRequest, number: str) -> HttpResponse:
    inspection = _inspection(request, number)
    content = printing.inspection_pdf(inspection, language=_language(request))
    return pdf_response(content, f"{inspection.number}.pdf")


def _nc_page(
    request: AuthenticatedRequest,
    nc: Nonconformance,
    *,
    form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    context = printing.nonconformance_context(nc)
    context.update(
        {
            "form": form or DecisionForm(),
            "can_decide": nc.status == NCStatus.OPEN and permissions.can_decide(user),
            "can_concede": permissions.can_grant_concession(user),
            "can_reinspect": nc.status == NCStatus.REWORK and permissions.can_inspect(user),
        }
    )
    return render_page(request, "quality/nonconformance_detail.html", context, status=status)


@login_required
@require_GET
def nonconformance_detail(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _nc_page(request, _nonconformance(request, number))


@login_required
@require_POST
def decide_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    nc = _nonconformance(request, number)
    form = DecisionForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.decide_nonconformance(
                nonconformance=nc,
                user=request.user,
                disposition=data["disposition"],
                cause=data["cause"],
                corrective_action=data["corrective_action"],
            )
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
            status = 409
        else:
            messages.success(request, _("Disposition recorded."))
            return redirect(nc)
    return _nc_page(request, _nonconformance(request, number), form=form, status=status)


@login_required
@require_GET
def nonconformance_print(request: AuthenticatedRequest, number: str) -> HttpResponse:
    nc = _nonconformance(request, number)
    content = printing.nonconformance_pdf(nc, language=_language(request))
    return pdf_response(content, f"{nc.number}.pdf")


@login_required
@require_GET
def order_quality(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """An order's inspections, nonconformances and, per line, finished goods by quality state
    and in the warehouse (planned vs actual)."""
    order: Order = get_visible_or_404(
        Order.objects.select_related("customer"), request.user, number=number
    )
    from gendan.warehouse.models import LineStock

    stocks = {s.order_line_id: s for s in LineStock.objects.filter(order=order)}
    lines = [
        (line, line_quality(line), stocks.get(line.pk))
        for line in order.lines.select_related("product")
    ]
    return render_page(
        request,
        "quality/order_quality.html",
        {
            "order": order,
            "lines": lines,
            "inspections": order.inspections.select_related(
                "inspected_by", "product", "material", "work_order"
            ).order_by("-inspected_at", "-pk"),
            "ncs": order.nonconformances.select_related("inspection").order_by("-created_at"),
        },
    )
