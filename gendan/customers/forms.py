"""Customer master data: plain ModelForms (no action layer for master-data CRUD)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.customers.models import Contact, Customer


class CustomerForm(forms.ModelForm):
    """The customer's master data. Credit limit and rating are not here: finance sets them with
    a credit assessment in the customer's credit file (`credit.actions.record_assessment`)."""

    class Meta:
        model = Customer
        fields = [
            "code",
            "name",
            "region",
            "address",
            "payment_terms",
            "is_key_account",
            "is_active",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


ContactFormSet = forms.inlineformset_factory(
    Customer,
    Contact,
    fields=["name", "title", "phone", "email", "is_primary"],
    extra=1,
    can_delete=True,
)


class CustomerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Code, name or region")}),
    )
