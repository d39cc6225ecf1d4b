"""Customers with their contacts (contacts are read-only here)."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from gendan.customers.models import Contact, CreditRating, Customer

#: Set only by finance's credit assessment (`credit.actions.record_assessment`, I4), which
#: keeps the history; read-only here.
CREDIT_FIELDS = ("credit_limit", "credit_rating")


class ContactSerializer(serializers.ModelSerializer[Contact]):
    class Meta:
        model = Contact
        fields = ["id", "name", "title", "phone", "email", "is_primary"]
        read_only_fields = fields


class CustomerSerializer(serializers.ModelSerializer[Customer]):
    credit_rating_label = serializers.CharField(source="get_credit_rating_display", read_only=True)
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta:
        model = Customer
        fields = [
            "id",
            "code",
            "name",
            "region",
            "address",
            "credit_limit",
            "credit_rating",
            "credit_rating_label",
            "payment_terms",
            "is_key_account",
            "is_active",
            "notes",
            "created_at",
            "contacts",
        ]
        read_only_fields = ["id", "created_at", *CREDIT_FIELDS]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Credit fields are read-only: sending the current value back is fine (a PUT of what
        was read), asking for another one is a field error naming the credit assessment."""
        current = {
            "credit_limit": self.instance.credit_limit if self.instance else None,
            "credit_rating": self.instance.credit_rating if self.instance else CreditRating.NEW,
        }
        sent = getattr(self, "initial_data", {}) or {}
        refused = [
            name for name in CREDIT_FIELDS if name in sent and not _same(sent[name], current[name])
        ]
        if refused:
            message = _(
                "Credit limit and rating are set by finance through a credit assessment "
                "(the customer's credit file), not here."
            )
            raise serializers.ValidationError({name: [message] for name in refused})
        return attrs


def _same(sent: Any, current: Any) -> bool:
    """Whether a sent credit value equals the stored one (numbers compared as numbers)."""
    if current is None:  # a new customer: its limit starts at 0 until finance assesses it
        current = 0
    try:
        return Decimal(str(sent)) == Decimal(str(current))
    except (InvalidOperation, ValueError):
        return str(sent) == str(current)
