"""The order list: filters, search, sort and pages, refreshed in place through htmx."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from gendan.core.views import (
    AuthenticatedRequest,
    count_of,
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

PER_PAGE = 50
#: Rows counted at most for "1–50 of N" (shown as "1,000+" beyond): counting further costs a
#: clerk's list hundreds of milliseconds on a million orders (bench/README.md). The count is
#: not part of the page: the pager asks for it once the rows are shown (`count=1`), as it
#: costs a busy clerk's search up to 13 ms, more than the rows.
COUNT_CAP = 1_000


@login_required
def order_list(request: AuthenticatedRequest) -> HttpResponse:
    """Orders the user may see. The filter form swaps only the table (#order-table) and pushes
    the address, so a filtered list can be bookmarked and shared."""
    form = OrderFilterForm(request.GET or None)
    form.is_valid()  # invalid fields are shown with their errors and otherwise ignored
    orders = form.apply(Order.objects.for_user(request.user))
    if request.GET.get("count"):  # the pager asking for the total (see `page_of`)
        return HttpResponse(total_label(count_of(orders, COUNT_CAP), COUNT_CAP))
    page = page_of(
        orders.select_related("customer", "clerk").only(*ROW_COLUMNS),
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
