"""An order's follow-up ledger: read it (newest first), add comments and communications.

The ledger is append-only: there is no update or delete here, nor anywhere else.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gendan.api.idempotency import idempotent
from gendan.api.permissions import STAFF, acting_user
from gendan.api.serializers.ledger import (
    CommentSerializer,
    CommunicationSerializer,
    LedgerEntrySerializer,
)
from gendan.api.views.orders import ERRORS, visible_order
from gendan.ledger.models import LedgerEntry
from gendan.orders.actions import add_comment, log_communication


@extend_schema_view(get=extend_schema(tags=["ledger"], summary="Read an order's ledger"))
class LedgerListView(generics.ListAPIView[LedgerEntry]):
    """The order's ledger, newest entry first, paginated."""

    permission_classes = STAFF
    serializer_class = LedgerEntrySerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[LedgerEntry]:
        if getattr(self, "swagger_fake_view", False):
            return LedgerEntry.objects.none()
        order = visible_order(self.request, self.kwargs["number"])
        return order.ledger.select_related("actor").order_by("-at", "-id")


class CommentView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["ledger"],
        summary="Add a comment to the order's ledger",
        request=CommentSerializer,
        responses={201: LedgerEntrySerializer, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        form = CommentSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        entry = add_comment(
            order=order, user=acting_user(request), text=form.validated_data["text"]
        )
        return Response(LedgerEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class CommunicationView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["ledger"],
        summary="Record a call, e-mail, meeting or visit about the order",
        request=CommunicationSerializer,
        responses={201: LedgerEntrySerializer, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        form = CommunicationSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        entry = log_communication(order=order, user=acting_user(request), **form.validated_data)
        return Response(LedgerEntrySerializer(entry).data, status=status.HTTP_201_CREATED)
