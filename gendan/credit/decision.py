"""The credit check (I4): where a customer stands, and what that means for one order.

`customer_position` adds up what the customer owes and has on order; `decide` applies the
rules of `CreditSettings` to an order and answers PASS, NEEDS_GUARANTEE_OR_PREPAYMENT or
BLOCKED with the reasons in words. A NEEDS answer is cleared by the guarantees and prepayments
finance records for the order (`CreditResolution`) once they reach the cover it asks for.

Exposure counts each open order (not closed, cancelled or rejected) for the part not yet
invoiced, plus every unpaid invoice, so an invoiced order is not counted twice.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.credit.models import (
    REQUIRED_DOCUMENTS,
    CreditAssessment,
    CreditDocument,
    CreditResolution,
    CreditResult,
    CreditSettings,
    Invoice,
)
from gendan.credit.money import yuan
from gendan.customers.models import CreditRating, Customer
from gendan.orders.status import FINAL_STATUSES

if TYPE_CHECKING:
    from gendan.orders.models import Order

ZERO = Decimal("0")
_MONEY = DecimalField(max_digits=16, decimal_places=2)
_SEVERITY = {
    CreditResult.PASS: 0,
    CreditResult.NEEDS_GUARANTEE_OR_PREPAYMENT: 1,
    CreditResult.BLOCKED: 2,
}


@dataclass(frozen=True)
class CustomerPosition:
    """What a customer owes and has on order today."""

    customer: Customer
    day: dt.date
    limit: Decimal
    rating: str
    has_assessment: bool
    #: Open orders, the part not yet invoiced.
    open_orders_amount: Decimal
    #: Unpaid invoices (due or not).
    receivables: Decimal
    #: Unpaid invoices more than the grace days late.
    overdue_amount: Decimal
    max_days_late: int
    #: Required documents that are missing or expired, in words.
    document_problems: list[str] = field(default_factory=list)

    @property
    def exposure(self) -> Decimal:
        return self.open_orders_amount + self.receivables

    @property
    def is_new_customer(self) -> bool:
        """Never assessed and no limit: judged by its documents, not its history."""
        return not self.has_assessment and self.limit <= ZERO

    @property
    def headroom(self) -> Decimal:
        return self.limit - self.exposure


def _open_orders_uninvoiced(customer: Customer) -> Decimal:
    from gendan.orders.models import Order

    invoiced = (
        Invoice.objects.filter(order=OuterRef("pk"))
        .values("order")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    remaining = (
        Order.objects.filter(customer=customer)
        .exclude(status__in=FINAL_STATUSES)
        .annotate(invoiced=Coalesce(Subquery(invoiced, output_field=_MONEY), Value(ZERO)))
        .annotate(
            remaining=Greatest(F("total_amount") - F("invoiced"), Value(ZERO), output_field=_MONEY)
        )
        .aggregate(total=Sum("remaining"))["total"]
    )
    return Decimal(remaining or 0)


def document_problems(customer: Customer, day: dt.date) -> list[str]:
    """Required credit documents the customer has not handed in, or whose validity ended."""
    latest: dict[str, CreditDocument] = {}
    for doc in CreditDocument.objects.filter(customer=customer, kind__in=REQUIRED_DOCUMENTS):
        current: CreditDocument | None = latest.get(doc.kind)
        if current is None or (doc.valid_until or dt.date.max) > (
            current.valid_until or dt.date.max
        ):
            latest[doc.kind] = doc
    problems = []
    for kind in REQUIRED_DOCUMENTS:
        found = latest.get(kind)
        if found is None:
            problems.append(_("%(document)s is missing") % {"document": kind.label})
        elif not found.is_valid_on(day):
            problems.append(
                _("%(document)s expired on %(date)s")
                % {"document": kind.label, "date": found.valid_until}
            )
    return problems


def customer_position(
    customer: Customer, *, day: dt.date | None = None, rules: CreditSettings | None = None
) -> CustomerPosition:
    day = day or timezone.localdate()
    rules = rules or CreditSettings.load()
    unpaid = Invoice.objects.filter(customer=customer).unpaid()
    receivables = unpaid.aggregate(total=Sum(F("amount") - F("paid_amount")))["total"] or ZERO
    overdue_amount = ZERO
    max_days_late = 0
    for amount, paid, due in unpaid.past_due(day, rules.grace_days).values_list(
        "amount", "paid_amount", "due_date"
    ):
        overdue_amount += amount - paid
        max_days_late = max(max_days_late, (day - due).days)
    return CustomerPosition(
        customer=customer,
        day=day,
        limit=customer.credit_limit,
        rating=customer.credit_rating,
        has_assessment=CreditAssessment.objects.filter(customer=customer).exists(),
        open_orders_amount=_open_orders_uninvoiced(customer),
        receivables=Decimal(receivables),
        overdue_amount=overdue_amount,
        max_days_late=max_days_late,
        document_problems=document_problems(customer, day),
    )


@dataclass(frozen=True)
class CreditDecision:
    """The credit check's answer for one order."""

    result: CreditResult
    reasons: list[str]
    position: CustomerPosition
    order_amount: Decimal
    #: What guarantees/prepayments must reach for a NEEDS answer to be cleared.
    required_cover: Decimal
    cover_received: Decimal

    @property
    def resolved(self) -> bool:
        return (
            self.result == CreditResult.NEEDS_GUARANTEE_OR_PREPAYMENT
            and self.cover_received >= self.required_cover
        )

    @property
    def cleared(self) -> bool:
        """Whether the order may pass intake review as far as credit goes."""
        return self.result == CreditResult.PASS or self.resolved

    @property
    def missing_cover(self) -> Decimal:
        return max(self.required_cover - self.cover_received, ZERO)

    @property
    def summary(self) -> str:
        """One sentence for lists, guards and the ledger."""
        reasons = "; ".join(self.reasons)
        if self.result == CreditResult.PASS:
            return _("Credit check passed.")
        if self.result == CreditResult.BLOCKED:
            return _("Credit check blocks the order: %(reasons)s.") % {"reasons": reasons}
        if self.resolved:
            return _("Credit secured: %(received)s received (needed %(needed)s).") % {
                "received": yuan(self.cover_received),
                "needed": yuan(self.required_cover),
            }
        return _("Credit check needs a guarantee or prepayment of %(missing)s: %(reasons)s.") % {
            "missing": yuan(self.missing_cover),
            "reasons": reasons,
        }


def decide(order: "Order", *, day: dt.date | None = None) -> CreditDecision:
    """Apply the credit rules to `order` (whose amount counts in the exposure while open)."""
    rules = CreditSettings.load()
    position = customer_position(order.customer, day=day, rules=rules)
    amount = order.total_amount
    exposure = position.exposure
    if order.status in FINAL_STATUSES:  # a closed order no longer weighs on the exposure
        exposure += amount
    findings: list[tuple[CreditResult, str, Decimal]] = []

    def needs(reason: str, cover: Decimal) -> None:
        findings.append((CreditResult.NEEDS_GUARANTEE_OR_PREPAYMENT, reason, cover))

    def blocks(reason: str) -> None:
        findings.append((CreditResult.BLOCKED, reason, ZERO))

    if position.is_new_customer:
        reason = _("%(customer)s is a new customer without a credit assessment") % {
            "customer": order.customer
        }
        if position.document_problems:
            reason += " (" + ", ".join(position.document_problems) + ")"
        needs(reason, amount)
    elif position.rating == CreditRating.D:
        needs(_("Rating D allows cash business only"), amount)
    elif position.limit <= ZERO:
        needs(_("The credit limit is ¥0"), amount)

    if position.overdue_amount > ZERO:
        late = _("%(amount)s overdue for %(days)d days") % {
            "amount": yuan(position.overdue_amount),
            "days": position.max_days_late,
        }
        too_late = position.max_days_late > rules.block_days_late
        too_much = ZERO < rules.block_overdue_amount <= position.overdue_amount
        if too_late:
            blocks(
                late
                + _(" (more than %(days)d days late blocks new orders)")
                % {"days": rules.block_days_late}
            )
        elif too_much:
            blocks(
                late
                + _(" (%(amount)s or more overdue blocks new orders)")
                % {"amount": yuan(rules.block_overdue_amount)}
            )
        else:
            needs(late, amount)

    if position.limit > ZERO and exposure > position.limit:
        excess = exposure - position.limit
        reason = _(
            "Exposure %(exposure)s would exceed the credit limit %(limit)s by %(excess)s"
        ) % {"exposure": yuan(exposure), "limit": yuan(position.limit), "excess": yuan(excess)}
        if excess > position.limit * rules.block_over_limit_pct / 100:
            blocks(
                reason
                + _(" (more than %(pct)s%% over the limit blocks new orders)")
                % {"pct": f"{rules.block_over_limit_pct.normalize():f}"}
            )
        else:
            needs(reason, excess)

    result = max(
        (kind for kind, _reason, _cover in findings),
        key=_SEVERITY.__getitem__,
        default=CreditResult.PASS,
    )
    received = CreditResolution.objects.filter(order=order).aggregate(total=Sum("amount"))["total"]
    return CreditDecision(
        result=CreditResult(result),
        reasons=[reason for _kind, reason, _cover in findings],
        position=position,
        order_amount=amount,
        required_cover=max((cover for _k, _r, cover in findings), default=ZERO),
        cover_received=Decimal(received or 0),
    )
