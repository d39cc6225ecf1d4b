"""Forms of the quality pages. They parse input; the actions decide."""

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gendan.catalog.models import Product
from gendan.purchasing.models import Material
from gendan.quality.models import STANDARD_FIELDS, Disposition, InspectionStandard, Stage

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


# --- inspection standards ------------------------------------------------------------------


class StandardForm(forms.ModelForm):
    """A standard's fields as the API takes them; the model's `clean()` holds the rules
    (one item, material only on arrival, a tolerance, a characteristic once per item and
    stage). Active or not is changed by deactivating, not here."""

    class Meta:
        model = InspectionStandard
        fields = list(STANDARD_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance
        # Items no longer in use are offered only to the standards that already name them.
        product = cast(forms.ModelChoiceField, self.fields["product"])
        product.queryset = Product.objects.filter(
            Q(is_active=True) | Q(pk=current.product_id)
        ).order_by("code")
        material = cast(forms.ModelChoiceField, self.fields["material"])
        material.queryset = Material.objects.filter(
            Q(is_active=True) | Q(pk=current.material_id)
        ).order_by("code")
        product.help_text = _("A product, or else a purchased material.")


ACTIVE, INACTIVE, EVERY = "", "inactive", "all"


class StandardFilterForm(forms.Form):
    """The list's filters; no status means the active standards."""

    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=Product.objects.filter(inspection_standards__isnull=False)
        .distinct()
        .order_by("code"),
        required=False,
        empty_label=_("All products"),
    )
    grade = forms.ChoiceField(label=_("Grade"), required=False)
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("All stages")), *Stage.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(ACTIVE, _("Active")), (INACTIVE, _("Inactive")), (EVERY, _("All"))],
        required=False,
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Characteristic or material")}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grades = (
            Product.objects.filter(inspection_standards__isnull=False)
            .exclude(grade="")
            .values_list("grade", flat=True)
            .distinct()
            .order_by("grade")
        )
        grade = cast(forms.ChoiceField, self.fields["grade"])
        grade.choices = [("", _("All grades")), *((g, g) for g in grades)]
