"""Forms of the shipping pages. They parse input; the actions decide.

Quantity fields are named `line_<position>` after the order line they are for, the same
names the actions use for their field errors.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.orders.models import OrderLine
from gendan.shipping.models import DiscrepancyKind, NoticeLine
from gendan.shipping.selectors import LineProgress, plain

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _quantity_field(label: str, initial: Decimal | None, help_text: str = "") -> forms.Field:
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=3,
        min_value=0,
        required=False,
        initial=plain(initial) if initial is not None else None,
        help_text=help_text,
    )


def _line_label(line: OrderLine) -> str:
    return f"{line.position}. {line.product.name} ({line.get_unit_display()})"


class LineQuantitiesMixin:
    """`line_<position>` fields, and the quantities entered by position."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def line_names(self) -> list[str]:
        return [name for name in self.fields if name.startswith("line_")]

    def quantities(self) -> dict[str, Decimal]:
        return {
            name: self.cleaned_data.get(name) or Decimal("0")
            for name in self.line_names()
            if self.cleaned_data.get(name)
        }


class NoticeForm(LineQuantitiesMixin, forms.Form):
    ship_on = forms.DateField(label=_("Ship on"), widget=DATE)
    delivery_place = forms.CharField(label=_("Delivery place"), max_length=300, required=False)
    consignee = forms.CharField(
        label=_("Consignee"),
        max_length=200,
        required=False,
        help_text=_("Who receives the goods, phone."),
    )
    notes = forms.CharField(
        label=_("Notes for logistics"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, progress: Iterable[LineProgress], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for p in progress:
            self.fields[f"line_{p.line.position}"] = _quantity_field(
                _line_label(p.line),
                p.to_notice,
                str(_("ordered %(ordered)s, shipped %(shipped)s, on open notices %(noticed)s"))
                % {
                    "ordered": plain(p.ordered),
                    "shipped": plain(p.shipped),
                    "noticed": plain(p.noticed),
                },
            )


class DispatchForm(LineQuantitiesMixin, forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=120)
    vehicle = forms.CharField(label=_("Vehicle"), max_length=60, help_text=_("Plate number."))
    driver = forms.CharField(
        label=_("Driver"), max_length=120, required=False, help_text=_("Name and phone.")
    )
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=80, required=False)
    packaging = forms.CharField(
        label=_("Packaging"), max_length=200, help_text=_("E.g. rolls wrapped, on pallets.")
    )
    packages = forms.IntegerField(label=_("Packages"), min_value=0, initial=0)
    documents = forms.CharField(
        label=_("Other documents with the goods"),
        max_length=300,
        required=False,
        help_text=_("The certificate of conformity and the delivery note are printed for you."),
    )
    shipped_at = forms.DateTimeField(label=_("Left at"), widget=DATETIME, required=False)
    checked = forms.BooleanField(
        label=_("Goods checked against the notice: name, specification, quantity"),
        required=False,
    )
    check_note = forms.CharField(
        label=_("Differences from the notice"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, notice_lines: Iterable[NoticeLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for nl in notice_lines:
            self.fields[f"line_{nl.order_line.position}"] = _quantity_field(
                _line_label(nl.order_line),
                nl.quantity,
                str(_("on the notice: %(qty)s")) % {"qty": plain(nl.quantity)},
            )

    def clean_shipped_at(self) -> dt.datetime:
        value: dt.datetime | None = self.cleaned_data.get("shipped_at")
        return value or timezone.now()


class CancelNoticeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class SignOffForm(forms.Form):
    """The signed delivery note and up to three discrepancies noted on it."""

    signed_by_name = forms.CharField(label=_("Signed by (customer)"), max_length=120)
    signed_at = forms.DateTimeField(label=_("Signed at"), widget=DATETIME)
    received_on = forms.DateField(label=_("Received on"), widget=DATE, required=False)
    file = forms.FileField(label=_("Signed delivery note (scan or photo)"))
    remarks = forms.CharField(
        label=_("Customer's remarks"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    ROWS = 3

    def __init__(self, *args: Any, lines: Iterable[OrderLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        line_choices = [("", "—"), *((str(line.position), _line_label(line)) for line in lines)]
        for index in range(1, self.ROWS + 1):
            self.fields[f"d{index}_kind"] = forms.ChoiceField(
                label=_("Discrepancy %(n)d") % {"n": index},
                choices=[("", _("None")), *DiscrepancyKind.choices],
                required=False,
            )
            self.fields[f"d{index}_line"] = forms.ChoiceField(
                label=_("Line"), choices=line_choices, required=False
            )
            self.fields[f"d{index}_quantity"] = forms.DecimalField(
                label=_("Quantity affected"),
                max_digits=14,
                decimal_places=3,
                min_value=0,
                required=False,
            )
            self.fields[f"d{index}_description"] = forms.CharField(
                label=_("What is wrong"), required=False, max_length=2000
            )

    def discrepancies(self) -> list[dict[str, Any]]:
        rows = []
        for index in range(1, self.ROWS + 1):
            kind = self.cleaned_data.get(f"d{index}_kind")
            if not kind:
                continue
            rows.append(
                {
                    "kind": kind,
                    "line": self.cleaned_data.get(f"d{index}_line") or None,
                    "quantity": self.cleaned_data.get(f"d{index}_quantity"),
                    "description": self.cleaned_data.get(f"d{index}_description") or "",
                }
            )
        return rows


class DiscrepancyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DiscrepancyKind.choices)
    line = forms.ChoiceField(label=_("Line"), required=False)
    quantity = forms.DecimalField(
        label=_("Quantity affected"), max_digits=14, decimal_places=3, min_value=0, required=False
    )
    description = forms.CharField(
        label=_("What is wrong"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args: Any, lines: Iterable[OrderLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["line"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *((str(line.position), _line_label(line)) for line in lines)]


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("How it was resolved with the customer"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SettlementForm(forms.Form):
    note = forms.CharField(
        label=_("Note for finance"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReceiveSettlementForm(forms.Form):
    note = forms.CharField(
        label=_("Finance's note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
