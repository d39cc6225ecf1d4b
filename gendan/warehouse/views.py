"""Warehouse pages: stock of finished goods per order line, goods ready to take in, the
receiving form checked against the work order, and one receipt."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gendan.core.access import get_visible_or_404
from gendan.core.errors import ActionError
from gendan.core.views import (
    AuthenticatedRequest,
    apply_action_error,
    forbid_if_not_permitted,
    render_page,
)
from gendan.quality.models import Inspection, Stage
from gendan.quality.selectors import work_orders_for
from gendan.warehouse import actions, permissions
from gendan.warehouse.forms import ReceiveForm
from gendan.warehouse.models import FinishedGoodsReceipt, LineStock


@login_required
@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    ready = []
    work_orders = (
        work_orders_for(user)
        .filter(pk__in=Inspection.objects.filter(stage=Stage.FINAL).values("work_order"))
        .select_related("order", "product", "order_line")
        .order_by("order", "number")
    )
    for wo in work_orders[:200]:
        left = sum(q for _i, q in actions.receivable_inspections(wo))
        if left > 0:
            ready.append((wo, left))
    return render_page(
        request,
        "warehouse/home.html",
        {
            "ready": ready,
            "stock": LineStock.objects.for_user(user)
            .select_related("order", "order_line__product")
            .order_by("order__number", "order_line__position"),
            "receipts": FinishedGoodsReceipt.objects.for_user(user)
            .select_related("order", "product", "received_by")
            .order_by("-received_at", "-pk")[:50],
            "can_receive": permissions.can_receive_finished_goods(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def receive_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    wo = (
        work_orders_for(request.user)
        .select_related("order", "product", "order_line")
        .filter(number=number)
        .first()
    )
    if wo is None:
        raise Http404
    status = 200
    if request.method == "POST":
        form = ReceiveForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                receipts = actions.receive_finished_goods(
                    work_order=wo,
                    user=request.user,
                    product=data["product"],
                    specification=data["specification"],
                    quantity=data["quantity"],
                    location=data["location"],
                    note=data["note"],
                )
            except ActionError as error:
                forbid_if_not_permitted(error)
                apply_action_error(error, form)
                status = 409
            else:
                messages.success(
                    request,
                    _("Taken into the warehouse: %(numbers)s.")
                    % {"numbers": ", ".join(r.number for r in receipts)},
                )
                return redirect(receipts[0])
    else:
        form = ReceiveForm()
    return render_page(
        request,
        "warehouse/receive.html",
        {
            "wo": wo,
            "form": form,
            "sources": actions.receivable_inspections(wo),
            "can_receive": permissions.can_receive_finished_goods(request.user),
        },
        status=status,
    )


@login_required
@require_GET
def receipt_detail(request: AuthenticatedRequest, number: str) -> HttpResponse:
    receipt: FinishedGoodsReceipt = get_visible_or_404(
        FinishedGoodsReceipt.objects.select_related(
            "order", "order_line", "work_order", "inspection", "product", "received_by"
        ),
        request.user,
        number=number,
    )
    return render_page(request, "warehouse/receipt_detail.html", {"receipt": receipt})
