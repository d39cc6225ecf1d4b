"""The after-sales analysis (A3): the most frequent problems by product and by customer, with
the satisfaction of their return visits, over a period. Aggregates in the database, through
the one access door; a few queries whatever the number of cases."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from gendan.aftersales.models import (
    ESCALATED_SEVERITIES,
    CaseStatus,
    CaseType,
    ReturnVisit,
    ServiceCase,
)

if TYPE_CHECKING:
    from gendan.accounts.models import User

TOP = 10


@dataclass(frozen=True)
class Analysis:
    date_from: dt.date
    date_to: dt.date
    cases: int
    major: int
    unresolved: int
    resolved_late: int
    visits: int
    satisfaction: Decimal | None
    by_type: list[dict[str, Any]]
    by_product: list[dict[str, Any]]
    by_customer: list[dict[str, Any]]


def _avg(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def analysis(user: "User", date_from: dt.date, date_to: dt.date) -> Analysis:
    """Cases reported and visits made from `date_from` to `date_to` (both included)."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    cases = ServiceCase.objects.for_user(user).filter(reported_at__gte=start, reported_at__lt=end)
    visits = ReturnVisit.objects.for_user(user).filter(
        visited_on__gte=date_from, visited_on__lte=date_to
    )
    major = Q(severity__in=ESCALATED_SEVERITIES)
    totals = cases.aggregate(
        cases=Count("pk"),
        major=Count("pk", filter=major),
        unresolved=Count("pk", filter=~Q(status=CaseStatus.RESOLVED)),
        late=Count("pk", filter=Q(resolved_at__gt=F("due_at"))),
    )
    visit_totals = visits.aggregate(visits=Count("pk"), satisfaction=Avg("satisfaction"))
    labels = dict(CaseType.choices)
    by_type = [
        {**row, "label": labels.get(row["case_type"], row["case_type"])}
        for row in cases.values("case_type").annotate(count=Count("pk")).order_by("-count")
    ]
    by_product: list[dict[str, Any]] = [
        dict(row)
        for row in cases.filter(product__isnull=False)
        .values("product_id", "product__code", "product__name")
        .annotate(count=Count("pk"), major=Count("pk", filter=major))
        .order_by("-count", "product__code")[:TOP]
    ]
    product_scores = dict(
        visits.filter(order__lines__product_id__in=[r["product_id"] for r in by_product])
        .values("order__lines__product_id")
        .annotate(avg=Avg("satisfaction"))
        .values_list("order__lines__product_id", "avg")
    )
    for row in by_product:
        row["satisfaction"] = _avg(product_scores.get(row["product_id"]))
        row["types"] = []
    product_types = (
        cases.filter(product_id__in=[r["product_id"] for r in by_product])
        .values("product_id", "case_type")
        .annotate(count=Count("pk"))
        .order_by("-count")
    )
    index = {row["product_id"]: row for row in by_product}
    for type_row in product_types:
        index[type_row["product_id"]]["types"].append(
            (labels.get(type_row["case_type"], type_row["case_type"]), type_row["count"])
        )
    by_customer: list[dict[str, Any]] = [
        dict(row)
        for row in cases.values("customer_id", "customer__code", "customer__name")
        .annotate(count=Count("pk"), major=Count("pk", filter=major))
        .order_by("-count", "customer__code")[:TOP]
    ]
    customer_scores = {
        row["customer_id"]: row
        for row in visits.filter(customer_id__in=[r["customer_id"] for r in by_customer])
        .values("customer_id")
        .annotate(avg=Avg("satisfaction"), visits=Count("pk"))
    }
    for row in by_customer:
        score: dict[str, Any] = dict(customer_scores.get(row["customer_id"], {}))
        row["satisfaction"] = _avg(score.get("avg"))
        row["visits"] = score.get("visits", 0)
    return Analysis(
        date_from=date_from,
        date_to=date_to,
        cases=totals["cases"],
        major=totals["major"],
        unresolved=totals["unresolved"],
        resolved_late=totals["late"],
        visits=visit_totals["visits"],
        satisfaction=_avg(visit_totals["satisfaction"]),
        by_type=by_type,
        by_product=by_product,
        by_customer=by_customer,
    )
