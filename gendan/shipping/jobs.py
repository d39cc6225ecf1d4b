"""Background jobs of shipping (enqueued periodically by `gendan worker`)."""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.orders.models import Order
from gendan.shipping import conf
from gendan.shipping.actions._common import sales_department
from gendan.shipping.actions.notice import NOTICE_STATUSES, NOTICE_TASK_KIND
from gendan.shipping.models import ShippingNotice
from gendan.tasks.models import Task
from gendan.workdays.calendar import add_working_days


def open_shipping_notice_tasks(*, today: dt.date | None = None) -> int:
    """Open the 发货通知 task for the clerk of every confirmed or running order whose delivery
    date (promised, else requested) is at most `GENDAN["SHIPPING_NOTICE_DAYS"]` working days
    away. Once per order: an order that has had such a task, or a shipping notice, gets none.
    Safe to run as often as wanted."""
    from gendan.tasks.actions import due_at_for, open_task

    today = today or timezone.localdate()
    horizon = add_working_days(today, conf.notice_days())
    due = (
        Order.objects.filter(status__in=NOTICE_STATUSES)
        .annotate(delivery_date=Coalesce(F("promised_date"), F("requested_date")))
        .filter(delivery_date__lte=horizon)
        .exclude(
            pk__in=Task.objects.filter(kind=NOTICE_TASK_KIND, order__isnull=False).values(
                "order_id"
            )
        )
        .exclude(pk__in=ShippingNotice.objects.values("order_id"))
        .order_by("delivery_date", "pk")
        .values_list("pk", flat=True)
    )
    opened = 0
    for pk in list(due):
        with transaction.atomic():
            order = Order.objects.select_for_update().select_related("clerk").get(pk=pk)
            if (
                order.status not in NOTICE_STATUSES
                or Task.objects.filter(order=order, kind=NOTICE_TASK_KIND).exists()
                or ShippingNotice.objects.filter(order=order).exists()
            ):
                continue  # another run got here first, or the order moved on
            delivery = order.promised_date or order.requested_date
            open_task(
                user=None,
                title=_(
                    "Issue the shipping notice (发货通知) for order %(number)s: delivery on %(day)s"
                )
                % {"number": order.number, "day": delivery.isoformat()},
                description=_("Tell logistics what to ship, when and where: %(place)s.")
                % {"place": order.delivery_place},
                due_at=due_at_for(working_days=conf.NOTICE_TASK_WORKING_DAYS),
                order=order,
                department=sales_department(),
                assignee=order.clerk,
                kind=NOTICE_TASK_KIND,
            )
            opened += 1
    return opened


@task()
def open_shipping_notices() -> int:
    """Periodic: open the shipping notice tasks that are due (see above)."""
    return open_shipping_notice_tasks()
