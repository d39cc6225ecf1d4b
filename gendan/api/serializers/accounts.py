"""The signed-in user (`/me/`) and the token exchange."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from gendan.accounts.models import User
from gendan.api.serializers.common import DepartmentRefSerializer
from gendan.orders import permissions


class MeSerializer(serializers.ModelSerializer[User]):
    name = serializers.SerializerMethodField()
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    departments = DepartmentRefSerializer(many=True, read_only=True)
    read_only = serializers.BooleanField(  # type: ignore[assignment]
        source="is_read_only", read_only=True
    )
    sees_all_orders = serializers.BooleanField(source="sees_all", read_only=True)
    can_create_orders = serializers.SerializerMethodField()
    can_assign_clerks = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name",
            "email",
            "role",
            "role_label",
            "departments",
            "read_only",
            "sees_all_orders",
            "can_create_orders",
            "can_assign_clerks",
        ]
        read_only_fields = fields

    def get_name(self, user: User) -> str:
        return str(user)

    def get_can_create_orders(self, user: User) -> bool:
        return permissions.can_create_order(user)

    def get_can_assign_clerks(self, user: User) -> bool:
        return permissions.can_assign_clerk(user)


class TokenRequestSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150, label=_("username"))
    password = serializers.CharField(
        max_length=4096, trim_whitespace=False, write_only=True, label=_("password")
    )


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")
    user = MeSerializer()
