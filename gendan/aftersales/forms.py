"""Forms of the after-sales pages. Orders are named by number and looked up through the one
access door: an order the user may not see is "not found", like a wrong number."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.aftersales.models import CaseType, ServiceCase, Severity, Source, VisitMethod
from gendan.catalog.models import Product
from gendan.customers.models import Customer
from gendan.customers.picker import CustomerField, CustomerPicker
from gendan.orders.models import Order

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 3})


class _OrderField(forms.Form):
    """Shared: an optional order number resolved among the orders the user sees."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_order(self) -> Order | None:
        number = (self.cleaned_data.get("order") or "").strip()
        if not number:
            return None
        order = Order.objects.for_user(self.user).select_related("customer", "clerk")
        found = order.filter(number=number).first()
        if found is None:
            raise forms.ValidationError(
                _("No order %(number)s among those you can see.") % {"number": number}
            )
        return found


class CaseForm(_OrderField):
    order = forms.CharField(label=_("Order number"), required=False, max_length=40)
    customer = CustomerField(
        label=_("Customer"),
        queryset=Customer.objects.filter(is_active=True),
        required=False,
        help_text=_("Taken from the order when an order is given."),
        widget=CustomerPicker(attrs={"placeholder": _("Name or code")}, active_only=True),
    )
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.order_by("code"), required=False
    )
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)
    case_type = forms.ChoiceField(label=_("Type"), choices=CaseType.choices)
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=Severity.choices,
        help_text=_("Major and critical cases go to a cross-department meeting at once."),
    )
    title = forms.CharField(label=_("Problem"), max_length=200)
    description = forms.CharField(label=_("What the customer reports"), widget=TEXT)
    contact = forms.CharField(label=_("Customer's contact"), max_length=120, required=False)
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        required=False,
        help_text=_("Leave empty: the order's clerk (or you) takes the case."),
    )


class EscalateForm(forms.Form):
    note = forms.CharField(label=_("Why the other departments are needed"), widget=TEXT)


class MeetingForm(forms.Form):
    held_at = forms.DateTimeField(label=_("Held"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
    )
    discussion = forms.CharField(label=_("Discussion"), widget=TEXT)
    decisions = forms.CharField(label=_("Decisions, owners and dates"), widget=TEXT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("held_at", timezone.localtime())
        super().__init__(*args, **kwargs)


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Resolution"), widget=TEXT)
    root_cause = forms.CharField(
        label=_("Cause"), widget=TEXT, required=False, help_text=_("Required for major cases.")
    )
    corrective_action = forms.CharField(
        label=_("Corrective and preventive action"),
        widget=TEXT,
        required=False,
        help_text=_("Required for major cases."),
    )


class VisitForm(_OrderField):
    order = forms.CharField(label=_("Order number"), required=False, max_length=40)
    customer = CustomerField(
        label=_("Customer"),
        queryset=Customer.objects.filter(is_active=True),
        required=False,
        widget=CustomerPicker(attrs={"placeholder": _("Name or code")}, active_only=True),
    )
    case = forms.CharField(label=_("After-sales case number"), required=False, max_length=40)
    method = forms.ChoiceField(label=_("Method"), choices=VisitMethod.choices)
    visited_on = forms.DateField(label=_("Date"), widget=DATE)
    contact = forms.CharField(label=_("Spoke with"), max_length=120, required=False)
    satisfaction = forms.TypedChoiceField(
        label=_("Satisfaction"),
        coerce=int,
        choices=[(n, f"{n}") for n in range(5, 0, -1)],
        help_text=_("5 very satisfied … 1 very dissatisfied."),
    )
    feedback = forms.CharField(label=_("What the customer said"), widget=TEXT, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("visited_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_case(self) -> ServiceCase | None:
        number = (self.cleaned_data.get("case") or "").strip()
        if not number:
            return None
        found = ServiceCase.objects.for_user(self.user).filter(number=number).first()
        if found is None:
            raise forms.ValidationError(
                _("No case %(number)s among those you can see.") % {"number": number}
            )
        return found


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=DATE, required=False)
    date_to = forms.DateField(label=_("To"), widget=DATE, required=False)
