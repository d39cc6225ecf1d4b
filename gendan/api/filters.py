"""Query filters for the API's lists (django-filter), and a stable ordering."""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.filters import OrderingFilter, SearchFilter

from gendan.customers.models import CreditRating, Customer
from gendan.notifications.models import Notification
from gendan.orders.models import Order
from gendan.orders.search import search_orders
from gendan.orders.status import OPEN_STATUSES, Channel, Priority, Status
from gendan.tasks.models import Task, TaskState


class IdFilter(django_filters.NumberFilter):
    """An integer id (a decimal such as 1.5 is refused with 400, not passed to the database)."""

    field_class = forms.IntegerField


class StableOrderingFilter(OrderingFilter):
    """Ordering that always ends with the primary key, so pages never repeat or skip rows."""

    def get_ordering(self, request: Any, queryset: QuerySet[Any], view: Any) -> list[str]:
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not any(term.lstrip("-") in ("pk", "id") for term in ordering):
            descending = bool(ordering) and ordering[0].startswith("-")
            ordering.append("-pk" if descending else "pk")
        return ordering


class OrderSearchFilter(SearchFilter):
    """`?search=`: the order list page's search (`gendan.orders.search`), which stays fast on
    a million orders; every word must be found in the number, customer name or reference."""

    search_description = _(  # type: ignore[assignment]
        "Words to find in the order number, the customer's name or the customer's reference "
        "(case-insensitive; numbers and references from 3 characters)."
    )

    def filter_queryset(self, request: Any, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        return search_orders(queryset, request.query_params.get(self.search_param, ""))


class OrderFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices,
        distinct=False,  # a plain column: DISTINCT would only slow a million-row list down
        help_text="One or more statuses: repeat the parameter (?status=draft&status=contract).",
    )
    open = django_filters.BooleanFilter(
        method="filter_open", help_text="true: not closed, rejected or cancelled; false: those."
    )
    priority = django_filters.ChoiceFilter(choices=Priority.choices)
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    clerk = IdFilter(field_name="clerk_id", help_text="Id of the follow-up clerk.")
    customer = IdFilter(field_name="customer_id", help_text="Id of the customer.")
    requested_from = django_filters.DateFilter(
        field_name="requested_date", lookup_expr="gte", help_text="Requested on or after."
    )
    requested_to = django_filters.DateFilter(
        field_name="requested_date", lookup_expr="lte", help_text="Requested on or before."
    )
    requested_before = django_filters.DateFilter(
        field_name="requested_date",
        lookup_expr="lt",
        help_text="Requested strictly before this date (with open=true: late or due orders).",
    )

    class Meta:
        model = Order
        fields: list[str] = []

    def filter_open(self, queryset: QuerySet[Order], name: str, value: bool) -> QuerySet[Order]:
        if value:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.exclude(status__in=OPEN_STATUSES)


class CustomerFilter(django_filters.FilterSet):
    is_active = django_filters.BooleanFilter()
    is_key_account = django_filters.BooleanFilter()
    credit_rating = django_filters.ChoiceFilter(choices=CreditRating.choices)
    region = django_filters.CharFilter()

    class Meta:
        model = Customer
        fields: list[str] = []


class TaskFilter(django_filters.FilterSet):
    mine = django_filters.BooleanFilter(
        method="filter_mine",
        help_text="true: my inbox (open tasks assigned to me or, for reviewers and heads, "
        "unassigned in my departments).",
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", help_text="true: open tasks past their deadline."
    )
    state = django_filters.ChoiceFilter(choices=TaskState.choices)
    order = django_filters.CharFilter(field_name="order__number", help_text="Order number.")
    department = django_filters.CharFilter(
        field_name="department__code", help_text="Department code, e.g. `technical`."
    )

    class Meta:
        model = Task
        fields: list[str] = []

    def filter_mine(self, queryset: QuerySet[Task], name: str, value: bool) -> QuerySet[Task]:
        inbox = Task.objects.inbox(self.request.user)
        return queryset & inbox if value else queryset.exclude(pk__in=inbox.values("pk"))

    def filter_overdue(self, queryset: QuerySet[Task], name: str, value: bool) -> QuerySet[Task]:
        late = {"state": TaskState.OPEN, "due_at__lt": timezone.now()}
        return queryset.filter(**late) if value else queryset.exclude(**late)


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", help_text="true: only unread ones."
    )

    class Meta:
        model = Notification
        fields: list[str] = []
