"""Audit of master-data edits (K6): who changed a customer or product, when, before and after.

Master data is plain CRUD (ModelForms and serializers save it), so instead of an action per
model the saving code wraps the save:

    with audited(instance, user=request.user):
        form.save()

The block runs in a transaction; the entry is written only if the save succeeded and changed
something.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from gendan.ledger.models import Kind
from gendan.ledger.record import diff, record, shown

#: Fields never shown in the audit trail.
_SKIPPED = {"id", "password", "created_at", "updated_at", "last_login"}


def _concrete_fields(instance: models.Model) -> list[str]:
    return [
        f.name
        for f in instance._meta.concrete_fields
        if f.name not in _SKIPPED and not f.auto_created
    ]


def _values(instance: models.Model, names: list[str]) -> dict[str, Any]:
    """Field values as stored, so an unsaved Decimal("5") equals a loaded Decimal("5.00")."""
    values = {}
    for name in names:
        field = instance._meta.get_field(name)
        value = getattr(instance, name)
        if isinstance(field, models.DecimalField) and value is not None:
            value = Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places))
        values[name] = shown(value)
    return values


@contextmanager
def audited(instance: models.Model, *, user: Any) -> Iterator[None]:
    """Save `instance` inside the block; afterwards record what changed in the ledger."""
    names = _concrete_fields(instance)
    creating = instance.pk is None
    with transaction.atomic():
        before: dict[str, Any] = {}
        if not creating:
            stored = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
            before = _values(stored, names)
        yield
        if instance.pk is None:  # the block did not save
            return
        after = _values(instance, names)
        label = instance._meta.verbose_name
        if creating:
            record(
                kind=Kind.CREATED,
                subject=instance,
                actor=user,
                summary=_("%(model)s %(name)s created") % {"model": label, "name": instance},
                changes={k: [None, v] for k, v in after.items() if v not in (None, "")},
            )
            return
        changes = diff(before, after)
        if changes:
            fields = ", ".join(str(instance._meta.get_field(name).verbose_name) for name in changes)
            record(
                kind=Kind.CHANGED,
                subject=instance,
                actor=user,
                summary=_("%(model)s %(name)s edited: %(fields)s")
                % {"model": label, "name": instance, "fields": fields},
                changes=changes,
            )
