from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.documents.models import Category


class UploadForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))
