"""Writing to the ledger. Actions call these inside their transaction; nothing else writes."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from gendan.ledger.models import CommunicationChannel, Kind, LedgerEntry


def subject_of(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def shown(value: Any) -> Any:
    """A field value as it is kept in the ledger: JSON-safe and readable."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The readable values of `fields` on `obj`, to compare before and after a change."""
    return {name: shown(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before[k], after[k]] for k in after if before.get(k) != after[k]}


def record(
    *,
    kind: Kind,
    summary: str,
    actor: Any,
    order: Any = None,
    subject: models.Model | None = None,
    body: str = "",
    changes: dict[str, list[Any]] | None = None,
    data: dict[str, Any] | None = None,
    channel: CommunicationChannel | str = "",
    counterpart: str = "",
    at: dt.datetime | None = None,
) -> LedgerEntry:
    target = subject if subject is not None else order
    if target is None:
        raise ValueError("a ledger entry needs an order or a subject")
    entry = LedgerEntry(
        order=order,
        subject=subject_of(target),
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        summary=summary[:500],
        body=body,
        changes=changes or {},
        data=data or {},
        channel=channel,
        counterpart=counterpart,
    )
    if at is not None:
        entry.at = at
    entry.save()
    return entry


def record_step(
    step: str,
    order: Any,
    *,
    user: Any,
    summary: str,
    subject: Any,
    event: str,
    kind: Kind = Kind.CHANGED,
    body: str = "",
    changes: dict[str, list[Any]] | None = None,
    data: dict[str, Any] | None = None,
) -> LedgerEntry:
    """An execution step's entry on the order: `data` carries `{"step": step, "event": event}`
    so that the milestone view, the monitoring job and the scenario tests can find it."""
    return record(
        order=order,
        subject=subject,
        kind=kind,
        actor=user,
        summary=summary,
        body=body,
        changes=changes,
        data={"step": step, "event": event, **(data or {})},
    )
