"""Forms of the purchasing pages. They parse input; the actions decide."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.purchasing.models import (
    IncidentKind,
    PurchaseOrder,
    Supplier,
)
from gendan.purchasing.planning import PurchasePlan

DATE = forms.DateInput(attrs={"type": "date"})


class ReceiveForm(forms.Form):
    quantity = forms.DecimalField(
        label=_("Quantity received"), max_digits=14, decimal_places=3, min_value=0
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE, initial=timezone.localdate)
    delivery_note = forms.CharField(
        label=_("Supplier's delivery note"), max_length=80, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ExpectedDateForm(forms.Form):
    expected_date = forms.DateField(label=_("New expected date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class IncidentForm(forms.Form):
    supplier = forms.ModelChoiceField(
        label=_("Supplier"), queryset=Supplier.objects.filter(is_active=True)
    )
    purchase_order = forms.ModelChoiceField(
        label=_("Purchase order"), queryset=PurchaseOrder.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        purchase_orders = self.fields["purchase_order"]
        assert isinstance(purchase_orders, forms.ModelChoiceField)
        purchase_orders.queryset = PurchaseOrder.objects.for_user(user).select_related("supplier")


class HandleIncidentForm(forms.Form):
    handling = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    resolve = forms.BooleanField(label=_("Resolved: close the incident"), required=False)


class EscalateForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the procurement head"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class CommitPlanForm(forms.Form):
    """One supplier choice per material to buy, the proposed supplier preselected."""

    def __init__(self, *args: Any, plan: PurchasePlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        for line in plan.lines_to_buy:
            choices = [
                (
                    c.supplier.pk,
                    f"{c.supplier.code} {c.supplier.name} · ¥{c.unit_price} · "
                    f"{c.lead_time_days}d · {c.score}",
                )
                for c in line.candidates
            ]
            self.fields[self.field_name(line.material.pk)] = forms.TypedChoiceField(
                label=str(line.material),
                choices=choices,
                coerce=int,
                empty_value=None,
                initial=line.proposed.supplier.pk if line.proposed else None,
                required=False,
            )

    @staticmethod
    def field_name(material_id: int) -> str:
        return f"supplier_{material_id}"

    def overrides(self) -> dict[int, Supplier]:
        """The suppliers chosen instead of the proposed ones, by material id."""
        chosen = {}
        for line in self.plan.lines_to_buy:
            supplier_id = self.cleaned_data.get(self.field_name(line.material.pk))
            if supplier_id and (line.proposed is None or supplier_id != line.proposed.supplier.pk):
                chosen[line.material.pk] = Supplier.objects.get(pk=supplier_id)
        return chosen
