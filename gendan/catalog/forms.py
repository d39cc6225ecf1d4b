"""Product master data: plain ModelForms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.catalog.models import Product, ProductLine


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "code",
            "name",
            "line",
            "grade",
            "grammage",
            "width_mm",
            "specification",
            "unit",
            "list_price",
            "standard_cost",
            "is_active",
        ]


class ProductSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Code, name or grade")}),
    )
    line = forms.ModelChoiceField(
        label=_("Product line"),
        queryset=ProductLine.objects.all(),
        required=False,
        empty_label=_("All lines"),
    )
