"""The order list: filters, search, sort and pages, refreshed in place through htmx."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpResponse

from gendan.accounts.models import User
from gendan.core.views import (
    AuthenticatedRequest,
    count_of,
    page_number,
    page_of,
    render_page,
    total_label,
)
from gendan.intake.permissions import can_import
from gendan.orders import permissions
from gendan.orders.forms import OrderFilterForm
from gendan.orders.models import Order
from gendan.orders.rows import COLUMNS as ROW_COLUMNS
from gendan.orders.rows import order_rows
from gendan.tasks.models import Task

PER_PAGE = 50
#: Rows counted at most for "1–50 of N" (shown as "1,000+" beyond): counting further costs a
#: clerk's list hundreds of milliseconds on a million orders (bench/README.md). The count is
#: not part of the page: the pager asks for it once the rows are shown (`count=1`), as it
#: costs a busy clerk's search up to 13 ms, more than the rows.
COUNT_CAP = 1_000
#: Deepest row read from each alternative of the user's visibility (`listed_orders`); deeper
#: pages use the one condition of `for_user`.
BRANCH_DEPTH_CAP = 1_000
#: Tasks a user may hold for the alternatives to be read apart: the orders with a task are
#: sorted one by one (about 4 µs each), so a clerk with 1,300 tasks is better served by the
#: combined rule (bench/pages.py: 10 ms against 2 ms).
TASK_BRANCH_CAP = 200


@login_required
def order_list(request: AuthenticatedRequest) -> HttpResponse:
    """Orders the user may see. The filter form swaps only the table (#order-table) and pushes
    the address, so a filtered list can be bookmarked and shared."""
    form = OrderFilterForm(request.GET or None)
    form.is_valid()  # invalid fields are shown with their errors and otherwise ignored
    if request.GET.get("count"):  # the pager asking for the total (see `page_of`)
        visible = form.narrow(Order.objects.for_user(request.user))
        return HttpResponse(total_label(count_of(visible, COUNT_CAP), COUNT_CAP))
    depth = page_number(request) * PER_PAGE + 1
    page = page_of(
        listed_orders(request.user, form, depth).select_related("customer", "clerk"),
        request,
        per_page=PER_PAGE,
        count_cap=COUNT_CAP,
        count=False,
    )
    context = {
        "form": form,
        "page": page,
        "rows": order_rows(page.rows),
        "sort": form.sort_key,
        "can_create": permissions.can_create_order(request.user),
        "can_import": can_import(request.user),
    }
    return render_page(
        request,
        "orders/order_list.html",
        context,
        partial="orders/_order_table.html",
        target="order-table",
    )


def listed_orders(user: User, form: OrderFilterForm, depth: int) -> QuerySet[Order]:
    """The orders `user` sees, narrowed and sorted by `form`, correct for the first `depth`
    rows (those of the page asked for, and one more).

    In the default order on PostgreSQL, each alternative of the user's visibility (orders
    followed, orders with a task, orders routed to their departments) gives its own first
    `depth` orders, read from an index in that order (`order_clerk_emergency_recent`,
    `order_emergency_recent`), and the page is sorted from those few: otherwise a clerk who
    follows 2,000 of a million orders walks the newest-first index past every other clerk's
    (14 ms of a 27 ms page, bench/pages.py). The first `depth` rows of the whole list are
    among them, since each is among the first `depth` of its own alternative. A user who
    holds many tasks gets the combined rule (`TASK_BRANCH_CAP`).
    """
    branches = Order.objects.visibility(user) if user.is_active else None
    if (
        branches is None
        or connection.vendor != "postgresql"  # SQLite cannot sort and limit inside a UNION
        or not form.emergencies_first
        or depth > BRANCH_DEPTH_CAP
        or not holds_few_tasks(user)
    ):
        return form.apply(Order.objects.for_user(user)).only(*ROW_COLUMNS)
    narrowed = form.narrow(Order.objects.all())
    heads = [form.ordered(narrowed.filter(branch)).values("pk")[:depth] for branch in branches]
    return form.ordered(Order.objects.filter(pk__in=heads[0].union(*heads[1:]))).only(*ROW_COLUMNS)


def holds_few_tasks(user: User) -> bool:
    """Whether `user` holds at most `TASK_BRANCH_CAP` tasks (counted no further)."""
    held = Task.objects.filter(assignee=user).order_by().values("pk")[: TASK_BRANCH_CAP + 1]
    return held.count() <= TASK_BRANCH_CAP
