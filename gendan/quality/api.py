"""REST endpoints of quality (E4), under /api/v1/.

Inspection standards are master data (CRUD with a ledger entry per change, kept by the
quality head). Inspections and nonconformance decisions change only through the actions the
pages call. Reads go through the one access door (`for_user`, 404 for the invisible).
"""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.urls import include, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from gendan.api.filters import StableOrderingFilter
from gendan.api.permissions import STAFF, acting_user
from gendan.api.serializers.common import UserRefSerializer
from gendan.api.views.masterdata import MasterDataViewSet
from gendan.api.views.orders import ERRORS
from gendan.core.access import get_visible_or_404
from gendan.production.models import ProgressReport
from gendan.purchasing.models import Receipt
from gendan.quality import actions, permissions
from gendan.quality.models import (
    STANDARD_FIELDS,
    Disposition,
    Inspection,
    InspectionStandard,
    Measurement,
    Nonconformance,
    Stage,
)
from gendan.quality.selectors import work_orders_for

TAGS = ["quality"]


class StandardEditors(BasePermission):
    message = permissions.STANDARDS_REFUSAL

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS or permissions.can_edit_standards(
            request.user  # type: ignore[arg-type]
        )


class InspectionStandardSerializer(serializers.ModelSerializer[InspectionStandard]):
    lower_limit = serializers.DecimalField(
        max_digits=14, decimal_places=4, read_only=True, allow_null=True
    )
    upper_limit = serializers.DecimalField(
        max_digits=14, decimal_places=4, read_only=True, allow_null=True
    )

    class Meta:
        model = InspectionStandard
        fields = ["id", *STANDARD_FIELDS, "lower_limit", "upper_limit", "is_active"]
        read_only_fields = ["id"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The model's own rules (`InspectionStandard.clean`), as the pages apply them."""
        instance = InspectionStandard(**{**self._current(), **attrs})
        try:
            instance.clean()
        except DjangoValidationError as error:
            errors: dict[str, list[str]] = (
                error.message_dict
                if hasattr(error, "error_dict")
                else {NON_FIELD_ERRORS: error.messages}
            )
            if NON_FIELD_ERRORS in errors:
                errors["non_field_errors"] = errors.pop(NON_FIELD_ERRORS)
            raise serializers.ValidationError(errors) from error
        return attrs

    def _current(self) -> dict[str, Any]:
        """The stored values `clean()` reads, under those a partial update leaves out."""
        if self.instance is None:
            return {}
        fields = [
            "id",
            "product",
            "material",
            "stage",
            "characteristic",
            "target",
            "tolerance_minus",
            "tolerance_plus",
            "is_active",
        ]
        return {name: getattr(self.instance, name) for name in fields}


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List inspection standards"),
    retrieve=extend_schema(tags=TAGS, summary="Read an inspection standard"),
    create=extend_schema(tags=TAGS, summary="Add a characteristic to inspect"),
    update=extend_schema(tags=TAGS, summary="Replace an inspection standard"),
    partial_update=extend_schema(tags=TAGS, summary="Change an inspection standard"),
)
class InspectionStandardViewSet(MasterDataViewSet):
    queryset = InspectionStandard.objects.select_related("product", "material")
    serializer_class = InspectionStandardSerializer
    permission_classes = [*STAFF, StandardEditors]
    filterset_fields = ["product", "material", "stage", "is_active"]
    search_fields = ["characteristic"]
    ordering = ["stage", "sequence", "id"]


# --- inspections ---------------------------------------------------------------------------


class MeasurementSerializer(serializers.ModelSerializer[Measurement]):
    class Meta:
        model = Measurement
        fields = [
            "standard",
            "characteristic",
            "method",
            "unit",
            "target",
            "lower_limit",
            "upper_limit",
            "value",
            "passed",
        ]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer[Inspection]):
    order = serializers.CharField(source="order.number", read_only=True)
    work_order = serializers.CharField(
        source="work_order.number", read_only=True, allow_null=True, default=None
    )
    rework_of = serializers.CharField(
        source="rework_of.number", read_only=True, allow_null=True, default=None
    )
    nonconformance = serializers.SerializerMethodField()
    inspected_by = UserRefSerializer(read_only=True)
    measurements = MeasurementSerializer(many=True, read_only=True)
    released_quantity = serializers.DecimalField(max_digits=14, decimal_places=3, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "number",
            "stage",
            "order",
            "order_line",
            "product",
            "material",
            "receipt",
            "progress_report",
            "work_order",
            "rework_of",
            "quantity",
            "unit",
            "result",
            "released_quantity",
            "nonconformance",
            "note",
            "inspected_by",
            "inspected_at",
            "measurements",
        ]
        read_only_fields = fields

    def get_nonconformance(self, obj: Inspection) -> str | None:
        nc = getattr(obj, "nonconformance", None)
        return nc.number if nc is not None else None


class ValueSerializer(serializers.Serializer[Any]):
    standard = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=12, decimal_places=4)


class InspectInputSerializer(serializers.Serializer[Any]):
    """What to inspect: exactly one of `receipt` (incoming), `progress_report` (in-process),
    `work_order` (final) or `rework_of` (re-inspection after rework)."""

    receipt = serializers.IntegerField(required=False)
    progress_report = serializers.IntegerField(required=False)
    work_order = serializers.CharField(required=False)
    rework_of = serializers.CharField(required=False)
    values = ValueSerializer(many=True)
    quantity = serializers.DecimalField(
        max_digits=14, decimal_places=3, required=False, allow_null=True
    )
    quarantine_quantity = serializers.DecimalField(
        max_digits=14, decimal_places=3, required=False, allow_null=True
    )
    nonconformity = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [k for k in ("receipt", "progress_report", "work_order", "rework_of") if k in attrs]
        if len(given) != 1:
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        _("Name exactly one of receipt, progress_report, work_order, rework_of.")
                    ]
                }
            )
        return attrs


def _by_id(queryset: QuerySet[Any], user: Any, field: str, **lookup: Any) -> Any:
    """The record among those the user may see, else a field error (not a 404 of the URL)."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise serializers.ValidationError({field: [_("No such record among those you can see.")]})
    return found


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List the inspections you can see"),
    retrieve=extend_schema(
        tags=TAGS,
        summary="Read an inspection with its measured values",
        responses={200: InspectionSerializer, 404: ERRORS[404]},
    ),
)
class InspectionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Inspection]
):
    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    permission_classes = STAFF
    serializer_class = InspectionSerializer
    filter_backends = [StableOrderingFilter]
    ordering = ["-inspected_at"]

    def get_queryset(self) -> QuerySet[Inspection]:
        qs = (
            Inspection.objects.for_user(acting_user(self.request))
            .select_related("order", "work_order", "rework_of", "inspected_by", "nonconformance")
            .prefetch_related("measurements")
        )
        stage = self.request.query_params.get("stage")
        if stage in Stage.values:
            qs = qs.filter(stage=stage)
        order = self.request.query_params.get("order")
        if order:
            qs = qs.filter(order__number=order)
        return qs

    @extend_schema(
        tags=TAGS,
        summary="Record an inspection (incoming, in-process, final or after rework)",
        request=InspectInputSerializer,
        responses={201: InspectionSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        form = InspectInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        user = acting_user(request)
        values = {row["standard"]: row["value"] for row in data["values"]}
        common = {
            "user": user,
            "values": values,
            "quarantine_quantity": data.get("quarantine_quantity"),
            "nonconformity": data["nonconformity"],
            "note": data["note"],
        }
        if "receipt" in data:
            receipt = _by_id(Receipt.objects.for_user(user), user, "receipt", pk=data["receipt"])
            inspection = actions.inspect_receipt(receipt=receipt, **common)
        elif "progress_report" in data:
            report = _by_id(
                ProgressReport.objects.filter(work_order__in=work_orders_for(user)),
                user,
                "progress_report",
                pk=data["progress_report"],
            )
            inspection = actions.inspect_progress(
                progress_report=report, quantity=data.get("quantity"), **common
            )
        elif "work_order" in data:
            wo = _by_id(work_orders_for(user), user, "work_order", number=data["work_order"])
            inspection = actions.inspect_final(
                work_order=wo, quantity=data.get("quantity"), **common
            )
        else:
            nc = _by_id(
                Nonconformance.objects.for_user(user), user, "rework_of", number=data["rework_of"]
            )
            inspection = actions.reinspect_rework(nonconformance=nc, **common)
        self.kwargs["number"] = inspection.number
        return Response(
            InspectionSerializer(self.get_object()).data, status=status.HTTP_201_CREATED
        )


# --- nonconformances -----------------------------------------------------------------------


class NonconformanceSerializer(serializers.ModelSerializer[Nonconformance]):
    order = serializers.CharField(source="order.number", read_only=True)
    inspection = serializers.CharField(source="inspection.number", read_only=True)
    decided_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Nonconformance
        fields = [
            "number",
            "order",
            "inspection",
            "quantity",
            "description",
            "status",
            "disposition",
            "cause",
            "corrective_action",
            "decided_by",
            "decided_at",
            "closed_at",
            "created_at",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer[Any]):
    disposition = serializers.ChoiceField(choices=Disposition.choices)
    cause = serializers.CharField()
    corrective_action = serializers.CharField()


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List nonconformances (open=true: not closed)"),
    retrieve=extend_schema(
        tags=TAGS,
        summary="Read a nonconformance",
        responses={200: NonconformanceSerializer, 404: ERRORS[404]},
    ),
)
class NonconformanceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Nonconformance]
):
    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    permission_classes = STAFF
    serializer_class = NonconformanceSerializer
    filter_backends = [StableOrderingFilter]
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet[Nonconformance]:
        qs = Nonconformance.objects.for_user(acting_user(self.request)).select_related(
            "order", "inspection", "decided_by"
        )
        if self.request.query_params.get("open") in ("1", "true"):
            qs = qs.not_closed()
        return qs

    def get_object(self) -> Nonconformance:
        return get_visible_or_404(  # type: ignore[no-any-return]
            Nonconformance.objects.select_related("order", "inspection", "decided_by"),
            acting_user(self.request),
            number=self.kwargs["number"],
        )

    @extend_schema(
        tags=TAGS,
        summary="Decide rework, scrap or concession (concession: quality head only)",
        request=DecisionSerializer,
        responses={200: NonconformanceSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, number: str) -> Response:
        nc = self.get_object()
        form = DecisionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        actions.decide_nonconformance(
            nonconformance=nc, user=acting_user(request), **form.validated_data
        )
        return Response(NonconformanceSerializer(self.get_object()).data)


router = SimpleRouter()
router.register("inspection-standards", InspectionStandardViewSet, basename="inspectionstandard")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("nonconformances", NonconformanceViewSet, basename="nonconformance")

urlpatterns = [path("", include(router.urls))]
