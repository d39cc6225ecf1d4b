"""REST endpoints of after-sales (A1–A3), under /api/v1/: cases (open, read, escalate,
meeting, resolve), return visits, the analysis. Reads go through the one access door; changes
through the same actions as the pages, so rules and field errors are the same."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.urls import include, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from gendan.accounts.models import User
from gendan.aftersales import actions
from gendan.aftersales.models import (
    CaseMeeting,
    CaseType,
    ReturnVisit,
    ServiceCase,
    Severity,
    Source,
    VisitMethod,
)
from gendan.aftersales.selectors import analysis
from gendan.api.filters import StableOrderingFilter
from gendan.api.permissions import STAFF, acting_user
from gendan.api.serializers.common import UserRefSerializer
from gendan.api.views.orders import ERRORS
from gendan.catalog.models import Product
from gendan.core.access import get_visible_or_404
from gendan.customers.models import Customer
from gendan.orders.models import Order

TAGS = ["after-sales"]


def _visible_order(request: Request, number: str) -> Order | None:
    if not number:
        return None
    found = Order.objects.for_user(acting_user(request)).filter(number=number).first()
    if found is None:
        raise ValidationError(
            {"order": [_("No order %(number)s among those you can see.") % {"number": number}]}
        )
    return found


class CaseMeetingSerializer(serializers.ModelSerializer[CaseMeeting]):
    attendees = UserRefSerializer(many=True, read_only=True)
    departments = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)  # type: ignore[var-annotated]
    recorded_by = UserRefSerializer(read_only=True)

    class Meta:
        model = CaseMeeting
        fields = [
            "id",
            "held_at",
            "place",
            "attendees",
            "departments",
            "discussion",
            "decisions",
            "recorded_by",
        ]
        read_only_fields = fields


class ServiceCaseSerializer(serializers.ModelSerializer[ServiceCase]):
    customer = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    order = serializers.SlugRelatedField(slug_field="number", read_only=True)  # type: ignore[var-annotated]
    product = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    owner = UserRefSerializer(read_only=True)
    resolved_by = UserRefSerializer(read_only=True, allow_null=True)
    involved_departments = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="code", many=True, read_only=True
    )
    meetings = CaseMeetingSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceCase
        fields = [
            "id",
            "number",
            "customer",
            "order",
            "product",
            "source",
            "case_type",
            "severity",
            "title",
            "description",
            "contact",
            "reported_at",
            "owner",
            "due_at",
            "status",
            "escalated_at",
            "involved_departments",
            "meetings",
            "resolution",
            "root_cause",
            "corrective_action",
            "resolved_by",
            "resolved_at",
        ]
        read_only_fields = fields


class OpenCaseSerializer(serializers.Serializer[Any]):
    order = serializers.CharField(required=False, allow_blank=True, default="")
    customer = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Customer.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    product = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Product.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]
    case_type = serializers.ChoiceField(choices=CaseType.choices)
    severity = serializers.ChoiceField(choices=Severity.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    contact = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
    )


class ServiceCaseNoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField()


class RecordMeetingSerializer(serializers.Serializer[Any]):
    held_at = serializers.DateTimeField()
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    attendees = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True
    )
    discussion = serializers.CharField()
    decisions = serializers.CharField()


class ResolveCaseSerializer(serializers.Serializer[Any]):
    resolution = serializers.CharField()
    root_cause = serializers.CharField(required=False, allow_blank=True, default="")
    corrective_action = serializers.CharField(required=False, allow_blank=True, default="")


class CaseFilter(filters.FilterSet):
    order = filters.CharFilter(field_name="order__number")
    customer = filters.CharFilter(field_name="customer__code")

    class Meta:
        model = ServiceCase
        fields = ["status", "severity", "case_type", "order", "customer"]


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List after-sales cases you can see"),
    retrieve=extend_schema(tags=TAGS, summary="Read an after-sales case with its meetings"),
)
class CaseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ServiceCase]
):
    serializer_class = ServiceCaseSerializer
    permission_classes = STAFF
    filter_backends = [filters.DjangoFilterBackend, StableOrderingFilter]
    filterset_class = CaseFilter
    ordering_fields = ["reported_at", "due_at"]
    ordering = ["-reported_at"]

    def _cases(self) -> QuerySet[ServiceCase]:
        return ServiceCase.objects.select_related(
            "customer", "order", "product", "owner", "resolved_by"
        ).prefetch_related(
            "involved_departments",
            "meetings__attendees",
            "meetings__departments",
            "meetings__recorded_by",
        )

    def get_queryset(self) -> QuerySet[ServiceCase]:
        return self._cases().for_user(acting_user(self.request))  # type: ignore[attr-defined, no-any-return]

    def get_object(self) -> ServiceCase:
        pk = str(self.kwargs["pk"])
        if not pk.isdigit():
            raise NotFound()
        return get_visible_or_404(self._cases(), acting_user(self.request), pk=int(pk))  # type: ignore[no-any-return]

    def _fresh(self, case: ServiceCase) -> dict[str, Any]:
        return ServiceCaseSerializer(self._cases().get(pk=case.pk)).data  # type: ignore[return-value]

    @extend_schema(
        tags=TAGS,
        summary="Open an after-sales case (deadline by severity; major cases escalate)",
        request=OpenCaseSerializer,
        responses={201: ServiceCaseSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        form = OpenCaseSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        data["order"] = _visible_order(request, data["order"])
        case = actions.open_case(user=acting_user(request), **data)
        return Response(self._fresh(case), status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary="Escalate a general case to a cross-department meeting",
        request=ServiceCaseNoteSerializer,
        responses={200: ServiceCaseSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: str) -> Response:
        form = ServiceCaseNoteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        case = actions.escalate_case(
            case=self.get_object(), user=acting_user(request), note=form.validated_data["note"]
        )
        return Response(self._fresh(case))

    @extend_schema(
        tags=TAGS,
        summary="Record the cross-department meeting of an escalated case",
        request=RecordMeetingSerializer,
        responses={201: ServiceCaseSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def meetings(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        form = RecordMeetingSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        actions.record_meeting(case=case, user=acting_user(request), **form.validated_data)
        return Response(self._fresh(case), status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary="Resolve the case",
        request=ResolveCaseSerializer,
        responses={200: ServiceCaseSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        form = ResolveCaseSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        case = actions.resolve_case(
            case=self.get_object(), user=acting_user(request), **form.validated_data
        )
        return Response(self._fresh(case))


class VisitSerializer(serializers.ModelSerializer[ReturnVisit]):
    customer = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    order = serializers.SlugRelatedField(slug_field="number", read_only=True)  # type: ignore[var-annotated]
    case = serializers.SlugRelatedField(slug_field="number", read_only=True)  # type: ignore[var-annotated]
    visited_by = UserRefSerializer(read_only=True)

    class Meta:
        model = ReturnVisit
        fields = [
            "id",
            "customer",
            "order",
            "case",
            "method",
            "visited_on",
            "contact",
            "satisfaction",
            "feedback",
            "visited_by",
        ]
        read_only_fields = fields


class RecordVisitSerializer(serializers.Serializer[Any]):
    order = serializers.CharField(required=False, allow_blank=True, default="")
    customer = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Customer.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    case = serializers.CharField(required=False, allow_blank=True, default="")
    method = serializers.ChoiceField(choices=VisitMethod.choices)
    visited_on = serializers.DateField()
    contact = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    satisfaction = serializers.IntegerField(min_value=1, max_value=5)
    feedback = serializers.CharField(required=False, allow_blank=True, default="")


class VisitFilter(filters.FilterSet):
    order = filters.CharFilter(field_name="order__number")
    customer = filters.CharFilter(field_name="customer__code")

    class Meta:
        model = ReturnVisit
        fields = ["method", "order", "customer"]


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List return visits you can see"),
    retrieve=extend_schema(tags=TAGS, summary="Read a return visit"),
)
class VisitViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ReturnVisit]
):
    serializer_class = VisitSerializer
    permission_classes = STAFF
    filter_backends = [filters.DjangoFilterBackend, StableOrderingFilter]
    filterset_class = VisitFilter
    ordering_fields = ["visited_on", "satisfaction"]
    ordering = ["-visited_on"]

    def _visits(self) -> QuerySet[ReturnVisit]:
        return ReturnVisit.objects.select_related("customer", "order", "case", "visited_by")

    def get_queryset(self) -> QuerySet[ReturnVisit]:
        return self._visits().for_user(acting_user(self.request))  # type: ignore[attr-defined, no-any-return]

    def get_object(self) -> ReturnVisit:
        pk = str(self.kwargs["pk"])
        if not pk.isdigit():
            raise NotFound()
        return get_visible_or_404(self._visits(), acting_user(self.request), pk=int(pk))  # type: ignore[no-any-return]

    @extend_schema(
        tags=TAGS,
        summary="Record a return visit with the customer's satisfaction (1-5)",
        request=RecordVisitSerializer,
        responses={201: VisitSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        form = RecordVisitSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        data["order"] = _visible_order(request, data["order"])
        number = data.pop("case")
        case = None
        if number:
            case = ServiceCase.objects.for_user(acting_user(request)).filter(number=number).first()
            if case is None:
                raise ValidationError(
                    {
                        "case": [
                            _("No case %(number)s among those you can see.") % {"number": number}
                        ]
                    }
                )
        visit = actions.record_return_visit(user=acting_user(request), case=case, **data)
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class ProductRowSerializer(serializers.Serializer[Any]):
    product__code = serializers.CharField()
    product__name = serializers.CharField()
    count = serializers.IntegerField()
    major = serializers.IntegerField()
    satisfaction = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)


class CustomerRowSerializer(serializers.Serializer[Any]):
    customer__code = serializers.CharField()
    customer__name = serializers.CharField()
    count = serializers.IntegerField()
    major = serializers.IntegerField()
    visits = serializers.IntegerField()
    satisfaction = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)


class TypeRowSerializer(serializers.Serializer[Any]):
    case_type = serializers.CharField()
    count = serializers.IntegerField()


class AnalysisSerializer(serializers.Serializer[Any]):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    cases = serializers.IntegerField()
    major = serializers.IntegerField()
    unresolved = serializers.IntegerField()
    resolved_late = serializers.IntegerField()
    visits = serializers.IntegerField()
    satisfaction = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    by_type = TypeRowSerializer(many=True)
    by_product = ProductRowSerializer(many=True)
    by_customer = CustomerRowSerializer(many=True)


class PeriodSerializer(serializers.Serializer[Any]):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        today = timezone.localdate()
        attrs.setdefault("date_to", today)
        attrs.setdefault("date_from", attrs["date_to"] - dt.timedelta(days=90))
        if attrs["date_from"] > attrs["date_to"]:
            raise ValidationError({"date_to": [_("The end comes before the start.")]})
        return attrs


class AnalysisView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=TAGS,
        summary="Top problems by product and customer, with satisfaction (default: 90 days)",
        parameters=[
            OpenApiParameter("date_from", dt.date, required=False),
            OpenApiParameter("date_to", dt.date, required=False),
        ],
        responses={200: AnalysisSerializer, 400: ERRORS[400]},
    )
    def get(self, request: Request) -> Response:
        form = PeriodSerializer(data=request.query_params)
        form.is_valid(raise_exception=True)
        result = analysis(
            acting_user(request), form.validated_data["date_from"], form.validated_data["date_to"]
        )
        return Response(AnalysisSerializer(result).data)


router = SimpleRouter()
router.register("service-cases", CaseViewSet, basename="servicecase")
router.register("return-visits", VisitViewSet, basename="returnvisit")

urlpatterns = [
    path("aftersales-analysis/", AnalysisView.as_view(), name="aftersales-analysis"),
    path("", include(router.urls)),
]
