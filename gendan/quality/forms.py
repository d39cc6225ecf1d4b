"""Forms of the quality pages. They parse input; the actions decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.quality.models import Disposition, InspectionStandard

QTY = {"max_digits": 14, "decimal_places": 3, "required": False}


class InspectionForm(forms.Form):
    """One value per standard (`value_<id>`), the lot and, for a failure, what to quarantine."""

    quantity = forms.DecimalField(
        label=_("Lot quantity"),
        help_text=_("Leave empty for the whole lot."),
        min_value=0,
        **QTY,
    )
    quarantine_quantity = forms.DecimalField(
        label=_("Quantity to quarantine if it fails"),
        help_text=_("Leave empty to quarantine the whole lot."),
        min_value=0,
        **QTY,
    )
    nonconformity = forms.CharField(
        label=_("Nonconformity (if it fails)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(
        self,
        *args: Any,
        standards: list[InspectionStandard],
        with_quantity: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.standards = standards
        if not with_quantity:
            del self.fields["quantity"]
        for standard in reversed(standards):
            field = forms.DecimalField(
                label=f"{standard.characteristic} ({standard.limits_display})",
                help_text=" · ".join(x for x in (standard.method, standard.frequency) if x),
                max_digits=12,
                decimal_places=4,
            )
            field.widget.attrs["data-characteristic"] = standard.characteristic
            self.fields = {f"value_{standard.pk}": field, **self.fields}

    def values(self) -> dict[int, Any]:
        return {s.pk: self.cleaned_data[f"value_{s.pk}"] for s in self.standards}


class DecisionForm(forms.Form):
    disposition = forms.ChoiceField(label=_("Disposition"), choices=Disposition.choices)
    cause = forms.CharField(label=_("Cause"), widget=forms.Textarea(attrs={"rows": 2}))
    corrective_action = forms.CharField(
        label=_("Corrective action"), widget=forms.Textarea(attrs={"rows": 2})
    )
