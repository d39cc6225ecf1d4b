"""REST endpoints of the credit file (I4), under /api/v1/:

- `GET  customers/<code>/credit/`               the customer's position (limit, rating,
                                                exposure, receivables, overdue, documents
                                                missing), assessments, and the credit decision
                                                of the open orders the caller sees, in words;
- `POST customers/<code>/credit/assessments/`   finance assesses the customer: the rating and
                                                limit become the customer's (the only way they
                                                change);
- `GET  customers/<code>/credit/documents/`     the credit file's documents;
- `POST customers/<code>/credit/documents/`     add one (multipart `file`; finance, clerks,
                                                sales heads);
- `GET  customers/<code>/credit/invoices/`      the receivables with payments, what is open,
                                                overdue and how many days late;
- `POST customers/<code>/credit/invoices/`      register an invoice (finance);
- `POST customers/<code>/credit/invoices/<id>/payments/`  record a payment (finance; partial
                                                payments allowed, more than is open refused).

Every write calls the same action as the credit page. Who may not see a customer's credit file
gets 404 (finance, sales heads, management and auditors see every file; a clerk those of the
customers whose orders they follow); a role that may not act 403; bad input 400 with the fields.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gendan.api.permissions import STAFF, acting_user
from gendan.api.views.orders import ERRORS
from gendan.credit import actions, permissions
from gendan.credit.decision import CreditDecision, customer_position, decide
from gendan.credit.models import (
    CreditAssessment,
    CreditDocument,
    CreditSettings,
    DocumentKind,
    Invoice,
    Payment,
)
from gendan.customers.models import CreditRating, Customer
from gendan.intake.order_api import call
from gendan.orders.models import Order
from gendan.orders.status import FINAL_STATUSES

#: Open orders whose credit decision the credit file shows (as the page does).
OPEN_ORDERS_SHOWN = 20


class AssessmentSerializer(serializers.ModelSerializer[CreditAssessment]):
    assessor = serializers.StringRelatedField()  # type: ignore[var-annotated]

    class Meta:
        model = CreditAssessment
        fields = ["id", "rating", "limit", "assessed_on", "assessor", "notes"]
        read_only_fields = fields


class OrderDecisionSerializer(serializers.Serializer[Any]):
    """The credit decision of one open order, as the credit page shows it."""

    order = serializers.CharField(source="order.number")
    status = serializers.CharField(source="order.status")
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, source="decision.order_amount"
    )
    result = serializers.CharField(
        source="decision.result", help_text="pass, needs_cover or blocked."
    )
    result_label = serializers.SerializerMethodField(help_text="The result in words.")
    cleared = serializers.BooleanField(source="decision.cleared")
    resolved = serializers.BooleanField(
        source="decision.resolved", help_text="Secured by guarantees or prepayments."
    )
    summary = serializers.CharField(
        source="decision.summary", help_text="The decision and its reasons in one sentence."
    )
    reasons = serializers.ListField(child=serializers.CharField(), source="decision.reasons")

    def get_result_label(self, row: dict[str, Any]) -> str:
        decision: CreditDecision = row["decision"]
        return str(decision.result.label)


class CreditFileSerializer(serializers.Serializer[Any]):
    customer = serializers.CharField(source="customer.code")
    rating = serializers.CharField()
    limit = serializers.DecimalField(max_digits=14, decimal_places=2)
    has_assessment = serializers.BooleanField()
    open_orders_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    receivables = serializers.DecimalField(max_digits=14, decimal_places=2)
    exposure = serializers.DecimalField(max_digits=14, decimal_places=2)
    overdue_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    max_days_late = serializers.IntegerField()
    document_problems = serializers.ListField(child=serializers.CharField())
    assessments = serializers.SerializerMethodField()
    open_orders = serializers.SerializerMethodField(
        help_text="The credit decision of the customer's open orders the caller sees."
    )

    def get_assessments(self, position: Any) -> list[dict[str, Any]]:
        rows = position.customer.credit_assessments.select_related("assessor").order_by(
            "-assessed_on", "-id"
        )
        return list(AssessmentSerializer(rows, many=True).data)

    @extend_schema_field(OrderDecisionSerializer(many=True))
    def get_open_orders(self, position: Any) -> list[dict[str, Any]]:
        return list(self.context.get("open_orders", []))


class NewAssessmentSerializer(serializers.Serializer[Any]):
    rating = serializers.ChoiceField(
        choices=[(value, label) for value, label in CreditRating.choices if value != "new"]
    )
    limit = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)  # type: ignore[arg-type]
    assessed_on = serializers.DateField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


def _customer(request: Request, code: str) -> Customer:
    customer = Customer.objects.filter(code=code).first()
    if customer is None or not permissions.can_view_credit(acting_user(request), customer):
        raise exceptions.NotFound()
    return customer


def _file(request: Request, customer: Customer, code: int = status.HTTP_200_OK) -> Response:
    today = timezone.localdate()
    orders = (
        Order.objects.for_user(acting_user(request))
        .filter(customer=customer)
        .exclude(status__in=FINAL_STATUSES)
        .order_by("-created_at")[:OPEN_ORDERS_SHOWN]
    )
    decisions = OrderDecisionSerializer(
        [{"order": order, "decision": decide(order, day=today)} for order in orders], many=True
    ).data
    position = customer_position(customer, day=today)
    body = CreditFileSerializer(position, context={"open_orders": decisions}).data
    return Response(body, status=code)


class CreditFileView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["credit"],
        summary="The customer's credit file: position and assessments",
        responses={200: CreditFileSerializer, **ERRORS},
    )
    def get(self, request: Request, code: str) -> Response:
        return _file(request, _customer(request, code))


class AssessmentView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["credit"],
        summary="Assess the customer's credit (finance): sets its rating and limit",
        request=NewAssessmentSerializer,
        responses={201: CreditFileSerializer, **ERRORS},
    )
    def post(self, request: Request, code: str) -> Response:
        customer = _customer(request, code)
        form = NewAssessmentSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = acting_user(request)
        call(lambda: actions.record_assessment(user=user, customer=customer, **form.validated_data))
        customer.refresh_from_db()
        return _file(request, customer, status.HTTP_201_CREATED)


# --- documents -------------------------------------------------------------------------------


class CreditDocumentSerializer(serializers.ModelSerializer[CreditDocument]):
    kind_label = serializers.CharField(source="get_kind_display")
    uploaded_by = serializers.StringRelatedField()  # type: ignore[var-annotated]
    valid_today = serializers.SerializerMethodField(
        help_text="False once the validity date has passed."
    )
    url = serializers.SerializerMethodField(help_text="Where the file is downloaded.")

    class Meta:
        model = CreditDocument
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "valid_until",
            "valid_today",
            "notes",
            "uploaded_by",
            "uploaded_at",
            "url",
        ]
        read_only_fields = fields

    def get_valid_today(self, doc: CreditDocument) -> bool:
        return doc.is_valid_on(timezone.localdate())

    def get_url(self, doc: CreditDocument) -> str:
        return reverse("credit:document", args=[doc.pk])


class CreditDocumentUploadSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField()
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class DocumentListView(APIView):
    permission_classes = STAFF
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=["credit"],
        summary="The documents in the customer's credit file",
        responses={200: CreditDocumentSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, code: str) -> Response:
        rows = CreditDocument.objects.filter(customer=_customer(request, code))
        return Response(
            CreditDocumentSerializer(rows.select_related("uploaded_by"), many=True).data
        )

    @extend_schema(
        tags=["credit"],
        summary="Add a document to the customer's credit file (finance, clerks, sales heads)",
        request={"multipart/form-data": CreditDocumentUploadSerializer},
        responses={201: CreditDocumentSerializer, **ERRORS},
    )
    def post(self, request: Request, code: str) -> Response:
        customer = _customer(request, code)
        user = acting_user(request)
        if not permissions.can_add_documents(user):  # the action says the same; 403 before 400
            raise exceptions.PermissionDenied(
                _("Your role may not add documents to the credit file.")
            )
        form = CreditDocumentUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        doc = call(
            lambda: actions.upload_document(user=user, customer=customer, **form.validated_data)
        )
        return Response(CreditDocumentSerializer(doc).data, status=status.HTTP_201_CREATED)


# --- invoices and payments --------------------------------------------------------------------


class CreditPaymentSerializer(serializers.ModelSerializer[Payment]):
    recorded_by = serializers.StringRelatedField()  # type: ignore[var-annotated]

    class Meta:
        model = Payment
        fields = ["id", "amount", "paid_on", "reference", "recorded_by"]
        read_only_fields = fields


class CreditInvoiceSerializer(serializers.ModelSerializer[Invoice]):
    order = serializers.CharField(source="order.number", allow_null=True, default=None)
    outstanding = serializers.DecimalField(max_digits=14, decimal_places=2)
    settled = serializers.BooleanField(source="is_settled")
    days_late = serializers.SerializerMethodField(
        help_text="Days past the due date while unpaid (0 when paid or not yet due)."
    )
    overdue_amount = serializers.SerializerMethodField(
        help_text="What is open once the invoice is more than the grace days late, else 0."
    )
    payments = CreditPaymentSerializer(many=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "order",
            "amount",
            "issue_date",
            "due_date",
            "paid_amount",
            "outstanding",
            "settled",
            "days_late",
            "overdue_amount",
            "notes",
            "payments",
        ]
        read_only_fields = fields

    def _day(self) -> dt.date:
        return self.context.get("day") or timezone.localdate()

    def get_days_late(self, invoice: Invoice) -> int:
        return invoice.days_late(self._day())

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2))
    def get_overdue_amount(self, invoice: Invoice) -> str:
        grace = self.context.get("grace_days")
        if grace is None:
            grace = CreditSettings.load().grace_days
        overdue = invoice.days_late(self._day()) > grace
        return f"{invoice.outstanding if overdue else 0:.2f}"


def _invoices(customer: Customer) -> Any:
    return (
        Invoice.objects.filter(customer=customer)
        .select_related("order")
        .prefetch_related(
            Prefetch(
                "payments", Payment.objects.select_related("recorded_by").order_by("paid_on", "id")
            )
        )
        .order_by("-issue_date", "-id")
    )


def _invoice_context() -> dict[str, Any]:
    return {"day": timezone.localdate(), "grace_days": CreditSettings.load().grace_days}


class NewInvoiceSerializer(serializers.Serializer[Any]):
    number = serializers.CharField(max_length=40)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    issue_date = serializers.DateField()
    due_date = serializers.DateField()
    order = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", help_text="Order number."
    )
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class NewPaymentSerializer(serializers.Serializer[Any]):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    paid_on = serializers.DateField()
    reference = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


def _finance_only(request: Request, message: str) -> None:
    """403 before the input is read (the action checks the same rule again)."""
    if not permissions.can_manage_credit(acting_user(request)):
        raise exceptions.PermissionDenied(message)


class InvoiceListView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["credit"],
        summary="The customer's invoices with payments, open and overdue amounts, days late",
        responses={200: CreditInvoiceSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, code: str) -> Response:
        rows = _invoices(_customer(request, code))
        return Response(CreditInvoiceSerializer(rows, many=True, context=_invoice_context()).data)

    @extend_schema(
        tags=["credit"],
        summary="Register an invoice sent to the customer (finance)",
        request=NewInvoiceSerializer,
        responses={201: CreditInvoiceSerializer, **ERRORS},
    )
    def post(self, request: Request, code: str) -> Response:
        customer = _customer(request, code)
        _finance_only(request, _("Only finance may register invoices."))
        form = NewInvoiceSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        number = data.pop("order").strip()
        user = acting_user(request)
        order = None
        if number:
            order = Order.objects.for_user(user).filter(number=number).first()
            if order is None:
                raise exceptions.ValidationError(
                    {"order": [_("No order %(number)s among those you see.") % {"number": number}]}
                )
        invoice = call(
            lambda: actions.create_invoice(user=user, customer=customer, order=order, **data)
        )
        body = CreditInvoiceSerializer(
            _invoices(customer).get(pk=invoice.pk), context=_invoice_context()
        )
        return Response(body.data, status=status.HTTP_201_CREATED)


class PaymentView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["credit"],
        summary="Record a payment against the invoice (finance; partial payments allowed)",
        request=NewPaymentSerializer,
        responses={201: CreditInvoiceSerializer, **ERRORS},
    )
    def post(self, request: Request, code: str, pk: int) -> Response:
        customer = _customer(request, code)
        invoice = Invoice.objects.filter(customer=customer, pk=pk).first()
        if invoice is None:
            raise exceptions.NotFound()
        _finance_only(request, _("Only finance may record payments."))
        form = NewPaymentSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = acting_user(request)
        call(lambda: actions.record_payment(user=user, invoice=invoice, **form.validated_data))
        body = CreditInvoiceSerializer(_invoices(customer).get(pk=pk), context=_invoice_context())
        return Response(body.data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("customers/<str:code>/credit/", CreditFileView.as_view(), name="customer-credit"),
    path(
        "customers/<str:code>/credit/assessments/",
        AssessmentView.as_view(),
        name="customer-credit-assessments",
    ),
    path(
        "customers/<str:code>/credit/documents/",
        DocumentListView.as_view(),
        name="customer-credit-documents",
    ),
    path(
        "customers/<str:code>/credit/invoices/",
        InvoiceListView.as_view(),
        name="customer-credit-invoices",
    ),
    path(
        "customers/<str:code>/credit/invoices/<int:pk>/payments/",
        PaymentView.as_view(),
        name="customer-credit-invoice-payments",
    ),
]
