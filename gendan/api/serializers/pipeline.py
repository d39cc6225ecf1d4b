"""Input for performing a pipeline step."""

from typing import Any

from rest_framework import serializers


class TransitionRequestSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        max_length=10_000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why; required for steps whose `needs_reason` is true.",
    )
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="The `version` of the order you acted on (or send its ETag as If-Match).",
    )
