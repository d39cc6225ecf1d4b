"""The supervision view (M3): overdue steps, missing records and open rectification notices.

Every section is a few rows plus a count capped at `COUNT_CAP` (shown as "1,000+"), read with
indexed queries through the one access door, so the page costs the same with a thousand
orders as with a million. A head sees the sections within their reach (their departments'
tasks and orders); management and auditors see everything.

Missing records are a registry too (`MISSING_RECORDS`): each is a function returning the
orders that lack a record they should have by now. Later steps add theirs (e.g. shipping's
delivery sign-off) with `register_missing_record`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gendan.monitoring.models import RectificationNotice
from gendan.orders.models import Order
from gendan.orders.status import Status

if TYPE_CHECKING:
    from gendan.accounts.models import User

#: Rows shown per section, and how far each section is counted.
ROWS = 10
COUNT_CAP = 1000


@dataclass(frozen=True)
class Section:
    code: str
    title: str | Promise
    rows: list[Any]
    count: int
    #: Where the whole list is, if it has a page of its own.
    more_url: str = ""

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def count_label(self) -> str:
        return f"{min(self.count, COUNT_CAP):,}" + ("+" if self.capped else "")


def _section(
    code: str, title: str | Promise, queryset: QuerySet[Any], more_url: str = ""
) -> Section:
    rows = list(queryset[: ROWS + 1])
    if len(rows) <= ROWS:
        count = len(rows)
    else:
        count = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
    return Section(code=code, title=title, rows=rows[:ROWS], count=count, more_url=more_url)


# --- missing records ------------------------------------------------------------------------

MissingRecord = Callable[[QuerySet[Order]], QuerySet[Order]]


@dataclass(frozen=True)
class MissingRecordCheck:
    code: str
    title: str | Promise
    orders: MissingRecord


MISSING_RECORDS: list[MissingRecordCheck] = []


def register_missing_record(
    code: str, title: str | Promise
) -> Callable[[MissingRecord], MissingRecord]:
    def add(function: MissingRecord) -> MissingRecord:
        MISSING_RECORDS.append(MissingRecordCheck(code, title, function))
        return function

    return add


@register_missing_record("no_production_plan", _("In execution without a production plan"))
def in_execution_without_plan(orders: QuerySet[Order]) -> QuerySet[Order]:
    from gendan.production.models import ProductionPlan

    plans = ProductionPlan.objects.filter(order=OuterRef("pk"))
    return orders.filter(status=Status.IN_EXECUTION).filter(~Exists(plans))


@register_missing_record(
    "no_delivery_note", _("Delivered or accepted without a signed delivery note on file")
)
def delivered_without_delivery_note(orders: QuerySet[Order]) -> QuerySet[Order]:
    from gendan.documents.models import Category, Document

    notes = Document.objects.filter(order=OuterRef("pk"), category=Category.DELIVERY_LIST)
    return orders.filter(status__in=[Status.DELIVERED, Status.ACCEPTED, Status.CLOSING]).filter(
        ~Exists(notes)
    )


# --- the page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Supervision:
    overdue: list[Section]
    missing: list[Section]
    notices: Section
    overdue_notices: Section


def supervision(user: "User") -> Supervision:
    from django.urls import reverse

    from gendan.production.models import WorkOrder
    from gendan.purchasing.models import PurchaseOrderLine
    from gendan.tasks.models import Task

    now = timezone.now()
    today = timezone.localdate(now)
    tasks = (
        Task.objects.for_user(user)
        .overdue()
        .select_related("order", "department", "assignee")
        .order_by("due_at", "id")
    )
    late_lines = (
        PurchaseOrderLine.objects.for_user(user)
        .late(today)
        .select_related("purchase_order__order", "purchase_order__supplier", "material")
        .order_by("expected_date", "id")
    )
    behind = (
        WorkOrder.objects.for_user(user)
        .behind_plan(now)
        .select_related("order", "work_centre", "owner")
        .order_by("planned_end", "id")
    )
    overdue = [
        _section("tasks", _("Overdue tasks"), tasks, reverse("tasks:list") + "?tab=overdue"),
        _section(
            "late_purchases", _("Late purchase orders"), late_lines, reverse("purchasing:late")
        ),
        _section("behind_plan", _("Work orders behind plan"), behind),
    ]
    visible_orders = Order.objects.for_user(user).select_related("customer", "clerk")
    missing = [
        _section(
            check.code, check.title, check.orders(visible_orders).order_by("-created_at", "-id")
        )
        for check in MISSING_RECORDS
    ]
    notices = (
        RectificationNotice.objects.for_user(user)
        .open()
        .select_related("order", "owner", "department")
        .order_by("due_at", "id")
    )
    list_url = reverse("monitoring:notices")
    return Supervision(
        overdue=overdue,
        missing=missing,
        notices=_section("notices", _("Open rectification notices"), notices, list_url),
        overdue_notices=_section(
            "overdue_notices",
            _("Rectification notices past their deadline"),
            notices.filter(due_at__lt=now),
            list_url + "?status=overdue",
        ),
    )
