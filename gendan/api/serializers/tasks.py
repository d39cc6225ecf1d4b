"""Tasks (inbox, opening, completing, cancelling) and notifications."""

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from gendan.accounts.models import Department, User
from gendan.api.serializers.common import (
    DepartmentRefSerializer,
    UserRefSerializer,
    active_departments,
    active_users,
)
from gendan.notifications.models import Notification
from gendan.orders.models import Order
from gendan.orders.status import Priority
from gendan.tasks.models import Task

MAX_WORKING_DAYS = 250
MAX_HOURS = 24 * 30


class TaskSerializer(serializers.ModelSerializer[Task]):
    order = serializers.SlugRelatedField[Order](slug_field="number", read_only=True)
    department = DepartmentRefSerializer(read_only=True, allow_null=True)
    assignee = UserRefSerializer(read_only=True, allow_null=True)
    created_by = UserRefSerializer(read_only=True, allow_null=True)
    completed_by = UserRefSerializer(read_only=True, allow_null=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    priority_label = serializers.CharField(source="get_priority_display", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "order",
            "title",
            "description",
            "kind",
            "department",
            "assignee",
            "priority",
            "priority_label",
            "due_at",
            "due_in_hours",
            "state",
            "state_label",
            "is_overdue",
            "created_by",
            "created_at",
            "completed_by",
            "completed_at",
            "outcome",
        ]
        read_only_fields = fields


class TaskOpenSerializer(serializers.Serializer[Any]):
    """Input for opening a task. Give the deadline one way: working days, hours or a time."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    order = serializers.CharField(
        max_length=40, required=False, help_text="Number of the order the task is about."
    )
    department = serializers.SlugRelatedField[Department](
        slug_field="code", queryset=active_departments(), required=False, allow_null=True
    )
    assignee = serializers.PrimaryKeyRelatedField[User](
        queryset=active_users(), required=False, allow_null=True
    )
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    working_days = serializers.IntegerField(
        min_value=1, max_value=MAX_WORKING_DAYS, required=False, help_text="Due in N working days."
    )
    hours = serializers.IntegerField(
        min_value=1, max_value=MAX_HOURS, required=False, help_text="Due in N clock hours."
    )
    due_at = serializers.DateTimeField(required=False, help_text="Due at this moment.")

    def validate_order(self, number: str) -> Order:
        user = self.context["request"].user
        order = Order.objects.for_user(user).filter(number=number).first()
        if order is None:
            raise serializers.ValidationError(
                _("There is no order %(number)s among the orders you can see.") % {"number": number}
            )
        return order

    def validate_due_at(self, value: dt.datetime) -> dt.datetime:
        if value <= timezone.now():
            raise serializers.ValidationError(_("The deadline must lie in the future."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in ("working_days", "hours", "due_at") if name in attrs]
        if len(given) != 1:
            message = _("Give the deadline one way: working_days, hours or due_at.")
            raise serializers.ValidationError({name: [message] for name in given or ["due_at"]})
        if attrs.get("department") is None and attrs.get("assignee") is None:
            raise serializers.ValidationError(
                {"department": [_("Assign the task to a department or a person.")]}
            )
        return attrs


class TaskCompleteSerializer(serializers.Serializer[Any]):
    outcome = serializers.CharField(max_length=10_000, required=False, allow_blank=True)


class TaskCancelSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=10_000)


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "message", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class MarkReadSerializer(serializers.Serializer[Any]):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=1000,
        help_text="Notifications to mark read; leave out to mark all unread ones.",
    )


class MarkedSerializer(serializers.Serializer[Any]):
    marked = serializers.IntegerField()
