"""Idempotent creation: a POST retried with the same `Idempotency-Key` creates nothing twice.

How it works (once, for every creating endpoint, through the `idempotent` decorator):

1. A stored answer for (user, key) younger than `KEY_LIFETIME` is replayed: same status, same
   body, plus `Idempotent-Replayed: true`. The same key with a different method, path or body
   answers 422.
2. Otherwise the key row is inserted *first* inside the transaction that then runs the view,
   and the view's answer is saved in that row before the commit. The key is unique per user,
   so a concurrent duplicate's insert waits on the first transaction (PostgreSQL blocks on the
   unique index; SQLite serialises writers) and, once the first commits, fails; the duplicate
   then reads and replays the stored answer. Exactly one request creates.
3. An answer that is not a success (validation error, refused action) is not stored: its
   transaction rolls back, key included, so the client may correct the request and retry.

`purge_expired_keys()` deletes keys older than `KEY_LIFETIME`; the worker runs it hourly
(`gendan.api.jobs.purge_idempotency_keys` in `gendan.core.scheduler.SCHEDULE`).
"""

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from gendan.api.models import IdempotencyKey
from gendan.api.permissions import acting_user

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_LIFETIME = dt.timedelta(hours=24)
MAX_KEY_LENGTH = 255
#: Response headers kept with the stored answer and sent again on replay.
KEPT_HEADERS = ("Location", "ETag")

PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any unique string (e.g. a UUID) chosen by the client. A retry with the same key "
        "within 24 hours returns the first answer and creates nothing again; the same key with "
        "a different request answers 422."
    ),
)


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _(
        "This Idempotency-Key was already used for a different request. Use a new key for a "
        "new request; resend exactly the same request to get the first answer again."
    )
    default_code = "idempotency_key_reused"


View = Callable[..., Response]


def idempotent(handler: View) -> View:
    """Make a creating view method honour the `Idempotency-Key` header (see module doc)."""

    @functools.wraps(handler)
    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        raw = request.headers.get(HEADER)
        if raw is None:
            return handler(view, request, *args, **kwargs)
        key = _valid_key(raw)
        fingerprint = _fingerprint(request)
        user = acting_user(request)
        _forget_expired(user, key)
        stored = IdempotencyKey.objects.filter(user=user, key=key).first()
        if stored is not None:
            return _replay(stored, fingerprint)
        with transaction.atomic():
            claimed = _claim(user, key, fingerprint)
            if claimed is None:  # a concurrent duplicate committed first
                return _replay(IdempotencyKey.objects.get(user=user, key=key), fingerprint)
            response = handler(view, request, *args, **kwargs)
            if not status.is_success(response.status_code):
                transaction.set_rollback(True)
                return response
            _store(claimed, response)
            return response

    return extend_schema(parameters=[PARAMETER])(wrapper)


def purge_expired_keys(now: dt.datetime | None = None) -> int:
    """Delete stored answers older than `KEY_LIFETIME`; returns how many went."""
    cutoff = (now or timezone.now()) - KEY_LIFETIME
    deleted, _per_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _valid_key(raw: str) -> str:
    key = raw.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise exceptions.ValidationError(
            {
                HEADER: [
                    _("Send a key of 1 to %(max)d printable characters, e.g. a UUID.")
                    % {"max": MAX_KEY_LENGTH}
                ]
            }
        )
    return key


def _fingerprint(request: Request) -> str:
    """What makes two requests "the same": method, path and body (parsed, keys sorted)."""
    data = request.data  # a malformed body raises ParseError (400) here, before anything runs
    if hasattr(data, "lists"):
        data = {name: values for name, values in data.lists()}
    payload = json.dumps(
        [request.method, request.path, data], sort_keys=True, cls=DjangoJSONEncoder, default=str
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _forget_expired(user: Any, key: str) -> None:
    cutoff = timezone.now() - KEY_LIFETIME
    IdempotencyKey.objects.filter(user=user, key=key, created_at__lt=cutoff).delete()


def _claim(user: Any, key: str, fingerprint: str) -> IdempotencyKey | None:
    """Insert the key row, or None when another request holds the key (after it commits)."""
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(user=user, key=key, fingerprint=fingerprint)
    except IntegrityError:
        return None


def _store(claimed: IdempotencyKey, response: Response) -> None:
    claimed.status_code = response.status_code
    claimed.body = json.loads(JSONRenderer().render(response.data) or b"null")
    claimed.headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    claimed.save(update_fields=["status_code", "body", "headers"])


def _replay(stored: IdempotencyKey, fingerprint: str) -> Response:
    if stored.fingerprint != fingerprint:
        raise KeyReused()
    return Response(
        stored.body,
        status=stored.status_code,
        headers={**stored.headers, REPLAYED_HEADER: "true"},
    )
