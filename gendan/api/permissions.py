"""Who may call what in the API. Record visibility is the models' `for_user`; these add the
role rules for writes (auditors never write; master data has its own editors)."""

from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request

from gendan.accounts.models import Role, User
from gendan.catalog.permissions import can_edit_products
from gendan.orders.permissions import is_management, is_sales_head


def acting_user(request: Request) -> User:
    """The signed-in user of a request that passed `IsAuthenticated` (typed as such)."""
    return cast(User, request.user)


class ReadOnlyRolesCannotWrite(BasePermission):
    """Auditors (and any other read-only role) may read everything they see, change nothing."""

    message = _("Your role has read-only access: you cannot change anything.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS or not getattr(request.user, "is_read_only", True)


def may_edit_customers(user: Any) -> bool:
    """Clerks, the sales head and management keep the customer list."""
    return user.role == Role.CLERK or is_sales_head(user) or is_management(user)


def may_edit_catalog(user: Any) -> bool:
    """The same rule as the product pages (gendan.catalog.permissions)."""
    return can_edit_products(user)


class CustomerEditors(BasePermission):
    message = _("Only follow-up clerks, the sales head and management may change customers.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS or may_edit_customers(request.user)


class CatalogEditors(BasePermission):
    message = _("Only administrators and department heads may change product lines and products.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS or may_edit_catalog(request.user)


#: Every API view's permissions, unless it says otherwise.
STAFF = [IsAuthenticated, ReadOnlyRolesCannotWrite]
