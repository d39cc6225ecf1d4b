"""The credit page of a customer (I4): credit file, assessments, receivables, exposure and the
credit decision of the customer's open orders; finance's forms post here.

Who sees it is `permissions.can_view_credit`; anyone else gets 404 (the customer's credit is
not revealed).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gendan.core.errors import ActionError
from gendan.core.views import (
    AuthenticatedRequest,
    apply_action_error,
    forbid_if_not_permitted,
)
from gendan.credit import actions, permissions
from gendan.credit.decision import customer_position, decide
from gendan.credit.forms import AssessmentForm, DocumentForm, InvoiceForm, PaymentForm
from gendan.credit.models import RESULT_COLOURS, CreditDocument, Invoice, Payment
from gendan.customers.models import Customer
from gendan.orders.models import Order
from gendan.orders.status import FINAL_STATUSES

OPEN_ORDERS_SHOWN = 20


def _customer(request: AuthenticatedRequest, code: str) -> Customer:
    customer = Customer.objects.filter(code=code).first()
    if customer is None or not permissions.can_view_credit(request.user, customer):
        raise Http404
    return customer


def _context(request: AuthenticatedRequest, customer: Customer, **forms: Any) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    invoices = list(
        Invoice.objects.filter(customer=customer)
        .select_related("order")
        .prefetch_related(Prefetch("payments", Payment.objects.order_by("paid_on", "id")))
        .order_by("-issue_date", "-id")
    )
    for invoice in invoices:
        invoice.late_days = invoice.days_late(today)  # type: ignore[attr-defined]
    orders = list(
        Order.objects.for_user(user)
        .filter(customer=customer)
        .exclude(status__in=FINAL_STATUSES)
        .order_by("-created_at")[:OPEN_ORDERS_SHOWN]
    )
    decisions = [(order, decide(order, day=today)) for order in orders]
    return {
        "customer": customer,
        "position": customer_position(customer, day=today),
        "today": today,
        "documents": CreditDocument.objects.filter(customer=customer).select_related("uploaded_by"),
        "assessments": customer.credit_assessments.select_related("assessor")[:10],
        "invoices": invoices,
        "decisions": [
            (order, decision, "green" if decision.resolved else RESULT_COLOURS[decision.result])
            for order, decision in decisions
        ],
        "can_manage": permissions.can_manage_credit(user),
        "can_add_documents": permissions.can_add_documents(user),
        "document_form": forms.get("document_form") or DocumentForm(),
        "assessment_form": forms.get("assessment_form")
        or AssessmentForm(
            initial={
                "assessed_on": today,
                "limit": customer.credit_limit,
                "rating": customer.credit_rating,
            }
        ),
        "invoice_form": forms.get("invoice_form") or InvoiceForm(initial={"issue_date": today}),
        "payment_form": forms.get("payment_form")
        or PaymentForm(customer=customer, initial={"paid_on": today}),
    }


def _page(
    request: AuthenticatedRequest, customer: Customer, status: int = 200, **forms: Any
) -> HttpResponse:
    return render(
        request, "credit/customer.html", _context(request, customer, **forms), status=status
    )


def _refused(
    request: AuthenticatedRequest, customer: Customer, error: ActionError, name: str, form: Any
) -> HttpResponse:
    forbid_if_not_permitted(error)
    apply_action_error(error, form)
    return _page(request, customer, status=409, **{name: form})


@login_required
@require_GET
def customer_credit(request: AuthenticatedRequest, code: str) -> HttpResponse:
    return _page(request, _customer(request, code))


@login_required
@require_POST
def add_document(request: AuthenticatedRequest, code: str) -> HttpResponse:
    customer = _customer(request, code)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, customer, status=400, document_form=form)
    try:
        actions.upload_document(user=request.user, customer=customer, **form.cleaned_data)
    except ActionError as error:
        return _refused(request, customer, error, "document_form", form)
    messages.success(request, _("Document added to the credit file."))
    return redirect("credit:customer", code)


@login_required
@require_GET
def document_file(request: AuthenticatedRequest, pk: int) -> FileResponse:
    doc = CreditDocument.objects.select_related("customer").filter(pk=pk).first()
    if doc is None or not permissions.can_view_credit(request.user, doc.customer):
        raise Http404
    name = (doc.file.name or "").rsplit("/", 1)[-1]
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=name)


@login_required
@require_POST
def add_assessment(request: AuthenticatedRequest, code: str) -> HttpResponse:
    customer = _customer(request, code)
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        return _page(request, customer, status=400, assessment_form=form)
    try:
        actions.record_assessment(user=request.user, customer=customer, **form.cleaned_data)
    except ActionError as error:
        return _refused(request, customer, error, "assessment_form", form)
    messages.success(request, _("Credit assessment recorded."))
    return redirect("credit:customer", code)


@login_required
@require_POST
def add_invoice(request: AuthenticatedRequest, code: str) -> HttpResponse:
    customer = _customer(request, code)
    form = InvoiceForm(request.POST)
    if not form.is_valid():
        return _page(request, customer, status=400, invoice_form=form)
    data = dict(form.cleaned_data)
    number = data.pop("order").strip()
    order = None
    if number:
        order = Order.objects.for_user(request.user).filter(number=number).first()
        if order is None:
            form.add_error(
                "order", _("No order %(number)s among those you see.") % {"number": number}
            )
            return _page(request, customer, status=400, invoice_form=form)
    try:
        actions.create_invoice(user=request.user, customer=customer, order=order, **data)
    except ActionError as error:
        return _refused(request, customer, error, "invoice_form", form)
    messages.success(request, _("Invoice registered."))
    return redirect("credit:customer", code)


@login_required
@require_POST
def add_payment(request: AuthenticatedRequest, code: str) -> HttpResponse:
    customer = _customer(request, code)
    form = PaymentForm(request.POST, customer=customer)
    if not form.is_valid():
        return _page(request, customer, status=400, payment_form=form)
    data = dict(form.cleaned_data)
    try:
        actions.record_payment(user=request.user, invoice=data.pop("invoice"), **data)
    except ActionError as error:
        return _refused(request, customer, error, "payment_form", form)
    messages.success(request, _("Payment recorded."))
    return redirect("credit:customer", code)
