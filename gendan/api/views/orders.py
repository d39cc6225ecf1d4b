"""Orders: list, read, register and edit. Orders are never deleted: cancel them (pipeline)."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from gendan.api.conditional import IF_MATCH, expected_version, stale_answers_412
from gendan.api.filters import OrderFilter, OrderSearchFilter, StableOrderingFilter
from gendan.api.idempotency import idempotent
from gendan.api.permissions import STAFF, acting_user
from gendan.api.serializers.common import ErrorSerializer
from gendan.api.serializers.orders import (
    OrderListSerializer,
    OrderSerializer,
    OrderWriteSerializer,
)
from gendan.core.access import get_visible_or_404
from gendan.orders.actions import create_order, update_order
from gendan.orders.models import Order, OrderLine


def full_orders() -> QuerySet[Order]:
    """Orders with everything the full record shows, read in three queries."""
    return Order.objects.select_related("customer", "clerk", "created_by").prefetch_related(
        Prefetch("lines", OrderLine.objects.select_related("product").order_by("position"))
    )


def visible_order(request: Request, number: str, queryset: Any = None) -> Order:
    """The order `number` if the caller may see it, else 404 (the one access door)."""
    return get_visible_or_404(
        queryset if queryset is not None else Order.objects, acting_user(request), number=number
    )


def order_response(request: Request, order: Order, code: int = status.HTTP_200_OK) -> Response:
    """The full order, freshly read, with its ETag (and Location when just created)."""
    fresh = full_orders().get(pk=order.pk)
    headers = {"ETag": fresh.etag}
    data = OrderSerializer(fresh, context={"request": request}).data
    if code == status.HTTP_201_CREATED:
        headers["Location"] = data["url"]
    return Response(data, status=code, headers=headers)


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid fields (field-level messages)."),
    403: OpenApiResponse(ErrorSerializer, description="Your role may not do this."),
    404: OpenApiResponse(ErrorSerializer, description="No such order among those you can see."),
    409: OpenApiResponse(ErrorSerializer, description="Changed meanwhile, or not editable now."),
}
WRITE_ERRORS = {
    **ERRORS,
    412: OpenApiResponse(ErrorSerializer, description="If-Match names an older version."),
    428: OpenApiResponse(ErrorSerializer, description="Neither version nor If-Match sent."),
}


@extend_schema_view(
    list=extend_schema(summary="List the orders you can see"),
    retrieve=extend_schema(
        summary="Read an order with lines and available transitions",
        responses={200: OrderSerializer, 404: ERRORS[404]},
    ),
)
class OrderViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Order]
):
    """Orders, looked up by number. Lists and lookups go through `Order.objects.for_user`."""

    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    permission_classes = STAFF
    filter_backends = [DjangoFilterBackend, OrderSearchFilter, StableOrderingFilter]
    filterset_class = OrderFilter
    ordering_fields = ["created_at", "requested_date", "number", "total_amount"]
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet[Order]:
        return Order.objects.for_user(acting_user(self.request)).select_related("customer", "clerk")

    def get_serializer_class(self) -> Any:
        if self.action == "list":
            return OrderListSerializer
        if self.action in ("create", "update", "partial_update"):
            return OrderWriteSerializer
        return OrderSerializer

    def get_object(self) -> Order:
        return visible_order(self.request, self.kwargs["number"], full_orders())

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        order = self.get_object()
        if order.etag in request.headers.get("If-None-Match", ""):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": order.etag})
        data = OrderSerializer(order, context=self.get_serializer_context()).data
        return Response(data, headers={"ETag": order.etag})

    @extend_schema(
        summary="Register an order (draft) with its lines",
        request=OrderWriteSerializer,
        responses={201: OrderSerializer, **ERRORS},
    )
    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = OrderWriteSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        order = create_order(
            user=acting_user(request), header=form.header_values(), lines=form.line_values() or []
        )
        return order_response(request, order, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Replace an order's header and lines",
        request=OrderWriteSerializer,
        parameters=[IF_MATCH],
        responses={200: OrderSerializer, **WRITE_ERRORS},
    )
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._edit(request, partial=False)

    @extend_schema(
        summary="Change some of an order's header fields (and/or its lines)",
        request=OrderWriteSerializer,
        parameters=[IF_MATCH],
        responses={200: OrderSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._edit(request, partial=True)

    def _edit(self, request: Request, *, partial: bool) -> Response:
        order = self.get_object()
        context = {
            **self.get_serializer_context(),
            "existing_products": {line.product_id for line in order.lines.all()},
        }
        form = OrderWriteSerializer(order, data=request.data, partial=partial, context=context)
        form.is_valid(raise_exception=True)
        version, from_header = expected_version(request, order, form.validated_data.get("version"))
        with stale_answers_412(order, version, from_header):
            order = update_order(
                order=order,
                user=acting_user(request),
                expected_version=version,  # type: ignore[arg-type]
                header=form.header_values(),
                lines=form.line_values(),
            )
        return order_response(request, order)
