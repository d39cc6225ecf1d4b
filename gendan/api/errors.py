"""API error answers: every refusal becomes a 4xx with messages, never a 500.

Body shape, whatever the cause:

    {"detail": "one sentence for people", "errors": ["..."], "<field>": ["..."], ...}

`detail` is always there; `errors` lists general messages; field names carry field-level
messages (DRF's validation errors keep their usual `{"field": ["..."]}` shape plus `detail`).
"""

import logging
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from gendan.core.errors import ActionError

log = logging.getLogger(__name__)


class PreconditionFailed(exceptions.APIException):
    """If-Match named a version of the record that is no longer the current one."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    """A change to a versioned record came without the version it was made from."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"


class LockedOut(exceptions.APIException):
    """Too many failed sign-ins for this username from this address."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"
    #: Seconds until the lockout ends; sent as Retry-After.
    wait: float | None = None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ActionError):
        body: dict[str, Any] = {"detail": " ".join(exc.messages) or str(exc)}
        if exc.messages:
            body["errors"] = exc.messages
        body.update(exc.fields)
        set_rollback()
        return Response(body, status=exc.http_status)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, IntegrityError):
        log.warning("API request conflicted with a concurrent change: %s", exc)
        set_rollback()
        return Response(
            {
                "detail": _(
                    "Someone saved a conflicting change at the same moment. Reload and try again."
                )
            },
            status=status.HTTP_409_CONFLICT,
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" not in response.data:
        response.data = {"detail": _summary(response.data), **response.data}
    elif response is not None and isinstance(response.data, list):
        response.data = {"detail": " ".join(str(m) for m in response.data), "errors": response.data}
    return response


def _summary(fields: dict[str, Any]) -> str:
    general = fields.get("non_field_errors")
    if isinstance(general, list) and general:
        return " ".join(str(message) for message in general)
    names = ", ".join(sorted(fields))
    return _("Check these fields: %(fields)s.") % {"fields": names}
