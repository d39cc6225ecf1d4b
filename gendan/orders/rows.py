"""The order list's rows, written in Python.

The list is the busiest page of the product and its 50 rows were most of its cost: the
template language resolves every variable, filter and tag of every cell anew (about 0.2 ms a
row). Here the labels, links and marks every row shares are worked out once per page and each
row is one `format_html` call (bench/pages.py). The markup is the one the list has always had;
`tests/web/test_order_list.py` pins it.
"""

from collections.abc import Iterable
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from gendan.core.templatetags.gendan import emergency_mark, money, status_badge
from gendan.orders.models import Order
from gendan.orders.status import OPEN_STATUSES, Channel, Priority

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
REFERENCE = '<span class="sub">{} {}</span>'
#: Placeholder turned into each order's number in the detail address (one `reverse` a page).
NUMBER_SLOT = "0-number-0"


def order_rows(orders: Iterable[Order]) -> SafeString:
    """`<tr>`s of the order list for `orders` (with `customer` and `clerk` selected)."""
    detail_url = reverse("orders:detail", args=[NUMBER_SLOT])
    channels = {value: str(label) for value, label in Channel.choices}
    mark = emergency_mark(Priority.EMERGENCY)
    reference_label = _("Ref.")
    today = timezone.localdate()
    rows = []
    for order in orders:
        emergency = order.priority == Priority.EMERGENCY
        late = order.requested_date < today and order.status in OPEN_STATUSES
        reference = order.customer_reference
        rows.append(
            format_html(
                ROW,
                row_class="is-emergency" if emergency else "",
                number=order.number,
                url=detail_url.replace(NUMBER_SLOT, quote(order.number)),
                mark=mark if emergency else "",
                customer=order.customer.name,
                reference=format_html(REFERENCE, reference_label, reference) if reference else "",
                badge=status_badge(order.status),
                clerk=str(order.clerk),
                channel=channels.get(order.channel, order.channel),
                overdue=" overdue" if late else "",
                requested=order.requested_date.isoformat(),
                amount=money(order.total_amount),
                registered=timezone.localtime(order.created_at).strftime("%Y-%m-%d %H:%M"),
            )
        )
    return mark_safe("".join(rows))
