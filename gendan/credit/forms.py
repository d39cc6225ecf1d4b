"""Forms of the credit page. They only parse input; the credit actions decide and record."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.credit.models import DocumentKind, Invoice, ResolutionKind
from gendan.customers.models import CreditRating, Customer


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("File"))
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


class AssessmentForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Rating"), choices=[c for c in CreditRating.choices if c[0] != CreditRating.NEW]
    )
    limit = forms.DecimalField(
        label=_("Credit limit (CNY)"), max_digits=14, decimal_places=2, min_value=0
    )
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())
    notes = forms.CharField(
        label=_("Basis of the assessment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class InvoiceForm(forms.Form):
    number = forms.CharField(label=_("Invoice number"), max_length=40)
    amount = forms.DecimalField(
        label=_("Amount (CNY)"), max_digits=14, decimal_places=2, min_value=0.01
    )
    issue_date = forms.DateField(label=pgettext_lazy("invoice", "Issued"), widget=DateInput())
    due_date = forms.DateField(label=_("Due"), widget=DateInput())
    order = forms.CharField(label=_("Order number"), max_length=40, required=False)


class PaymentForm(forms.Form):
    invoice = forms.ModelChoiceField(label=_("Invoice"), queryset=Invoice.objects.none())
    amount = forms.DecimalField(
        label=_("Amount (CNY)"), max_digits=14, decimal_places=2, min_value=0.01
    )
    paid_on = forms.DateField(label=_("Received on"), widget=DateInput())
    reference = forms.CharField(label=_("Bank reference"), max_length=80, required=False)

    def __init__(self, *args: Any, customer: Customer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["invoice"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Invoice.objects.filter(customer=customer).unpaid()


class ResolutionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Received"), choices=ResolutionKind.choices)
    amount = forms.DecimalField(
        label=_("Amount (CNY)"), max_digits=14, decimal_places=2, min_value=0.01
    )
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    reference = forms.CharField(label=_("Reference"), max_length=120, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
