"""Choosing one customer out of thousands: a text box that suggests names as the user types.

A `<select>` of every customer costs the page more than everything else on it (3,000 options,
bench/pages.py) and is hard to use. `CustomerField` takes a customer's code or exact name;
its `CustomerPicker` box asks `customers:suggest` for matching names (htmx, into a `<datalist>`)
while the user types.
"""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from gendan.customers.models import Customer

#: Suggestions offered at most for one text.
SUGGESTIONS = 15


def suggest_customers(text: str, customers: QuerySet[Customer] | None = None) -> list[Customer]:
    """Customers whose name contains `text` or whose code starts with it, active ones first."""
    text = text.strip()
    if not text:
        return []
    queryset = Customer.objects.all() if customers is None else customers
    matches = queryset.filter(Q(name__icontains=text) | Q(code__istartswith=text))
    return list(matches.only("code", "name").order_by("-is_active", "name")[:SUGGESTIONS])


class CustomerPicker(forms.TextInput):
    """A search box with a suggestion list filled by `customers:suggest` as the user types
    (only active customers with `active_only`)."""

    input_type = "search"

    def __init__(self, attrs: dict[str, Any] | None = None, *, active_only: bool = False) -> None:
        super().__init__(attrs)
        self.active_only = active_only

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        box_id = final_attrs.get("id") or f"id_{name}"
        options_id = f"{box_id}_options"
        final_attrs.update(
            {
                "type": self.input_type,
                "name": name,
                "id": box_id,
                "list": options_id,
                "autocomplete": "off",
                "hx-get": reverse("customers:suggest")
                + f"?field={name}"
                + ("&active=1" if self.active_only else ""),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{options_id}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
        if (shown := self.format_value(value)) is not None:
            final_attrs["value"] = shown
        return format_html(
            '<input{}><datalist id="{}"></datalist>', flatatt(final_attrs), options_id
        )


class CustomerField(forms.Field):
    """One customer, given by its code or its exact name (letter case ignored)."""

    widget = CustomerPicker
    default_error_messages = {
        "unknown": _("No customer has the code or name “%(text)s”. Pick one from the suggestions."),
        "ambiguous": _("Several customers are named “%(text)s”: enter the customer's code."),
    }

    def __init__(self, *, queryset: QuerySet[Customer] | None = None, **kwargs: Any) -> None:
        self.queryset = Customer.objects.all() if queryset is None else queryset
        #: The customer each text typed into this form's box was read as, so a code typed in
        #: is shown back as the customer's name (one per form: see `__deepcopy__`).
        self.found: dict[str, Customer] = {}
        super().__init__(**kwargs)

    def __deepcopy__(self, memo: dict[int, Any]) -> "CustomerField":
        copied = super().__deepcopy__(memo)
        copied.found = {}
        return copied

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip() in self.found:
            return self.found[value.strip()].name
        return value.name if isinstance(value, Customer) else value

    def to_python(self, value: Any) -> Customer | None:
        text = (value or "").strip()
        if not text:
            return None
        by_code = list(self.queryset.filter(code__iexact=text)[:1])
        if by_code:
            self.found[text] = by_code[0]
            return by_code[0]
        by_name = list(self.queryset.filter(name__iexact=text)[:2])
        if len(by_name) > 1:
            raise forms.ValidationError(
                self.error_messages["ambiguous"], code="ambiguous", params={"text": text}
            )
        if not by_name:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"text": text}
            )
        self.found[text] = by_name[0]
        return by_name[0]
