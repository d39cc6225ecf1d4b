"""Optimistic concurrency for orders: which version of the order a change was made from.

A client proves it edited the current order either with the `version` it read (body) or with
the ETag from GET sent back as `If-Match`. Old version in the body → 409; old ETag → 412;
neither → 428. The action re-checks the version under the row lock, so a change that lands
between this check and the save is refused too.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from gendan.api.errors import PreconditionFailed, PreconditionRequired
from gendan.core.errors import StaleVersion
from gendan.orders.models import Order

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="The order's ETag from GET. Either this or `version` in the body is required.",
)


def changed_meanwhile(order: Order, yours: Any) -> str:
    return _(
        "Order %(number)s was changed by someone else since you read it (your copy: "
        "%(yours)s, now: version %(now)s). Reload it and redo your change."
    ) % {"number": order.number, "yours": yours, "now": order.version}


def expected_version(
    request: Request, order: Order, body_version: int | None, *, required: bool = True
) -> tuple[int | None, bool]:
    """The version the change was made from, and whether it came from If-Match."""
    header = request.headers.get("If-Match")
    if header is not None:
        version = _version_from_if_match(header, order)
        if version is None or version != order.version:
            raise PreconditionFailed(changed_meanwhile(order, header.strip()))
        if body_version is not None and body_version != version:
            raise StaleVersion(changed_meanwhile(order, f"version {body_version}"))
        return version, True
    if body_version is not None:
        if body_version != order.version:
            raise StaleVersion(changed_meanwhile(order, f"version {body_version}"))
        return body_version, False
    if required:
        raise PreconditionRequired(
            _(
                "Say which version of order %(number)s you changed: send its `version` in "
                "the body or its ETag in an If-Match header."
            )
            % {"number": order.number}
        )
    return None, False


def _version_from_if_match(header: str, order: Order) -> int | None:
    """The version named by a strong ETag in If-Match for this order (the current one if
    several are listed and one is current), or None when no tag names this order."""
    versions = []
    for tag in (part.strip() for part in header.split(",")):
        if tag.startswith("W/"):
            continue  # weak tags never match for changes (RFC 9110 §13.1.1)
        pk, _dash, version = tag.strip('"').partition("-")
        if pk == str(order.pk) and version.isdigit():
            versions.append(int(version))
    if order.version in versions:
        return order.version
    return versions[0] if versions else None


@contextmanager
def stale_answers_412(order: Order, version: int | None, from_header: bool) -> Iterator[None]:
    """Inside: a StaleVersion from the action (a change that landed after our check) answers
    412 when the version came from If-Match, 409 otherwise."""
    try:
        yield
    except StaleVersion as stale:
        if not from_header:
            raise
        current = Order.objects.get(pk=order.pk)
        raise PreconditionFailed(changed_meanwhile(current, f"version {version}")) from stale
