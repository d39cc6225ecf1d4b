"""The home page, and the small helpers every page view uses.

Helpers: `render_page` answers htmx requests with a partial and everything else with the whole
page; `apply_action_error` puts an action's refusal on the form fields it names; `page_of`
pages through lists of any size without counting every row.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

from gendan.accounts.models import User
from gendan.core.errors import ActionError, NotPermitted
from gendan.emergency.ordering import emergencies_only
from gendan.notifications.models import Notification
from gendan.orders.counters import status_counts
from gendan.orders.models import Order
from gendan.orders.status import OPEN_STATUSES, Status
from gendan.tasks.models import Task

# --- helpers for page views --------------------------------------------------------------


class AuthenticatedRequest(HttpRequest):
    """The request a view behind `login_required` receives: a signed-in user, htmx details."""

    user: User
    htmx: HtmxDetails


def is_partial(request: HttpRequest, target: str | None = None) -> bool:
    """Whether to answer with a fragment: an htmx request (aimed at `target`, if given) that is
    not htmx restoring its history (that needs the whole page)."""
    htmx = getattr(request, "htmx", None)
    if not htmx or htmx.history_restore_request:
        return False
    return target is None or htmx.target == target


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str | None = None,
    target: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render `partial` for htmx requests aimed at `target`, else the whole `template`."""
    chosen = partial if partial and is_partial(request, target) else template
    response = render(request, chosen, context, status=status)
    # The same URL answers with a fragment or a page: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def forbid_if_not_permitted(error: ActionError) -> None:
    """A `NotPermitted` refusal becomes the 403 page; other refusals are shown on the form."""
    if isinstance(error, NotPermitted):
        raise PermissionDenied(" ".join(error.messages)) from error


def apply_action_error(error: ActionError, *forms: BaseForm) -> None:
    """Show an action's refusal: field errors on the first form that has the field, the rest
    (and the general messages) as non-field errors of the first form."""
    main = forms[0]
    for name, messages in error.fields.items():
        holder = next((form for form in forms if name in form.fields), main)
        holder.add_error(name if name in holder.fields else None, list(messages))
    for message in error.messages:
        main.add_error(None, message)


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` address from the request if it points into this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@dataclass(frozen=True)
class Page:
    """One page of a list, with just enough to draw "previous / page N / next"."""

    rows: Sequence[Any]
    number: int
    per_page: int
    has_next: bool
    #: Rows matching in all, counted no further than `count_cap`; None when not counted
    #: (`page_of(count=False)`: the pager asks for it afterwards, see `count_of`).
    total: int | None
    count_cap: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def total_label(self) -> str:
        """The total as shown: "1,234", or "1,000+" beyond the cap ("" when not counted)."""
        return "" if self.total is None else total_label(self.total, self.count_cap)

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.rows)


def total_label(total: int, count_cap: int) -> str:
    """A count of rows as a list shows it: "1,234", or "1,000+" beyond `count_cap`."""
    return f"{min(total, count_cap):,}" + ("+" if total > count_cap else "")


def page_of(
    queryset: QuerySet[Any],
    request: HttpRequest,
    *,
    per_page: int = 50,
    count_cap: int = 10_000,
    param: str = "page",
    count: bool = True,
) -> Page:
    """The requested page of `queryset` in at most two queries whatever its size.

    Rows are fetched one beyond the page to know whether a next page exists; the total is
    known without counting on the last page and otherwise counted only up to `count_cap`
    (shown as "10,000+"), so a million orders cost no more than a hundred. With
    `count=False` a page that is not the last is not counted: the pager then loads the total
    in a second request (`count_of`), so the rows are not kept waiting for it.
    """
    number = page_number(request, param)
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    total: int | None
    if not has_next:
        total = offset + len(rows)  # the last page: no need to count
    elif offset + len(rows) >= count_cap:
        total = count_cap + 1
    elif not count:
        total = None
    else:
        total = count_of(queryset, count_cap)
    return Page(
        rows=rows,
        number=number,
        per_page=per_page,
        has_next=has_next,
        total=total,
        count_cap=count_cap,
    )


def page_number(request: HttpRequest, param: str = "page") -> int:
    """The page asked for in `param` (1 when missing or not a number)."""
    try:
        return max(1, int(request.GET.get(param, "1")))
    except ValueError:
        return 1


def count_of(queryset: QuerySet[Any], count_cap: int) -> int:
    """Rows of `queryset`, counted no further than one beyond `count_cap`."""
    return queryset.order_by().values("pk")[: count_cap + 1].count()


# --- pages -------------------------------------------------------------------------------

HOME_TASKS = 12
HOME_EMERGENCIES = 10
HOME_NOTIFICATIONS = 6


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """What needs the user now: their tasks, orders by status, emergencies, news."""
    user = request.user
    tasks = Task.objects.inbox_first(user, HOME_TASKS)
    inbox_count, overdue_count = Task.objects.inbox_counts(user)
    counts = status_counts(user)
    emergencies = list(
        emergencies_only(Order.objects.for_user(user).filter(status__in=OPEN_STATUSES))
        .select_related("customer", "clerk")
        .order_by("-created_at", "-id")[:HOME_EMERGENCIES]
    )
    notifications = list(Notification.objects.filter(user=user)[:HOME_NOTIFICATIONS])
    context = {
        "tasks": tasks,
        "inbox_count": inbox_count,
        "overdue_count": overdue_count,
        "status_counts": [(status, counts.get(status, 0)) for status in Status],
        "open_count": sum(counts.get(status, 0) for status in OPEN_STATUSES),
        "emergencies": emergencies,
        "notifications": notifications,
    }
    return render(request, "core/home.html", context)
