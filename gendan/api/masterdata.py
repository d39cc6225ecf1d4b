"""Saving master data (customers, product lines, products) with its ledger entry.

Plain CRUD through serializers (no service layer), but every create and change leaves a
ledger row with the values before and after (K6), in the same transaction as the save.
"""

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _
from rest_framework import serializers

from gendan.ledger.models import Kind
from gendan.ledger.record import diff, record, snapshot


def _tracked_fields(serializer: serializers.ModelSerializer[Any]) -> list[str]:
    """The model fields this serializer writes (many-to-many and nested ones left out)."""
    model: type[models.Model] = serializer.Meta.model
    concrete = {f.name for f in model._meta.concrete_fields}
    return [
        name
        for name, field in serializer.fields.items()
        if not field.read_only and (field.source or name) in concrete
    ]


def create_with_ledger(serializer: serializers.ModelSerializer[Any], user: Any) -> models.Model:
    """Save a new master-data record and write its CREATED ledger entry."""
    fields = _tracked_fields(serializer)
    with transaction.atomic():
        obj = serializer.save()
        after = snapshot(obj, fields)
        record(
            subject=obj,
            kind=Kind.CREATED,
            actor=user,
            summary=_("%(what)s “%(name)s” created")
            % {"what": obj._meta.verbose_name, "name": obj},
            changes={name: [None, value] for name, value in after.items()},
        )
    return obj


def update_with_ledger(serializer: serializers.ModelSerializer[Any], user: Any) -> models.Model:
    """Save changes to a master-data record and write a CHANGED entry with before and after.

    Nothing is written to the ledger when no value actually changed.
    """
    fields = _tracked_fields(serializer)
    if serializer.instance is None:
        raise ValueError("update_with_ledger needs a serializer bound to a record")
    before = snapshot(serializer.instance, fields)
    with transaction.atomic():
        obj = serializer.save()
        changes = diff(before, snapshot(obj, fields))
        if changes:
            record(
                subject=obj,
                kind=Kind.CHANGED,
                actor=user,
                summary=_("%(what)s “%(name)s” edited: %(fields)s")
                % {
                    "what": obj._meta.verbose_name,
                    "name": obj,
                    "fields": ", ".join(
                        str(obj._meta.get_field(name).verbose_name) for name in changes
                    ),
                },
                changes=changes,
            )
    return obj
