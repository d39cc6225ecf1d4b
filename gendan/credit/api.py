"""REST endpoints of the credit file (I4), under /api/v1/:

- `GET  customers/<code>/credit/`               the customer's position (limit, rating,
                                                exposure, receivables, overdue, documents
                                                missing) and assessments;
- `POST customers/<code>/credit/assessments/`   finance assesses the customer: the rating and
                                                limit become the customer's (the only way they
                                                change).

Who may not see a customer's credit file gets 404 (finance, sales heads, management and
auditors see every file; a clerk those of the customers whose orders they follow).
"""

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gendan.api.permissions import STAFF, acting_user
from gendan.api.views.orders import ERRORS
from gendan.credit import actions, permissions
from gendan.credit.decision import customer_position
from gendan.credit.models import CreditAssessment
from gendan.customers.models import CreditRating, Customer
from gendan.intake.order_api import call


class AssessmentSerializer(serializers.ModelSerializer[CreditAssessment]):
    assessor = serializers.StringRelatedField()  # type: ignore[var-annotated]

    class Meta:
        model = CreditAssessment
        fields = ["id", "rating", "limit", "assessed_on", "assessor", "notes"]
        read_only_fields = fields


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

    def get_assessments(self, position: Any) -> list[dict[str, Any]]:
        rows = position.customer.credit_assessments.select_related("assessor").order_by(
            "-assessed_on", "-id"
        )
        return list(AssessmentSerializer(rows, many=True).data)


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


def _file(customer: Customer, code: int = status.HTTP_200_OK) -> Response:
    return Response(CreditFileSerializer(customer_position(customer)).data, status=code)


class CreditFileView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["credit"],
        summary="The customer's credit file: position and assessments",
        responses={200: CreditFileSerializer, **ERRORS},
    )
    def get(self, request: Request, code: str) -> Response:
        return _file(_customer(request, code))


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
        return _file(customer, status.HTTP_201_CREATED)


urlpatterns = [
    path("customers/<str:code>/credit/", CreditFileView.as_view(), name="customer-credit"),
    path(
        "customers/<str:code>/credit/assessments/",
        AssessmentView.as_view(),
        name="customer-credit-assessments",
    ),
]
