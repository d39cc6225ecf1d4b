"""Tasks (the inbox, opening, completing, cancelling) and the user's notifications."""

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gendan.api.filters import NotificationFilter, StableOrderingFilter, TaskFilter
from gendan.api.idempotency import idempotent
from gendan.api.permissions import STAFF, IsAuthenticated, acting_user
from gendan.api.serializers.common import ErrorSerializer
from gendan.api.serializers.tasks import (
    MarkedSerializer,
    MarkReadSerializer,
    NotificationSerializer,
    TaskCancelSerializer,
    TaskCompleteSerializer,
    TaskOpenSerializer,
    TaskSerializer,
)
from gendan.core.access import get_visible_or_404
from gendan.notifications.actions import mark_read
from gendan.notifications.models import Notification
from gendan.tasks.actions import cancel_task, complete_task, due_at_for, open_task
from gendan.tasks.models import Task

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid fields (field-level messages)."),
    403: OpenApiResponse(ErrorSerializer, description="Your role may not do this."),
    404: OpenApiResponse(ErrorSerializer, description="No such task among those you can see."),
    409: OpenApiResponse(ErrorSerializer, description="The task is no longer open."),
}


def _tasks() -> QuerySet[Task]:
    return Task.objects.select_related(
        "order", "department", "assignee", "created_by", "completed_by"
    )


@extend_schema_view(
    list=extend_schema(summary="List the tasks you can see (mine=true: your inbox)"),
    retrieve=extend_schema(
        summary="Read a task", responses={200: TaskSerializer, 404: ERRORS[404]}
    ),
)
class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Task]):
    """Tasks through `Task.objects.for_user`; changes through the task actions."""

    permission_classes = STAFF
    serializer_class = TaskSerializer
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = TaskFilter
    ordering_fields = ["due_at", "created_at", "priority"]
    ordering = ["due_at"]

    def get_queryset(self) -> QuerySet[Task]:
        return _tasks().for_user(acting_user(self.request))  # type: ignore[attr-defined, no-any-return]

    def get_object(self) -> Task:
        pk = str(self.kwargs["pk"])
        if not pk.isdigit():
            raise NotFound()
        return get_visible_or_404(_tasks(), acting_user(self.request), pk=int(pk))

    def _answer(self, task: Task, code: int = status.HTTP_200_OK) -> Response:
        return Response(TaskSerializer(_tasks().get(pk=task.pk)).data, status=code)

    @extend_schema(
        summary="Open a task (deadline in working days, hours, or at a given time)",
        request=TaskOpenSerializer,
        responses={201: TaskSerializer, **ERRORS},
    )
    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = TaskOpenSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = form.validated_data
        if "due_at" in data:
            due_at = data["due_at"]
        else:
            due_at = due_at_for(working_days=data.get("working_days"), hours=data.get("hours"))
        task = open_task(
            user=acting_user(request),
            title=data["title"],
            due_at=due_at,
            order=data.get("order"),
            department=data.get("department"),
            assignee=data.get("assignee"),
            description=data.get("description", ""),
            priority=data.get("priority"),
            due_in_hours="hours" in data,
        )
        return self._answer(task, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Complete a task",
        request=TaskCompleteSerializer,
        responses={200: TaskSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        task = self.get_object()
        form = TaskCompleteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        task = complete_task(
            task=task, user=acting_user(request), outcome=form.validated_data.get("outcome", "")
        )
        return self._answer(task)

    @extend_schema(
        summary="Cancel a task (with the reason)",
        request=TaskCancelSerializer,
        responses={200: TaskSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        task = self.get_object()
        form = TaskCancelSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        task = cancel_task(
            task=task, user=acting_user(request), reason=form.validated_data["reason"]
        )
        return self._answer(task)


@extend_schema_view(get=extend_schema(tags=["notifications"], summary="List your notifications"))
class NotificationListView(generics.ListAPIView[Notification]):
    """The caller's own notifications, newest first."""

    permission_classes = STAFF
    serializer_class = NotificationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = NotificationFilter

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return Notification.objects.filter(user=acting_user(self.request)).order_by(
            "-created_at", "-id"
        )


class NotificationReadView(APIView):
    """Mark your own notifications read.

    Open to auditors too: it changes only the caller's own inbox, no business record.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["notifications"],
        summary="Mark notifications read (all unread ones when no ids are given)",
        request=MarkReadSerializer,
        responses={200: MarkedSerializer, 400: ERRORS[400]},
    )
    def post(self, request: Request) -> Response:
        form = MarkReadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        marked = mark_read(
            user=acting_user(request), notification_ids=form.validated_data.get("ids")
        )
        return Response({"marked": marked})
