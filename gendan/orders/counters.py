"""Orders by status without counting the orders table (home page, 1M orders).

The order actions call `moved`/`added` inside their transactions, so the counts commit or
roll back with the change itself. `rebuild` recomputes everything from the orders (after a bulk
load, or to check the counts: the test-suite compares both after random pipelines).
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, F, Q

from gendan.accounts.models import Role
from gendan.orders.models import Order, OrderRoute, StatusCount

if TYPE_CHECKING:
    from gendan.accounts.models import User

ALL = "all"


def clerk_scope(user_id: int) -> str:
    return f"clerk:{user_id}"


def department_scope(department_id: int) -> str:
    return f"dept:{department_id}"


def scopes_of(order: Order) -> list[str]:
    routes = OrderRoute.objects.filter(order=order).values_list("department_id", flat=True)
    return [ALL, clerk_scope(order.clerk_id), *(department_scope(d) for d in routes)]


def _apply(deltas: dict[tuple[str, str], int]) -> None:
    """Add each delta to its (scope, status) row, creating missing rows at zero.

    Rows are created and locked in one fixed order, (scope, status), so two transactions
    counting the same rows (e.g. opposite transitions of two orders) wait for each other in
    line instead of in a circle (a deadlock on PostgreSQL).
    """
    keys = sorted(key for key, delta in deltas.items() if delta)
    if not keys:
        return
    StatusCount.objects.bulk_create(
        [StatusCount(scope=scope, status=status, count=0) for scope, status in keys],
        ignore_conflicts=True,
    )
    wanted = Q()
    for scope, status in keys:
        wanted |= Q(scope=scope, status=status)
    rows = StatusCount.objects.select_for_update().filter(wanted).order_by("scope", "status")
    by_delta: dict[int, list[int]] = defaultdict(list)
    for pk, scope, status in rows.values_list("pk", "scope", "status"):
        by_delta[deltas[(scope, status)]].append(pk)
    for delta, pks in by_delta.items():
        StatusCount.objects.filter(pk__in=pks).update(count=F("count") + delta)


def _add(scopes: Iterable[str], status: str, delta: int) -> None:
    _apply({(scope, status): delta for scope in scopes})


def added(order: Order, scopes: Iterable[str] | None = None) -> None:
    """Count a new order in its status."""
    _add(scopes if scopes is not None else scopes_of(order), order.status, +1)


def added_in_status(status: str, scopes: Iterable[str]) -> None:
    """Count an existing order in new scopes (e.g. a new route) under its stored status."""
    _add(scopes, status, +1)


def moved(order: Order, *, source: str, target: str) -> None:
    """Move the order's count from one status to another in all its scopes."""
    if source == target:
        return
    scopes = scopes_of(order)
    _apply({**{(s, source): -1 for s in scopes}, **{(s, target): +1 for s in scopes}})


def clerk_changed(order: Order, *, previous_clerk_id: int) -> None:
    if previous_clerk_id == order.clerk_id:
        return
    _apply(
        {
            (clerk_scope(previous_clerk_id), order.status): -1,
            (clerk_scope(order.clerk_id), order.status): +1,
        }
    )


def status_counts(user: "User") -> dict[str, int]:
    """Orders by status for the user's own scope: everything for management and auditors, the
    orders they follow for clerks, their departments' orders for reviewers and heads."""
    if user.sees_all:
        scopes = [ALL]
    elif user.role in (Role.REVIEWER, Role.HEAD):
        scopes = [department_scope(d) for d in user.department_ids()]
    else:
        scopes = [clerk_scope(user.pk)]
    counts: Counter[str] = Counter()
    rows = StatusCount.objects.filter(scope__in=scopes, count__gt=0)
    for status, count in rows.values_list("status", "count"):
        counts[status] += count
    return dict(counts)


def computed_counts() -> dict[tuple[str, str], int]:
    """The counts recomputed from the orders themselves: {(scope, status): count}."""
    result: dict[tuple[str, str], int] = {}
    for row in Order.objects.values("status").annotate(n=Count("id")):
        result[(ALL, row["status"])] = row["n"]
    for row in Order.objects.values("clerk_id", "status").annotate(n=Count("id")):
        result[(clerk_scope(row["clerk_id"]), row["status"])] = row["n"]
    routes = OrderRoute.objects.values("department_id", "order__status").annotate(n=Count("id"))
    for row in routes:
        result[(department_scope(row["department_id"]), row["order__status"])] = row["n"]
    return result


def stored_counts() -> dict[tuple[str, str], int]:
    rows = StatusCount.objects.filter(count__gt=0).values_list("scope", "status", "count")
    return {(scope, status): count for scope, status, count in rows}


def rebuild() -> int:
    """Replace the stored counts with freshly computed ones; returns the number of rows."""
    fresh = computed_counts()
    with transaction.atomic():
        StatusCount.objects.all().delete()
        StatusCount.objects.bulk_create(
            StatusCount(scope=scope, status=status, count=n) for (scope, status), n in fresh.items()
        )
    return len(fresh)
