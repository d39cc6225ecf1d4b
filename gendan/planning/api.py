"""REST endpoints of planning, under /api/v1/.

- `GET  orders/<number>/promise/`  the order's last promise answer (no solving);
- `POST orders/<number>/promise/`  ask the engine now (a few seconds) and keep the answer;
- `GET  planning/plan/`            the current plan run and its operations (a date window);
- `POST planning/replan/`          have the worker re-plan every open order (planners).

Reads go through the order's door (404 for what the caller may not see); writes call the same
actions as the pages.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gendan.api.permissions import STAFF, acting_user
from gendan.api.views.orders import ERRORS, visible_order
from gendan.orders.models import Order
from gendan.planning import actions
from gendan.planning.models import PlannedOperation, PlanRun
from gendan.planning.review import CtpAnswer, ctp_answer_for

MAX_DAYS = 62


class PromiseSerializer(serializers.Serializer[CtpAnswer]):
    asked_date = serializers.DateField(allow_null=True)
    holds = serializers.BooleanField(allow_null=True)
    earliest_date = serializers.DateField(allow_null=True)
    proven = serializers.BooleanField()
    reason = serializers.CharField()
    bottleneck = serializers.CharField(allow_null=True)
    first_free_slot_date = serializers.DateField(allow_null=True)
    computed_at = serializers.DateTimeField(allow_null=True)
    stale = serializers.BooleanField()
    failed = serializers.BooleanField()


class PromiseAnswerSerializer(serializers.Serializer[Any]):
    """`promise` is null until the engine has been asked about the order."""

    promise = PromiseSerializer(allow_null=True)


class PlannedOperationSerializer(serializers.ModelSerializer[PlannedOperation]):
    order = serializers.SlugRelatedField(slug_field="number", read_only=True)  # type: ignore[var-annotated]
    work_centre = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    work_order = serializers.SlugRelatedField(slug_field="number", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = PlannedOperation
        fields = [
            "order",
            "op_key",
            "name",
            "work_order",
            "work_centre",
            "outsourced",
            "starts_at",
            "ends_at",
            "pinned",
        ]
        read_only_fields = fields


class PlanRunSerializer(serializers.ModelSerializer[PlanRun]):
    class Meta:
        model = PlanRun
        fields = [
            "id",
            "kind",
            "created_at",
            "planned_for",
            "unit_minutes",
            "status",
            "proven_optimal",
            "weighted_late_hours",
            "late_orders",
            "orders_planned",
            "makespan_at",
            "wall_time",
            "note",
        ]
        read_only_fields = fields


class PlanSerializer(serializers.Serializer[Any]):
    run = PlanRunSerializer(allow_null=True)
    operations = PlannedOperationSerializer(many=True)


class PromiseView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["planning"],
        summary="The order's last promise answer (null when never computed)",
        responses={200: PromiseAnswerSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        return Response(PromiseAnswerSerializer({"promise": ctp_answer_for(order)}).data)

    @extend_schema(
        tags=["planning"],
        summary="Ask the engine now whether the order's date holds, and keep the answer",
        request=None,
        responses={200: PromiseAnswerSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        answer = ctp_answer_for(order, compute=True, user=acting_user(request))
        return Response(PromiseAnswerSerializer({"promise": answer}).data)


class PlanView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["planning"],
        summary="The current plan run and its operations in a date window",
        parameters=[
            OpenApiParameter("start", dt.date, description="First day (default today)."),
            OpenApiParameter("days", int, description=f"Days shown (1-{MAX_DAYS}, default 14)."),
        ],
        responses={200: PlanSerializer, 400: ERRORS[400]},
    )
    def get(self, request: Request) -> Response:
        params = _Window(data=request.query_params)
        params.is_valid(raise_exception=True)
        start = params.validated_data.get("start") or timezone.localdate()
        days = params.validated_data.get("days") or 14
        since = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
        until = since + dt.timedelta(days=days)
        run = PlanRun.objects.current()
        operations = PlannedOperation.objects.none()
        if run is not None:
            operations = (
                PlannedOperation.objects.filter(
                    run=run,
                    starts_at__lt=until,
                    ends_at__gt=since,
                    order__in=Order.objects.for_user(acting_user(request)),
                )
                .select_related("order", "work_centre", "work_order")
                .order_by("starts_at", "id")
            )
        return Response(PlanSerializer({"run": run, "operations": operations}).data)


class _Window(serializers.Serializer[Any]):
    start = serializers.DateField(required=False)
    days = serializers.IntegerField(required=False, min_value=1, max_value=MAX_DAYS)


class ReplanView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["planning"],
        summary="Have the worker re-plan every open order (planners and management)",
        request=None,
        responses={202: None, 403: ERRORS[403]},
    )
    def post(self, request: Request) -> Response:
        with transaction.atomic():
            actions.request_replan(user=acting_user(request))
        return Response(status=status.HTTP_202_ACCEPTED)


urlpatterns = [
    path("orders/<str:number>/promise/", PromiseView.as_view(), name="order-promise"),
    path("planning/plan/", PlanView.as_view(), name="planning-plan"),
    path("planning/replan/", ReplanView.as_view(), name="planning-replan"),
]
