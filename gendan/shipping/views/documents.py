"""A shipping notice (with the dispatch form logistics uses) and a shipment (with its
certificate of conformity, its delivery note and the customer's sign-off), and their printed
forms. Each page includes the same partial as its PDF."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gendan.core.views import AuthenticatedRequest, render_page
from gendan.documents.pdf import pdf_response
from gendan.orders.status import Status
from gendan.shipping import actions, permissions, printing
from gendan.shipping.forms import (
    CancelNoticeForm,
    DiscrepancyForm,
    DispatchForm,
    ResolveForm,
    SignOffForm,
)
from gendan.shipping.guards import delivery_signed, fully_shipped
from gendan.shipping.models import DeliveryState, NoticeState, Shipment, ShippingNotice
from gendan.shipping.views.common import (
    run,
    visible_discrepancy,
    visible_notice,
    visible_shipment,
)

# --- the notice ----------------------------------------------------------------------------


def _notice_page(
    request: AuthenticatedRequest,
    notice: ShippingNotice,
    *,
    status: int = 200,
    dispatch_form: forms.Form | None = None,
    cancel_form: forms.Form | None = None,
) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = printing.notice_context(notice)
    is_open = notice.state == NoticeState.OPEN
    context.update(
        {
            "can_dispatch": is_open
            and permissions.can_ship(user)
            and notice.order.status == Status.IN_EXECUTION,
            "dispatch_form": dispatch_form or DispatchForm(notice_lines=context["notice_lines"]),
            "can_cancel": is_open and permissions.can_issue_notice(user, notice.order),
            "cancel_form": cancel_form or CancelNoticeForm(),
            "shipment": Shipment.objects.filter(notice=notice).first(),
        }
    )
    return render_page(request, "shipping/notice.html", context, status=status)


@login_required
@require_GET
def notice_page(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _notice_page(request, visible_notice(request, number))


@login_required
@require_GET
def notice_pdf(request: AuthenticatedRequest, number: str) -> HttpResponse:
    notice = visible_notice(request, number)
    return pdf_response(printing.notice_pdf(notice, language=get_language()), f"{number}.pdf")


def _shipped_message(shipment: Shipment) -> str:
    message = _("Shipment %(number)s dispatched; delivery note %(note)s printed.") % {
        "number": shipment.number,
        "note": shipment.delivery_note.number,
    }
    if fully_shipped(shipment.order, shipment.dispatched_by) is None:
        message += " " + _("Every line is shipped: the order can now be recorded as shipped.")
    return message


@login_required
@require_POST
def dispatch_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    notice = visible_notice(request, number)
    notice_lines = list(notice.lines.select_related("order_line__product"))
    form = DispatchForm(request.POST, notice_lines=notice_lines)
    return run(
        request,
        form,
        lambda data: actions.dispatch_shipment(
            notice=notice,
            user=request.user,
            quantities={name: data.get(name) or 0 for name in form.line_names()},
            carrier=data["carrier"],
            vehicle=data["vehicle"],
            driver=data["driver"],
            tracking_number=data["tracking_number"],
            packaging=data["packaging"],
            packages=data["packages"],
            documents=data["documents"],
            shipped_at=data["shipped_at"],
            checked=data["checked"],
            check_note=data["check_note"],
        ),
        done=_shipped_message,
        success_url=lambda shipment: shipment.get_absolute_url(),
        page=lambda f, status: _notice_page(
            request, visible_notice(request, number), status=status, dispatch_form=f
        ),
    )


@login_required
@require_POST
def cancel_notice_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    notice = visible_notice(request, number)
    return run(
        request,
        CancelNoticeForm(request.POST),
        lambda data: actions.cancel_notice(notice=notice, user=request.user, reason=data["reason"]),
        done=lambda n: _("Shipping notice %(number)s cancelled.") % {"number": n.number},
        success_url=lambda n: n.get_absolute_url(),
        page=lambda f, status: _notice_page(request, notice, status=status, cancel_form=f),
    )


# --- the shipment and its delivery note ------------------------------------------------------


def _shipment_page(
    request: AuthenticatedRequest,
    shipment: Shipment,
    *,
    status: int = 200,
    sign_off_form: forms.Form | None = None,
    discrepancy_form: forms.Form | None = None,
    resolve_form: forms.Form | None = None,
) -> HttpResponse:
    user = request.user
    note = shipment.delivery_note
    context: dict[str, Any] = printing.delivery_note_context(note)
    lines = [sl.order_line for sl in context["shipment_lines"]]
    recorder = permissions.can_record_delivery(user, shipment.order)
    context.update(
        {
            "inspection_numbers": printing.inspection_numbers(shipment),
            "certificate_title": printing.form_title("certificate"),
            "all_lines": list(
                shipment.lines.select_related("order_line__product").order_by(
                    "order_line__position"
                )
            ),
            "discrepancies": list(
                note.discrepancies.select_related("order_line", "reported_by", "resolved_by")
            ),
            "can_sign_off": recorder and note.state == DeliveryState.AWAITING,
            "sign_off_form": sign_off_form or SignOffForm(lines=lines),
            "can_report": recorder and note.is_signed,
            "discrepancy_form": discrepancy_form or DiscrepancyForm(lines=lines),
            "can_resolve": recorder,
            "resolve_form": resolve_form or ResolveForm(),
        }
    )
    return render_page(request, "shipping/shipment.html", context, status=status)


@login_required
@require_GET
def shipment_page(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _shipment_page(request, visible_shipment(request, number))


@login_required
@require_GET
def certificate_pdf(request: AuthenticatedRequest, number: str) -> HttpResponse:
    shipment = visible_shipment(request, number)
    content = printing.certificate_pdf(shipment, language=get_language())
    return pdf_response(content, f"{number}-certificate.pdf")


@login_required
@require_GET
def delivery_note_pdf(request: AuthenticatedRequest, number: str) -> HttpResponse:
    shipment = visible_shipment(request, number)
    note = shipment.delivery_note
    content = printing.delivery_note_pdf(note, language=get_language())
    return pdf_response(content, f"{note.number}.pdf")


def _signed_message(note: Any) -> str:
    message = _("The signed delivery note %(number)s is filed.") % {"number": note.number}
    if (
        note.order.status == Status.SHIPPED
        and delivery_signed(note.order, note.recorded_by) is None
    ):
        message += " " + _(
            "Every delivery note is signed: the order can now be recorded as delivered."
        )
    return message


@login_required
@require_POST
def sign_off_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    shipment = visible_shipment(request, number)
    lines = [sl.order_line for sl in shipment.lines.select_related("order_line__product")]
    form = SignOffForm(request.POST, request.FILES, lines=lines)
    return run(
        request,
        form,
        lambda data: actions.record_sign_off(
            delivery_note=shipment.delivery_note,
            user=request.user,
            signed_by_name=data["signed_by_name"],
            signed_at=data["signed_at"],
            received_on=data["received_on"],
            file=data["file"],
            remarks=data["remarks"],
            discrepancies=form.discrepancies(),
        ),
        done=_signed_message,
        success_url=lambda note: shipment.get_absolute_url(),
        page=lambda f, status: _shipment_page(
            request, visible_shipment(request, number), status=status, sign_off_form=f
        ),
    )


@login_required
@require_POST
def discrepancy_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    shipment = visible_shipment(request, number)
    lines = [sl.order_line for sl in shipment.lines.select_related("order_line__product")]
    form = DiscrepancyForm(request.POST, lines=lines)
    return run(
        request,
        form,
        lambda data: actions.report_discrepancy(
            delivery_note=shipment.delivery_note,
            user=request.user,
            kind=data["kind"],
            description=data["description"],
            line=data["line"] or None,
            quantity=data["quantity"],
        ),
        done=lambda d: _("The discrepancy is recorded; the clerk has a task to handle it."),
        success_url=lambda d: shipment.get_absolute_url(),
        page=lambda f, status: _shipment_page(request, shipment, status=status, discrepancy_form=f),
    )


@login_required
@require_POST
def resolve_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    discrepancy = visible_discrepancy(request, pk)
    shipment = discrepancy.delivery_note.shipment
    return run(
        request,
        ResolveForm(request.POST),
        lambda data: actions.resolve_discrepancy(
            discrepancy=discrepancy, user=request.user, resolution=data["resolution"]
        ),
        done=lambda d: _("The discrepancy is resolved."),
        success_url=lambda d: shipment.get_absolute_url(),
        page=lambda f, status: _shipment_page(
            request,
            visible_shipment(request, shipment.number),
            status=status,
            resolve_form=f,
        ),
    )
