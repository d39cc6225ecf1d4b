"""Forms of the intake pages. They only parse input; the intake actions decide and record."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.intake.models import OrderType
from gendan.ledger.models import CommunicationChannel


class OrderTypeForm(forms.Form):
    order_type = forms.ModelChoiceField(
        label=_("Order type"), queryset=OrderType.objects.filter(is_active=True)
    )


class WrittenRecordForm(forms.Form):
    text = forms.CharField(
        label=_("What was agreed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Type in the order as the customer stated it, or upload the signed record."),
    )
    file = forms.FileField(label=_("Signed record (scan or photo)"), required=False)


class MarginConfirmForm(forms.Form):
    note = forms.CharField(
        label=_("Why the price is acceptable"), widget=forms.Textarea(attrs={"rows": 3})
    )


class NegotiationForm(forms.Form):
    reason = forms.CharField(
        label=_("What the customer must change or confirm"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    channel = forms.ChoiceField(
        label=_("Customer contacted by"),
        choices=[("", _("— not yet —")), *CommunicationChannel.choices],
        required=False,
    )
    counterpart = forms.CharField(label=_("With whom"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))


class ImportConfirmForm(forms.Form):
    valid_only = forms.BooleanField(required=False)
