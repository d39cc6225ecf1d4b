"""Purchase orders and the purchase plan of an order.

Forms post to their own address; success redirects back with a message, a refusal shows the
page again with the errors next to the fields (400 for invalid input, 409 when the state
forbids it, 403 when the role may not).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
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
from gendan.orders.models import Order
from gendan.purchasing import actions, permissions
from gendan.purchasing.forms import CommitPlanForm, ExpectedDateForm, ReasonForm, ReceiveForm
from gendan.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    Receipt,
    Supplier,
)
from gendan.purchasing.planning import purchase_plan
from gendan.purchasing.selectors import late_lines


@login_required
@require_GET
def purchase_order_list(request: AuthenticatedRequest) -> HttpResponse:
    queryset = PurchaseOrder.objects.for_user(request.user).select_related(
        "supplier", "order", "buyer"
    )
    status = request.GET.get("status", "")
    if status in PurchaseOrderStatus.values:
        queryset = queryset.filter(status=status)
    supplier = request.GET.get("supplier", "")
    if supplier.isdigit():
        queryset = queryset.filter(supplier_id=int(supplier))
    page = page_of(queryset, request)
    late_ids = set(
        late_lines()
        .filter(purchase_order__in=[po.pk for po in page.rows])
        .values_list("purchase_order_id", flat=True)
    )
    return render_page(
        request,
        "purchasing/purchase_order_list.html",
        {
            "page": page,
            "late_ids": late_ids,
            "statuses": PurchaseOrderStatus.choices,
            "status": status,
            "suppliers": Supplier.objects.filter(is_active=True),
            "supplier": supplier,
        },
    )


@login_required
@require_GET
def late_lines_view(request: AuthenticatedRequest) -> HttpResponse:
    lines = late_lines().filter(purchase_order__in=PurchaseOrder.objects.for_user(request.user))
    return render_page(
        request,
        "purchasing/late_lines.html",
        {"page": page_of(lines, request), "today": timezone.localdate()},
    )


def _purchase_order(request: AuthenticatedRequest, number: str) -> PurchaseOrder:
    queryset = PurchaseOrder.objects.select_related("supplier", "order", "buyer").prefetch_related(
        Prefetch(
            "lines",
            queryset=PurchaseOrderLine.objects.select_related("material").prefetch_related(
                Prefetch("receipts", queryset=Receipt.objects.select_related("received_by"))
            ),
        )
    )
    po: PurchaseOrder = get_visible_or_404(queryset, request.user, number=number)
    return po


def _detail(
    request: AuthenticatedRequest,
    po: PurchaseOrder,
    *,
    status: int = 200,
    form_line: int | None = None,
    receive_form: ReceiveForm | None = None,
    date_form: ExpectedDateForm | None = None,
    cancel_form: ReasonForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    user = request.user
    lines = list(po.lines.all())
    for line in lines:
        line.late_now = line.is_late(today)  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "po": po,
        "lines": lines,
        "today": today,
        "incidents": list(po.incidents.select_related("reported_by")),
        "can_receive": permissions.can_receive(user) and po.is_open,
        "can_buy": permissions.can_buy(user) and po.is_open,
        "can_report": permissions.can_report_incident(user),
        "form_line": form_line,
        "receive_form": receive_form or ReceiveForm(),
        "date_form": date_form or ExpectedDateForm(),
        "cancel_form": cancel_form or ReasonForm(),
    }
    return render_page(request, "purchasing/purchase_order_detail.html", context, status=status)


@login_required
@require_GET
def purchase_order_detail(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _detail(request, _purchase_order(request, number))


def _line(po: PurchaseOrder, line_id: int) -> PurchaseOrderLine:
    for line in po.lines.all():
        if line.pk == line_id:
            return line
    raise Http404


@login_required
@require_POST
def receive_view(request: AuthenticatedRequest, number: str, line_id: int) -> HttpResponse:
    po = _purchase_order(request, number)
    line = _line(po, line_id)
    if not permissions.can_receive(request.user):
        raise PermissionDenied(_("Only procurement and the warehouse may record receipts."))
    form = ReceiveForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.receive(
                line=line,
                user=request.user,
                quantity=data["quantity"],
                received_on=data["received_on"],
                delivery_note=data["delivery_note"],
                note=data["note"],
            )
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
            status = 409
        else:
            messages.success(
                request,
                _("Received %(qty)s %(unit)s %(material)s.")
                % {"qty": data["quantity"], "unit": line.material.unit, "material": line.material},
            )
            return redirect(po)
    return _detail(
        request,
        _purchase_order(request, number),
        status=status,
        form_line=line_id,
        receive_form=form,
    )


@login_required
@require_POST
def expected_date_view(request: AuthenticatedRequest, number: str, line_id: int) -> HttpResponse:
    po = _purchase_order(request, number)
    line = _line(po, line_id)
    if not permissions.can_buy(request.user):
        raise PermissionDenied(_("Only procurement may change purchase orders."))
    form = ExpectedDateForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            actions.change_expected_date(
                line=line,
                user=request.user,
                expected_date=form.cleaned_data["expected_date"],
                reason=form.cleaned_data["reason"],
            )
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
            status = 409
        else:
            messages.success(request, _("Expected date changed."))
            return redirect(po)
    return _detail(
        request,
        _purchase_order(request, number),
        status=status,
        form_line=line_id,
        date_form=form,
    )


@login_required
@require_POST
def cancel_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    po = _purchase_order(request, number)
    if not permissions.can_buy(request.user):
        raise PermissionDenied(_("Only procurement may cancel purchase orders."))
    form = ReasonForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            actions.cancel_purchase_order(
                purchase_order=po, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
            status = 409
        else:
            messages.success(request, _("Purchase order %(po)s cancelled.") % {"po": po.number})
            return redirect(po)
    return _detail(request, _purchase_order(request, number), status=status, cancel_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def purchase_plan_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """The order's purchase plan; procurement commits it from here (POST)."""
    order: Order = get_visible_or_404(
        Order.objects.select_related("customer"), request.user, number=number
    )
    plan = purchase_plan(order)
    can_buy = permissions.can_buy(request.user)
    form = CommitPlanForm(request.POST or None, plan=plan)
    status = 200
    if request.method == "POST":
        if not can_buy:
            raise PermissionDenied(_("Only procurement may place purchase orders."))
        status = 400
        if form.is_valid():
            try:
                placed = actions.create_purchase_orders(
                    order=order, user=request.user, supplier_overrides=form.overrides()
                )
            except ActionError as error:
                forbid_if_not_permitted(error)
                apply_action_error(error, form)
                status = 409
            else:
                messages.success(
                    request,
                    _("Plan committed: %(count)d purchase orders placed, stock reserved.")
                    % {"count": len(placed)},
                )
                return redirect("purchasing:plan", number=order.number)
    rows = [
        (
            line,
            form[form.field_name(line.material.pk)]
            if line.to_buy > 0 and line.candidates
            else None,
        )
        for line in plan.lines
    ]
    context = {
        "order": order,
        "plan": plan,
        "rows": rows,
        "form": form,
        "can_buy": can_buy,
        "purchase_orders": list(
            PurchaseOrder.objects.filter(order=order).select_related("supplier")
        ),
    }
    return render_page(request, "purchasing/purchase_plan.html", context, status=status)
