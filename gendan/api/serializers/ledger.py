"""The follow-up ledger: entries (read), comments and communication records (write)."""

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from gendan.api.serializers.common import UserRefSerializer
from gendan.ledger.models import CommunicationChannel, LedgerEntry


class LedgerEntrySerializer(serializers.ModelSerializer[LedgerEntry]):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    actor = UserRefSerializer(read_only=True, allow_null=True)
    changes = serializers.DictField(
        child=serializers.ListField(), read_only=True, help_text='{"field": [before, after]}'
    )
    data = serializers.DictField(read_only=True)  # type: ignore[assignment]

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "at",
            "kind",
            "kind_label",
            "actor",
            "summary",
            "body",
            "changes",
            "data",
            "channel",
            "counterpart",
        ]
        read_only_fields = fields


class CommentSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=10_000, help_text="The comment; first line is shown.")


class CommunicationSerializer(serializers.Serializer[Any]):
    channel = serializers.ChoiceField(choices=CommunicationChannel.choices)
    counterpart = serializers.CharField(max_length=200, help_text="With whom (name, company).")
    summary = serializers.CharField(max_length=500)
    body = serializers.CharField(max_length=20_000, required=False, allow_blank=True, default="")
    occurred_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="When; defaults to now."
    )

    def validate_occurred_at(self, value: Any) -> Any:
        if value is not None and value > timezone.now() + dt.timedelta(minutes=5):
            raise serializers.ValidationError(
                _("A communication cannot be recorded in the future.")
            )
        return value
