"""REST endpoints of production (E3), under /api/v1/.

Master data (work centres, teams, routings and their operations) is plain CRUD through
serializers with a ledger entry per change; plans, work orders and progress change only
through the actions the pages call. Reads go through the one access door (`for_user`, 404 for
the invisible).
"""

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.urls import include, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from gendan.api.filters import StableOrderingFilter
from gendan.api.permissions import STAFF, acting_user
from gendan.api.serializers.common import UserRefSerializer
from gendan.api.views.masterdata import MasterDataViewSet
from gendan.api.views.orders import ERRORS, visible_order
from gendan.core.access import get_visible_or_404
from gendan.core.errors import Blocked
from gendan.orders.models import Order
from gendan.production import actions, permissions
from gendan.production.models import (
    DelayCause,
    PlanChange,
    ProductionPlan,
    ProgressReport,
    Routing,
    RoutingOperation,
    Team,
    WorkCentre,
    WorkOrder,
    WorkOrderStatus,
)
from gendan.production.selectors import plan_vs_actual

TAGS = ["production"]


class ProductionEditors(BasePermission):
    message = _(
        "Only the production head and administrators may change work centres, teams and routings."
    )

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS or permissions.can_edit_production_master_data(
            request.user  # type: ignore[arg-type]
        )


# --- master data ---------------------------------------------------------------------------


class TeamSerializer(serializers.ModelSerializer[Team]):
    class Meta:
        model = Team
        fields = ["id", "code", "name", "department", "leader", "members", "is_active"]
        read_only_fields = ["id"]


class WorkCentreSerializer(serializers.ModelSerializer[WorkCentre]):
    hours_per_day = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True)
    capacity_hours_per_day = serializers.DecimalField(
        max_digits=8, decimal_places=2, read_only=True
    )

    class Meta:
        model = WorkCentre
        fields = [
            "id",
            "code",
            "name",
            "department",
            "capacity_units",
            "shifts_per_day",
            "hours_per_shift",
            "day_starts_at",
            "runs_on_rest_days",
            "default_team",
            "hours_per_day",
            "capacity_hours_per_day",
            "is_active",
            "notes",
        ]
        read_only_fields = ["id"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        shifts = attrs.get("shifts_per_day", getattr(self.instance, "shifts_per_day", 1))
        hours = attrs.get("hours_per_shift", getattr(self.instance, "hours_per_shift", 8))
        if shifts * hours > 24:
            raise serializers.ValidationError(
                {"hours_per_shift": [_("The shifts of one day add up to more than 24 hours.")]}
            )
        return attrs


class RoutingOperationSerializer(serializers.ModelSerializer[RoutingOperation]):
    class Meta:
        model = RoutingOperation
        fields = [
            "id",
            "routing",
            "sequence",
            "name",
            "work_centre",
            "alternative_work_centres",
            "setup_minutes",
            "run_minutes_per_unit",
            "team",
            "notes",
        ]
        read_only_fields = ["id"]


class RoutingSerializer(serializers.ModelSerializer[Routing]):
    operations = RoutingOperationSerializer(many=True, read_only=True)

    class Meta:
        model = Routing
        fields = ["id", "product", "name", "is_default", "notes", "operations"]
        read_only_fields = ["id", "operations"]


def _master(model_label: str, **extra: Any) -> Any:
    names = {
        "list": f"List {model_label}",
        "retrieve": f"Read one of the {model_label}",
        "create": f"Add to the {model_label}",
        "update": f"Replace one of the {model_label}",
        "partial_update": f"Change one of the {model_label}",
        **extra,
    }
    return extend_schema_view(
        **{name: extend_schema(tags=TAGS, summary=summary) for name, summary in names.items()}
    )


@_master("teams")
class TeamViewSet(MasterDataViewSet):
    queryset = Team.objects.prefetch_related("members")
    serializer_class = TeamSerializer
    permission_classes = [*STAFF, ProductionEditors]
    filterset_fields = ["department", "is_active"]
    search_fields = ["code", "name"]
    ordering = ["code"]


@_master("work centres")
class WorkCentreViewSet(MasterDataViewSet):
    queryset = WorkCentre.objects.all()
    serializer_class = WorkCentreSerializer
    permission_classes = [*STAFF, ProductionEditors]
    filterset_fields = ["department", "is_active", "runs_on_rest_days"]
    search_fields = ["code", "name"]
    ordering = ["code"]


@_master("routings")
class RoutingViewSet(MasterDataViewSet):
    queryset = Routing.objects.select_related("product").prefetch_related(
        "operations__alternative_work_centres"
    )
    serializer_class = RoutingSerializer
    permission_classes = [*STAFF, ProductionEditors]
    filterset_fields = ["product", "is_default"]
    ordering = ["product", "-is_default"]


@_master("routing operations")
class RoutingOperationViewSet(MasterDataViewSet):
    queryset = RoutingOperation.objects.prefetch_related("alternative_work_centres")
    serializer_class = RoutingOperationSerializer
    permission_classes = [*STAFF, ProductionEditors]
    filterset_fields = ["routing", "work_centre"]
    ordering = ["routing", "sequence"]


# --- work orders ---------------------------------------------------------------------------


class ProgressReportSerializer(serializers.ModelSerializer[ProgressReport]):
    reported_by = UserRefSerializer(read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "work_date",
            "good_quantity",
            "scrap_quantity",
            "hours",
            "delay_cause",
            "note",
            "finished",
            "reported_by",
            "reported_at",
        ]
        read_only_fields = fields


class PlanChangeSerializer(serializers.ModelSerializer[PlanChange]):
    changed_by = UserRefSerializer(read_only=True)

    class Meta:
        model = PlanChange
        fields = [
            "id",
            "reason",
            "before_start",
            "before_end",
            "after_start",
            "after_end",
            "before_work_centre",
            "after_work_centre",
            "changed_by",
            "changed_at",
        ]
        read_only_fields = fields


class WorkOrderSerializer(serializers.ModelSerializer[WorkOrder]):
    order = serializers.SlugRelatedField(slug_field="number", read_only=True)  # type: ignore[var-annotated]
    work_centre_code = serializers.CharField(source="work_centre.code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    owner = UserRefSerializer(read_only=True, allow_null=True)
    late = serializers.SerializerMethodField()

    class Meta:
        model = WorkOrder
        fields = [
            "number",
            "order",
            "order_line",
            "product",
            "sequence",
            "name",
            "work_centre",
            "work_centre_code",
            "team",
            "owner",
            "quantity",
            "unit",
            "setup_minutes",
            "run_minutes_per_unit",
            "planned_start",
            "planned_end",
            "status",
            "status_label",
            "actual_start",
            "actual_end",
            "good_quantity",
            "scrap_quantity",
            "hours_worked",
            "task",
            "late",
        ]
        read_only_fields = fields

    def get_late(self, work_order: WorkOrder) -> bool:
        return work_order.is_late()


class WorkOrderDetailSerializer(WorkOrderSerializer):
    progress_reports = ProgressReportSerializer(many=True, read_only=True)
    plan_changes = PlanChangeSerializer(many=True, read_only=True)

    class Meta(WorkOrderSerializer.Meta):
        fields = [*WorkOrderSerializer.Meta.fields, "progress_reports", "plan_changes"]
        read_only_fields = fields


class ProgressSerializer(serializers.Serializer[Any]):
    good_quantity = serializers.DecimalField(max_digits=14, decimal_places=3, default=Decimal(0))
    scrap_quantity = serializers.DecimalField(max_digits=14, decimal_places=3, default=Decimal(0))
    hours = serializers.DecimalField(max_digits=7, decimal_places=2, default=Decimal(0))
    work_date = serializers.DateField(required=False)
    delay_cause = serializers.ChoiceField(
        choices=DelayCause.choices, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    finished = serializers.BooleanField(required=False, default=False)


class PlanChangeInputSerializer(serializers.Serializer[Any]):
    planned_start = serializers.DateTimeField()
    planned_end = serializers.DateTimeField()
    work_centre = serializers.PrimaryKeyRelatedField(
        queryset=WorkCentre.objects.filter(is_active=True), required=False, allow_null=True
    )
    reason = serializers.CharField()


class WorkOrderFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=WorkOrderStatus.choices)
    order = filters.CharFilter(field_name="order__number", help_text="Customer order number.")
    late = filters.BooleanFilter(
        method="filter_late", help_text="true: released or running past the planned end."
    )
    mine = filters.BooleanFilter(method="filter_mine", help_text="true: owned by you.")

    class Meta:
        model = WorkOrder
        fields = ["status", "work_centre", "team", "order"]

    def filter_late(self, queryset: Any, name: str, value: bool) -> Any:
        late = WorkOrder.objects.behind_plan().values("pk")
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)

    def filter_mine(self, queryset: Any, name: str, value: bool) -> Any:
        return queryset.filter(owner=self.request.user) if value else queryset


def _work_orders() -> QuerySet[WorkOrder]:
    return WorkOrder.objects.select_related("order", "work_centre", "owner")


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List the work orders (生产任务单) you can see"),
    retrieve=extend_schema(
        tags=TAGS,
        summary="Read a work order with progress and plan changes",
        responses={200: WorkOrderDetailSerializer, 404: ERRORS[404]},
    ),
)
class WorkOrderViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[WorkOrder]
):
    """Work orders are made by drafting the order's production plan."""

    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    permission_classes = STAFF
    filter_backends = [filters.DjangoFilterBackend, StableOrderingFilter]
    filterset_class = WorkOrderFilter
    ordering_fields = ["planned_start", "planned_end", "number"]
    ordering = ["planned_start"]

    def get_serializer_class(self) -> Any:
        return WorkOrderDetailSerializer if self.action != "list" else WorkOrderSerializer

    def get_queryset(self) -> QuerySet[WorkOrder]:
        return _work_orders().for_user(acting_user(self.request))  # type: ignore[attr-defined, no-any-return]

    def get_object(self) -> WorkOrder:
        queryset = (
            _work_orders()
            .select_related("team", "operation")
            .prefetch_related("progress_reports__reported_by", "plan_changes__changed_by")
        )
        return get_visible_or_404(queryset, acting_user(self.request), number=self.kwargs["number"])

    def _answer(self, work_order: WorkOrder, code: int = status.HTTP_200_OK) -> Response:
        self.kwargs["number"] = work_order.number
        return Response(WorkOrderDetailSerializer(self.get_object()).data, status=code)

    @extend_schema(
        tags=TAGS,
        summary="Report progress (good quantity, scrap, hours, delay cause)",
        request=ProgressSerializer,
        responses={201: WorkOrderDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, number: str) -> Response:
        work_order = self.get_object()
        form = ProgressSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        actions.report_progress(
            work_order=work_order, user=acting_user(request), **form.validated_data
        )
        return self._answer(work_order, status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary="Change the planned dates (or work centre), with a reason",
        request=PlanChangeInputSerializer,
        responses={200: WorkOrderDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="change-plan")
    def change_plan(self, request: Request, number: str) -> Response:
        work_order = self.get_object()
        form = PlanChangeInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        actions.change_work_order_plan(
            work_order=work_order, user=acting_user(request), **form.validated_data
        )
        return self._answer(work_order)


# --- the production plan of an order -------------------------------------------------------


class PlanRowSerializer(serializers.Serializer[Any]):
    work_order = serializers.CharField(source="work_order.number")
    operation = serializers.CharField(source="work_order.name")
    work_centre = serializers.CharField(source="work_order.work_centre.code")
    status = serializers.CharField(source="work_order.status")
    planned_quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    good_quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    scrap_quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    completion = serializers.DecimalField(max_digits=6, decimal_places=1)
    planned_hours = serializers.DecimalField(max_digits=9, decimal_places=2)
    hours_worked = serializers.DecimalField(max_digits=9, decimal_places=2)
    planned_start = serializers.DateTimeField()
    planned_end = serializers.DateTimeField()
    actual_start = serializers.DateTimeField(allow_null=True)
    actual_end = serializers.DateTimeField(allow_null=True)
    late = serializers.BooleanField()
    delay_hours = serializers.DecimalField(max_digits=9, decimal_places=1, allow_null=True)


class ProductionPlanSerializer(serializers.Serializer[Any]):
    order = serializers.CharField()
    status = serializers.CharField(allow_null=True)
    drafted_by = UserRefSerializer(allow_null=True)
    drafted_at = serializers.DateTimeField(allow_null=True)
    approved_by = UserRefSerializer(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    work_orders = PlanRowSerializer(many=True)


def plan_answer(order: Order, code: int = status.HTTP_200_OK) -> Response:
    plan = (
        ProductionPlan.objects.filter(order=order)
        .select_related("drafted_by", "approved_by")
        .first()
    )
    data = {
        "order": order.number,
        "status": plan.status if plan else None,
        "drafted_by": plan.drafted_by if plan else None,
        "drafted_at": plan.drafted_at if plan else None,
        "approved_by": plan.approved_by if plan else None,
        "approved_at": plan.approved_at if plan else None,
        "work_orders": plan_vs_actual(order),
    }
    return Response(ProductionPlanSerializer(data).data, status=code)


class ProductionDraftSerializer(serializers.Serializer[Any]):
    start = serializers.DateTimeField(
        required=False, help_text="Earliest start; default: after the order's materials arrive."
    )


class PlanApprovalSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PlanRescheduleSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField()
    start = serializers.DateTimeField(required=False)


def _plan_of(order: Order) -> ProductionPlan:
    plan = ProductionPlan.objects.filter(order=order).first()
    if plan is None:
        raise Blocked(
            _("Order %(number)s has no production plan yet: draft it first.")
            % {"number": order.number}
        )
    return plan


class ProductionPlanView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=TAGS,
        summary="The order's production plan: work orders, plan vs actual",
        responses={200: ProductionPlanSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, number: str) -> Response:
        return plan_answer(visible_order(request, number))

    @extend_schema(
        tags=TAGS,
        summary="Draft (or redraft) the plan from the routings",
        request=ProductionDraftSerializer,
        responses={201: ProductionPlanSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        form = ProductionDraftSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        start = form.validated_data.get("start")
        actions.draft_production_plan(
            order=order,
            user=acting_user(request),
            start=timezone.localtime(start) if start else None,
        )
        return plan_answer(order, status.HTTP_201_CREATED)


class ApprovePlanView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=TAGS,
        summary="Approve the plan (production head): release work orders",
        request=PlanApprovalSerializer,
        responses={200: ProductionPlanSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        form = PlanApprovalSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        actions.approve_production_plan(
            plan=_plan_of(order), user=acting_user(request), note=form.validated_data["note"]
        )
        return plan_answer(order)


class ReschedulePlanView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=TAGS,
        summary="Plan again the work orders not started yet",
        request=PlanRescheduleSerializer,
        responses={200: ProductionPlanSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        form = PlanRescheduleSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        actions.reschedule_plan(
            plan=_plan_of(order),
            user=acting_user(request),
            reason=form.validated_data["reason"],
            start=form.validated_data.get("start"),
        )
        return plan_answer(order)


router = SimpleRouter()
router.register("teams", TeamViewSet, basename="team")
router.register("work-centres", WorkCentreViewSet, basename="workcentre")
router.register("routings", RoutingViewSet, basename="routing")
router.register("routing-operations", RoutingOperationViewSet, basename="routingoperation")
router.register("work-orders", WorkOrderViewSet, basename="workorder")

urlpatterns = [
    path(
        "orders/<str:number>/production-plan/",
        ProductionPlanView.as_view(),
        name="order-production-plan",
    ),
    path(
        "orders/<str:number>/production-plan/approve/",
        ApprovePlanView.as_view(),
        name="order-production-plan-approve",
    ),
    path(
        "orders/<str:number>/production-plan/reschedule/",
        ReschedulePlanView.as_view(),
        name="order-production-plan-reschedule",
    ),
    path("", include(router.urls)),
]
