"""Customers, product lines and products: read for all staff, written by their editors.

No DELETE: orders refer to these records; deactivate them (`is_active: false`) instead.
"""

from typing import Any

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.filters import SearchFilter
from rest_framework.serializers import BaseSerializer

from gendan.api.filters import CustomerFilter, StableOrderingFilter
from gendan.api.idempotency import idempotent
from gendan.api.masterdata import create_with_ledger, update_with_ledger
from gendan.api.permissions import STAFF, CatalogEditors, CustomerEditors, acting_user
from gendan.api.serializers.catalog import ProductLineSerializer, ProductSerializer
from gendan.api.serializers.customers import CustomerSerializer
from gendan.catalog.models import Product, ProductLine
from gendan.customers.models import Customer


class MasterDataViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Any],
):
    """List, read, create and edit; every create and edit writes a ledger entry."""

    filter_backends = [DjangoFilterBackend, SearchFilter, StableOrderingFilter]

    @idempotent
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        create_with_ledger(serializer, acting_user(self.request))  # type: ignore[arg-type]

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        update_with_ledger(serializer, acting_user(self.request))  # type: ignore[arg-type]


@extend_schema_view(
    list=extend_schema(summary="List customers"),
    retrieve=extend_schema(summary="Read a customer with its contacts"),
    create=extend_schema(summary="Register a customer"),
    update=extend_schema(summary="Replace a customer's data"),
    partial_update=extend_schema(summary="Change some of a customer's data"),
)
class CustomerViewSet(MasterDataViewSet):
    queryset = Customer.objects.prefetch_related("contacts")
    serializer_class = CustomerSerializer
    permission_classes = [*STAFF, CustomerEditors]
    filterset_class = CustomerFilter
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "created_at"]
    ordering = ["code"]


@extend_schema_view(
    list=extend_schema(summary="List product lines"),
    retrieve=extend_schema(summary="Read a product line"),
    create=extend_schema(summary="Add a product line"),
    update=extend_schema(summary="Replace a product line"),
    partial_update=extend_schema(summary="Change a product line"),
)
class ProductLineViewSet(MasterDataViewSet):
    queryset = ProductLine.objects.select_related("production_department")
    serializer_class = ProductLineSerializer
    permission_classes = [*STAFF, CatalogEditors]
    filterset_fields = ["production_department"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name"]
    ordering = ["code"]


@extend_schema_view(
    list=extend_schema(summary="List products"),
    retrieve=extend_schema(summary="Read a product"),
    create=extend_schema(summary="Add a product"),
    update=extend_schema(summary="Replace a product"),
    partial_update=extend_schema(summary="Change a product"),
)
class ProductViewSet(MasterDataViewSet):
    queryset = Product.objects.select_related("line")
    serializer_class = ProductSerializer
    permission_classes = [*STAFF, CatalogEditors]
    filterset_fields = ["line", "is_active", "unit"]
    search_fields = ["code", "name", "grade"]
    ordering_fields = ["code", "name", "list_price"]
    ordering = ["code"]
