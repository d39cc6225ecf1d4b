"""The order list's rows, written in Python.

The list is the busiest page of the product and its 50 rows were most of its cost: the
template language resolves every variable, filter and tag of every cell anew (about 0.2 ms a
row). Here the labels, links and marks every row shares are worked out once per page and each
row is one string format with every database text escaped (bench/pages.py). The markup is the
one the list has always had; `tests/web/test_order_list.py` pins it.
"""

from collections.abc import Iterable
from html import escape
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from gendan.core.templatetags.gendan import emergency_mark, money, status_badge
from gendan.orders.models import Order
from gendan.orders.status import OPEN_STATUSES, Channel, Priority, Status

ROW = (
    '<tr class="{row_class}" data-order="{number}">'
    '<td class="nowrap"><a class="number" href="{url}">{number}</a>{mark}</td>'
    "<td>{customer}{reference}</td>"
    "<td>{badge}</td>"
    '<td class="nowrap">{clerk}</td>'
    '<td class="hide-tablet nowrap">{channel}</td>'
    '<td class="nowrap{overdue}">{requested}</td>'
    '<td class="num">{amount}</td>'
    '<td class="hide-tablet nowrap muted">{registered}</td>'
    "</tr>"
)
REFERENCE = '<span class="sub">{label} {reference}</span>'
#: The columns the rows read (the list selects no others).
COLUMNS = (
    "number",
    "customer_reference",
    "channel",
    "status",
    "priority",
    "requested_date",
    "total_amount",
    "created_at",
    "customer__name",
    "clerk__username",
    "clerk__first_name",
    "clerk__last_name",
)
#: Placeholder turned into each order's number in the detail address (one `reverse` a page).
NUMBER_SLOT = "0-number-0"


def order_rows(orders: Iterable[Order]) -> SafeString:
    """`<tr>`s of the order list for `orders` (with `COLUMNS` selected).

    Every text from the database is escaped here (`escape`); labels and marks that every row
    shares are built once."""
    detail_url = reverse("orders:detail", args=[NUMBER_SLOT])
    channels = {value: escape(str(label)) for value, label in Channel.choices}
    badges: dict[str, SafeString] = {value: status_badge(value) for value in Status}
    mark = emergency_mark(Priority.EMERGENCY)
    reference_label = escape(_("Ref."))
    today = timezone.localdate()
    rows = []
    for order in orders:
        emergency = order.priority == Priority.EMERGENCY
        late = order.requested_date < today and order.status in OPEN_STATUSES
        number = escape(order.number)
        reference = order.customer_reference
        rows.append(
            ROW.format(
                row_class="is-emergency" if emergency else "",
                number=number,
                url=detail_url.replace(NUMBER_SLOT, quote(order.number)),
                mark=mark if emergency else "",
                customer=escape(order.customer.name),
                reference=(
                    REFERENCE.format(label=reference_label, reference=escape(reference))
                    if reference
                    else ""
                ),
                badge=badges.get(order.status) or status_badge(order.status),
                clerk=escape(str(order.clerk)),
                channel=channels.get(order.channel) or escape(order.channel),
                overdue=" overdue" if late else "",
                requested=order.requested_date.isoformat(),
                amount=money(order.total_amount),
                registered=timezone.localtime(order.created_at).strftime("%Y-%m-%d %H:%M"),
            )
        )
    return mark_safe("".join(rows))  # every value above is escaped or our own markup
