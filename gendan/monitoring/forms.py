from django import forms
from django.utils.translation import gettext_lazy as _


class ResolveNoticeForm(forms.Form):
    resolution = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("The cause and the corrective action taken."),
    )
