"""Forms of the warehouse pages. They parse input; the actions decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.catalog.models import Product


class ReceiveForm(forms.Form):
    """What the warehouse clerk reads on the goods: checked against the work order."""

    product = forms.ModelChoiceField(
        label=_("Product on the label"), queryset=Product.objects.all()
    )
    specification = forms.CharField(
        label=_("Specification on the label"), max_length=300, required=False
    )
    quantity = forms.DecimalField(
        label=_("Quantity taken in"), max_digits=14, decimal_places=3, min_value=0
    )
    location = forms.CharField(label=_("Location"), max_length=60, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
