"""Forms of the emergency pages. Who may use which reason is the actions' rule; the form only
offers management's flag to management."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.emergency.models import Basis
from gendan.emergency.permissions import can_flag_for_key_customer

DATE = forms.DateInput(attrs={"type": "date"})


class IdentifyForm(forms.Form):
    basis = forms.ChoiceField(label=_("Why urgent"), choices=Basis.choices)
    required_date = forms.DateField(
        label=_("Date the customer requires"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty for the order's requested date."),
    )
    reason = forms.CharField(
        label=_("Reason for urgency"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None and not can_flag_for_key_customer(user):
            self.fields["basis"].choices = [  # type: ignore[attr-defined]
                (value, label) for value, label in Basis.choices if value != Basis.MANAGEMENT_FLAG
            ]


class ConfirmForm(forms.Form):
    confirmed_date = forms.DateField(
        label=_("Date confirmed"),
        widget=DATE,
        required=False,
        help_text=_("Only if the customer agreed on another date than the one required."),
    )
    note = forms.CharField(
        label=_("What the customer confirmed"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Specification, quantity, date and delivery place."),
    )


class ChooseForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.TextInput()
    )


class ProblemForm(forms.Form):
    text = forms.CharField(
        label=_("Problem"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class WeekForm(forms.Form):
    week = forms.DateField(label=_("Week of"), widget=DATE, required=False)
