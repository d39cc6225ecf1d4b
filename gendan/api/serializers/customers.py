"""Customers with their contacts (contacts are read-only here)."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from gendan.api.permissions import may_rate_credit
from gendan.core.errors import NotPermitted
from gendan.customers.models import Contact, CreditRating, Customer

#: Fields only the sales head and management may set (I4: credit is their decision).
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
        read_only_fields = ["id", "created_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user = self.context["request"].user
        if not may_rate_credit(user):
            current = {
                "credit_limit": self.instance.credit_limit if self.instance else Decimal("0"),
                "credit_rating": self.instance.credit_rating if self.instance else CreditRating.NEW,
            }
            refused = [f for f in CREDIT_FIELDS if f in attrs and attrs[f] != current[f]]
            if refused:
                message = _("Only the sales head or management may set a customer's credit.")
                raise NotPermitted(fields={name: [message] for name in refused})
        return attrs
