"""Emergency orders first in every queue (U6).

`emergency_first(queryset)` orders any queryset with emergencies on top, keeping the
queryset's own order (or the model's default) within each group: orders and tasks by their
own `priority`, records of an order (work orders, purchase orders) by `order__priority`.
"""

from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When

from gendan.orders.status import Priority


def emergency_rank(field: str = "priority") -> Case:
    """0 for emergency rows, 1 for the others, by the priority in `field`."""
    return Case(
        When(**{field: Priority.EMERGENCY}, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


def emergency_first[Q: QuerySet[Any]](queryset: Q, *fields: str, priority: str = "priority") -> Q:
    """`queryset` with emergency rows first, then by `fields` (default: its current order).

    `priority` names the priority field: "priority" for orders and tasks, "order__priority"
    for records of an order (work orders, purchase orders).
    """
    then: list[Any] = (
        list(fields) or list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    )
    return queryset.order_by(emergency_rank(priority).asc(), *then)


def emergencies_only[Q: QuerySet[Any]](queryset: Q, priority: str = "priority") -> Q:
    """Only the emergency rows of `queryset`, picked by the rank `emergency_first` sorts on.

    The same rows as filtering `priority` on emergency, but written so that an index that
    starts with that rank (the orders' emergency-first index) reads them newest first and
    stops at the page's last row, instead of sorting every open emergency.
    """
    return queryset.alias(_emergency_rank=emergency_rank(priority)).filter(_emergency_rank=0)
