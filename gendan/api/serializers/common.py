"""Small shapes used across the API: references to users and departments, the error body."""

from typing import Any

from rest_framework import serializers

from gendan.accounts.models import Department, User


class UserRefSerializer(serializers.ModelSerializer[User]):
    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name"]
        read_only_fields = fields

    def get_name(self, user: User) -> str:
        return str(user)


class DepartmentRefSerializer(serializers.ModelSerializer[Department]):
    name = serializers.SerializerMethodField()

    class Meta:
        model = Department
        fields = ["id", "code", "name"]
        read_only_fields = fields

    def get_name(self, department: Department) -> str:
        return str(department)


class ErrorSerializer(serializers.Serializer[Any]):
    """Every 4xx answer: `detail` for people, `errors` and field names for specifics."""

    detail = serializers.CharField()
    errors = serializers.ListField(  # type: ignore[assignment]  # a field, not Serializer.errors
        child=serializers.CharField(), required=False
    )


def active_users() -> Any:
    return User.objects.filter(is_active=True)


def active_departments() -> Any:
    return Department.objects.filter(is_active=True)
