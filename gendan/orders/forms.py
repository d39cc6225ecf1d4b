"""Forms of the order pages: the list filter, the order with its lines, and the order page's
small forms (transition, comment, communication). Forms only parse input; the order actions
decide and record."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import Role, User
from gendan.catalog.models import Product
from gendan.core.widgets import QuickCheckboxes
from gendan.customers.models import Customer
from gendan.customers.picker import CustomerField, CustomerPicker
from gendan.emergency.ordering import emergency_first
from gendan.ledger.models import CommunicationChannel
from gendan.orders import permissions
from gendan.orders.actions import HEADER_FIELDS, LINE_FIELDS
from gendan.orders.models import Order, OrderLine
from gendan.orders.search import search_orders
from gendan.orders.status import Channel, Priority, Status


def clerk_choices() -> QuerySet[User]:
    """People who follow orders: clerks and heads still at work."""
    return User.objects.filter(is_active=True, role__in=[Role.CLERK, Role.HEAD]).order_by(
        "username"
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


# --- the order list ------------------------------------------------------------------------

#: Sort keys offered on the order list → ORDER BY. "-key" sorts descending.
SORTS: dict[str, tuple[str, ...]] = {
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "requested": ("requested_date", "id"),
    "-requested": ("-requested_date", "-id"),
    "number": ("number",),
    "-number": ("-number",),
    "amount": ("total_amount", "id"),
    "-amount": ("-total_amount", "-id"),
}
DEFAULT_SORT = "-created"


class OrderFilterForm(forms.Form):
    """The order list's filters, search and sort. Every field is optional."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Number, customer or reference")}
        ),
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        choices=Status.choices,
        required=False,
        widget=QuickCheckboxes,
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", _("Any")), *Priority.choices],
        required=False,
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[("", _("Any")), *Channel.choices],
        required=False,
    )
    clerk = forms.ModelChoiceField(
        label=_("Follow-up clerk"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Anyone"),
    )
    #: Thousands of customers: typed, with suggestions, rather than chosen from a list.
    customer = CustomerField(
        label=_("Customer"),
        required=False,
        widget=CustomerPicker(attrs={"placeholder": _("Name or code")}),
    )
    requested_from = forms.DateField(label=_("Requested from"), required=False, widget=DateInput())
    requested_to = forms.DateField(label=_("Requested until"), required=False, widget=DateInput())
    #: Set by the sortable column headings; kept in the form so filtering keeps the order.
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[(key, key) for key in SORTS],
        widget=forms.HiddenInput(attrs={"id": "sort-input"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clerk"].queryset = clerk_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("requested_from"), data.get("requested_to")
        if start and end and start > end:
            self.add_error("requested_to", _("The end of the range is before its start."))
        return data

    @property
    def sort_key(self) -> str:
        key = self.cleaned_data.get("sort") if hasattr(self, "cleaned_data") else None
        return key if key in SORTS else DEFAULT_SORT

    def apply(self, orders: QuerySet[Order]) -> QuerySet[Order]:
        """`orders` narrowed by the valid filters and sorted. Invalid fields are ignored."""
        return self.ordered(self.narrow(orders))

    def narrow(self, orders: QuerySet[Order]) -> QuerySet[Order]:
        """`orders` narrowed by the valid filters and the search (not sorted)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        if text := (data.get("q") or "").strip():
            orders = search_orders(orders, text)
        if statuses := data.get("status"):
            orders = orders.filter(status__in=statuses)
        for name in ("priority", "channel", "clerk", "customer"):
            if value := data.get(name):
                orders = orders.filter(**{name: value})
        if start := data.get("requested_from"):
            orders = orders.filter(requested_date__gte=start)
        if end := data.get("requested_to"):
            orders = orders.filter(requested_date__lte=end)
        return orders

    @property
    def emergencies_first(self) -> bool:
        """Whether the list is in its default order, emergencies first (U6), then the newest
        (a list of one priority is simply newest first)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not data.get("sort") and not data.get("priority")

    def ordered(self, orders: QuerySet[Order]) -> QuerySet[Order]:
        """`orders` in the chosen order: a sort key, or by default the newest first with
        emergencies on top."""
        if self.emergencies_first:
            return emergency_first(orders, *SORTS[DEFAULT_SORT])
        return orders.order_by(*SORTS[self.sort_key])


# --- registering and editing an order --------------------------------------------------------


class OrderForm(forms.ModelForm):
    """The order's header. The clerk field is only offered to users who may assign clerks."""

    #: The version of the order the user started editing from (edits only).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    #: Typed with suggestions (a list of thousands of customers helps nobody).
    customer = CustomerField(
        label=_("Customer"),
        widget=CustomerPicker(attrs={"placeholder": _("Name or code")}, active_only=True),
    )

    class Meta:
        model = Order
        fields = list(HEADER_FIELDS)
        widgets = {
            "requested_date": DateInput(),
            "promised_date": DateInput(),
            "quality_requirements": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: User, order: Order | None = None, **kwargs: Any) -> None:
        if order is not None:
            initial = forms.model_to_dict(order, fields=list(HEADER_FIELDS))
            initial["customer"] = order.customer  # shown by name
            initial["version"] = order.version
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.order = order
        customers = Customer.objects.filter(is_active=True)
        if order is not None:
            customers = Customer.objects.filter(Q(is_active=True) | Q(pk=order.customer_id))
        cast(CustomerField, self.fields["customer"]).queryset = customers
        if permissions.can_assign_clerk(user):
            self.fields["clerk"].queryset = clerk_choices()  # type: ignore[attr-defined]
            self.fields["clerk"].required = order is not None
            self.fields["clerk"].help_text = _("Leave empty to follow the order yourself.")
        else:
            del self.fields["clerk"]
        if order is None:
            del self.fields["version"]
        else:
            self.fields["version"].required = True

    def clean_version(self) -> int | None:
        """The version is sent back as it was; a tampered or missing one is a stale copy."""
        version: int | None = self.cleaned_data.get("version")
        return version

    def header(self) -> dict[str, Any]:
        """The cleaned header values for `create_order` / `update_order`."""
        return {name: self.cleaned_data[name] for name in HEADER_FIELDS if name in self.fields}


class ProductSelect(forms.Select):
    """A product list whose options carry the product's defaults for the line editor."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(name, value, *args, **kwargs)
        product = getattr(value, "instance", None)
        if isinstance(product, Product):
            option["attrs"].update(
                {
                    "data-grammage": product.grammage or "",
                    "data-width-mm": product.width_mm or "",
                    "data-unit": product.unit,
                    "data-unit-price": product.list_price,
                }
            )
        return option


class OrderLineForm(forms.ModelForm):
    class Meta:
        model = OrderLine
        fields = list(LINE_FIELDS)
        widgets = {
            "product": ProductSelect(attrs={"data-product-select": ""}),
            "specification": forms.TextInput(attrs={"placeholder": _("e.g. core 76 mm")}),
            "quantity": forms.NumberInput(attrs={"step": "any", "min": "0"}),
            "unit_price": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
            "tolerance_pct": forms.NumberInput(attrs={"step": "0.1", "min": "0"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tolerance_pct"].required = False
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("aria-label", str(field.label))
            field.widget.attrs.setdefault("class", f"line-{name}")

    def clean_tolerance_pct(self) -> Decimal:
        value: Decimal | None = self.cleaned_data.get("tolerance_pct")
        return value if value is not None else Decimal("3")

    def line(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in LINE_FIELDS}


class BaseOrderLineFormSet(forms.BaseFormSet):
    """The order's lines; at least one. The product list is read once for all rows."""

    default_error_messages = {"too_few_forms": _("Add at least one order line.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._products = Product.objects.filter(is_active=True).order_by("code")
        self._product_choices: list[Any] | None = None

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        form = super()._construct_form(i, **kwargs)  # type: ignore[misc]
        return self._with_shared_choices(form)

    @property
    def empty_form(self) -> forms.Form:
        return self._with_shared_choices(super().empty_form)

    def _with_shared_choices(self, form: forms.Form) -> forms.Form:
        field = cast(forms.ModelChoiceField, form.fields["product"])
        field.queryset = self._products
        if self._product_choices is None:
            self._product_choices = list(cast(Iterable[Any], field.choices))
        field.choices = self._product_choices
        return form

    def lines(self) -> list[dict[str, Any]]:
        """The cleaned lines to keep, in the order shown."""
        kept = self.initial_form_count()
        return [
            form.line()  # type: ignore[attr-defined]
            for index, form in enumerate(self.forms)
            if (index < kept or form.has_changed()) and not self._should_delete_form(form)  # type: ignore[attr-defined]
        ]


OrderLineFormSet = cast(
    type[BaseOrderLineFormSet],
    forms.formset_factory(
        OrderLineForm,
        formset=BaseOrderLineFormSet,
        extra=0,
        min_num=1,
        validate_min=True,
        can_delete=True,
        can_delete_extra=True,
    ),
)


def initial_lines(order: Order) -> list[dict[str, Any]]:
    """The order's current lines as initial data for the line formset."""
    return [
        {name: getattr(line, name if name != "product" else "product_id") for name in LINE_FIELDS}
        for line in order.lines.all()
    ]


# --- the order page's small forms ---------------------------------------------------------------


class TransitionForm(forms.Form):
    name = forms.CharField(max_length=40, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("Write a note for the ledger")}),
    )


class CommunicationForm(forms.Form):
    """A call, e-mail, meeting, visit or chat with the customer or a supplier (K3)."""

    channel = forms.ChoiceField(label=_("How"), choices=CommunicationChannel.choices)
    counterpart = forms.CharField(
        label=_("With whom"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Mr Wang, buyer at the customer")}),
    )
    summary = forms.CharField(label=_("Summary"), max_length=500)
    body = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    occurred_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Leave empty for now."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0))
