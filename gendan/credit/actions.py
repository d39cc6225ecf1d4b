"""Every change to credit data goes through these functions (web, API and CLI alike).

Each runs in one transaction, checks who may act, validates with field-level messages, saves
and writes the ledger: on the order when there is one, else on the customer's record.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import Blocked, NotPermitted
from gendan.credit import permissions
from gendan.credit.decision import decide
from gendan.credit.models import (
    CreditAssessment,
    CreditDocument,
    CreditResolution,
    DocumentKind,
    Invoice,
    Payment,
    ResolutionKind,
)
from gendan.credit.money import yuan
from gendan.customers.models import CreditRating, Customer
from gendan.ledger.models import Kind
from gendan.ledger.record import record
from gendan.orders.models import Order
from gendan.orders.status import FINAL_STATUSES
from gendan.tasks.models import TaskState

#: Task kind of the finance task opened when an order's credit needs finance (intake effects).
CREDIT_TASK_KIND = "credit_check"
#: Largest document accepted into the credit file.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_AMOUNT = Decimal("999999999999.99")


def _money(value: Any, name: str, errors: dict[str, list[str]], *, allow_zero: bool) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        errors[name] = [_("Enter an amount in yuan, e.g. 12500.00.")]
        return Decimal("0")
    if not amount.is_finite() or amount > MAX_AMOUNT:
        errors[name] = [_("Enter an amount in yuan, e.g. 12500.00.")]
    elif amount < 0 or (amount == 0 and not allow_zero):
        errors[name] = [_("The amount must be more than ¥0.")]
    return amount


def _not_future(day: dt.date | None, name: str, errors: dict[str, list[str]]) -> None:
    if day is None:
        errors[name] = [_("Enter the date.")]
    elif day > timezone.localdate():
        errors[name] = [_("This date lies in the future.")]


def upload_document(
    *,
    user: User,
    customer: Customer,
    kind: str,
    file: File,
    valid_until: dt.date | None = None,
    title: str = "",
    notes: str = "",
) -> CreditDocument:
    """Add a document (business licence, financial statements...) to the credit file."""
    if not permissions.can_add_documents(user):
        raise NotPermitted(_("Your role may not add documents to the credit file."))
    errors: dict[str, list[str]] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = [_("Choose which document this is.")]
    if file is None or not getattr(file, "name", ""):
        errors["file"] = [_("Choose the file to upload.")]
    elif (file.size or 0) > MAX_DOCUMENT_BYTES:
        errors["file"] = [_("The file is larger than 20 MB.")]
    if errors:
        raise Blocked(fields=errors)
    with transaction.atomic():
        doc = CreditDocument(
            customer=customer,
            kind=kind,
            title=title.strip()[:200],
            valid_until=valid_until,
            notes=notes.strip(),
            uploaded_by=user,
        )
        doc.file.save((file.name or "document").rsplit("/", 1)[-1][-120:], file, save=False)
        doc.save()
        validity = (
            _("valid until %(date)s") % {"date": valid_until}
            if valid_until
            else _("no expiry date")
        )
        record(
            kind=Kind.SYSTEM,
            subject=customer,
            actor=user,
            summary=_("Credit file of %(customer)s: %(document)s added (%(validity)s)")
            % {"customer": customer, "document": doc.get_kind_display(), "validity": validity},
            data={"credit_document": doc.pk, "kind": kind},
        )
    return doc


def record_assessment(
    *,
    user: User,
    customer: Customer,
    rating: str,
    limit: Any,
    assessed_on: dt.date | None = None,
    notes: str = "",
) -> CreditAssessment:
    """Assess a customer: the rating and limit become the customer's current ones."""
    if not permissions.can_manage_credit(user):
        raise NotPermitted(_("Only finance may assess a customer's credit."))
    errors: dict[str, list[str]] = {}
    if rating not in CreditRating.values or rating == CreditRating.NEW:
        errors["rating"] = [_("Choose a rating from A to D.")]
    amount = _money(limit, "limit", errors, allow_zero=True)
    assessed_on = assessed_on or timezone.localdate()
    _not_future(assessed_on, "assessed_on", errors)
    if errors:
        raise Blocked(fields=errors)
    with transaction.atomic():
        locked = Customer.objects.select_for_update().get(pk=customer.pk)
        before = {"credit_rating": locked.credit_rating, "credit_limit": str(locked.credit_limit)}
        assessment = CreditAssessment.objects.create(
            customer=locked,
            rating=rating,
            limit=amount,
            assessed_on=assessed_on,
            assessor=user,
            notes=notes.strip(),
        )
        locked.credit_rating = rating
        locked.credit_limit = amount
        locked.save(update_fields=["credit_rating", "credit_limit"])
        after = {"credit_rating": rating, "credit_limit": str(amount)}
        record(
            kind=Kind.CHANGED,
            subject=locked,
            actor=user,
            summary=_("Credit of %(customer)s assessed: rating %(rating)s, limit %(limit)s")
            % {"customer": locked, "rating": rating, "limit": yuan(amount)},
            body=assessment.notes,
            changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
            data={"credit_assessment": assessment.pk},
        )
        _finish_credit_tasks_cleared_by(locked, user)
    customer.credit_rating, customer.credit_limit = rating, amount
    return assessment


def _finish_credit_tasks_cleared_by(customer: Customer, user: User) -> None:
    """After an assessment: the customer's orders waiting on a credit task whose credit now
    passes need finance no more (a raised limit clears them as a prepayment would)."""
    waiting = (
        Order.objects.filter(
            customer=customer, tasks__kind=CREDIT_TASK_KIND, tasks__state=TaskState.OPEN
        )
        .exclude(status__in=FINAL_STATUSES)
        .distinct()
    )
    for order in waiting:
        decision = decide(order)
        if decision.cleared:
            _finish_credit_tasks(order, user, decision.summary)


def create_invoice(
    *,
    user: User,
    customer: Customer,
    number: str,
    amount: Any,
    issue_date: dt.date | None,
    due_date: dt.date | None,
    order: Order | None = None,
    notes: str = "",
) -> Invoice:
    """Register a receivable (an invoice sent to the customer)."""
    if not permissions.can_manage_credit(user):
        raise NotPermitted(_("Only finance may register invoices."))
    errors: dict[str, list[str]] = {}
    number = (number or "").strip()
    if not number:
        errors["number"] = [_("Enter the invoice number.")]
    elif len(number) > 40:
        errors["number"] = [_("An invoice number has at most 40 characters.")]
    elif Invoice.objects.filter(number=number).exists():
        errors["number"] = [_("Invoice %(number)s is already registered.") % {"number": number}]
    value = _money(amount, "amount", errors, allow_zero=False)
    _not_future(issue_date, "issue_date", errors)
    if due_date is None:
        errors["due_date"] = [_("Enter the due date.")]
    elif issue_date is not None and due_date < issue_date:
        errors["due_date"] = [_("The due date cannot be before the issue date.")]
    if order is not None and order.customer_id != customer.pk:
        errors["order"] = [
            _("Order %(number)s belongs to another customer.") % {"number": order.number}
        ]
    if errors:
        raise Blocked(fields=errors)
    assert issue_date is not None and due_date is not None  # checked above
    with transaction.atomic():
        invoice = Invoice.objects.create(
            number=number,
            customer=customer,
            order=order,
            amount=value,
            issue_date=issue_date,
            due_date=due_date,
            notes=notes.strip(),
            created_by=user,
        )
        record(
            kind=Kind.SYSTEM,
            order=order,
            subject=invoice if order is None else None,
            actor=user,
            summary=_("Invoice %(number)s to %(customer)s: %(amount)s, due %(due)s")
            % {
                "number": number,
                "customer": customer,
                "amount": yuan(value),
                "due": due_date,
            },
            data={"invoice": invoice.pk, "customer": customer.pk},
        )
    return invoice


def record_payment(
    *,
    user: User,
    invoice: Invoice,
    amount: Any,
    paid_on: dt.date | None,
    reference: str = "",
) -> Payment:
    """Record money received against an invoice (a part or the rest of it)."""
    if not permissions.can_manage_credit(user):
        raise NotPermitted(_("Only finance may record payments."))
    errors: dict[str, list[str]] = {}
    value = _money(amount, "amount", errors, allow_zero=False)
    _not_future(paid_on, "paid_on", errors)
    if errors:
        raise Blocked(fields=errors)
    assert paid_on is not None  # checked above
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if locked.is_settled:
            raise Blocked(_("Invoice %(number)s is already paid.") % {"number": locked.number})
        if value > locked.outstanding:
            raise Blocked(
                fields={
                    "amount": [
                        _("Only %(outstanding)s is still open on invoice %(number)s.")
                        % {"outstanding": yuan(locked.outstanding), "number": locked.number}
                    ]
                }
            )
        payment = Payment.objects.create(
            invoice=locked,
            amount=value,
            paid_on=paid_on,
            reference=reference.strip()[:80],
            recorded_by=user,
        )
        locked.paid_amount += value
        locked.save(update_fields=["paid_amount"])
        summary = (
            _("Invoice %(number)s paid in full (%(amount)s received on %(day)s)")
            if locked.is_settled
            else _("Invoice %(number)s: %(amount)s received on %(day)s, %(open)s still open")
        ) % {
            "number": locked.number,
            "amount": yuan(value),
            "day": paid_on,
            "open": yuan(locked.outstanding),
        }
        record(
            kind=Kind.SYSTEM,
            order=locked.order,
            subject=locked if locked.order_id is None else None,
            actor=user,
            summary=summary,
            data={"invoice": locked.pk, "payment": payment.pk},
        )
    invoice.paid_amount = locked.paid_amount
    return payment


def record_resolution(
    *,
    user: User,
    order: Order,
    kind: str,
    amount: Any,
    received_on: dt.date | None,
    reference: str = "",
    notes: str = "",
) -> CreditResolution:
    """Finance records a guarantee or prepayment received to secure the order's credit."""
    if not permissions.can_manage_credit(user):
        raise NotPermitted(_("Only finance may record guarantees and prepayments."))
    errors: dict[str, list[str]] = {}
    if kind not in ResolutionKind.values:
        errors["kind"] = [_("Choose guarantee or prepayment.")]
    value = _money(amount, "amount", errors, allow_zero=False)
    _not_future(received_on, "received_on", errors)
    if errors:
        raise Blocked(fields=errors)
    assert received_on is not None  # checked above
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status in FINAL_STATUSES:
            raise Blocked(
                _("Order %(number)s is %(status)s: nothing to secure any more.")
                % {"number": locked.number, "status": locked.get_status_display()}
            )
        resolution = CreditResolution.objects.create(
            order=locked,
            kind=kind,
            amount=value,
            received_on=received_on,
            reference=reference.strip()[:120],
            notes=notes.strip(),
            recorded_by=user,
        )
        decision = decide(locked)
        record(
            kind=Kind.SYSTEM,
            order=locked,
            actor=user,
            summary=_("%(kind)s: %(amount)s. %(outcome)s")
            % {
                "kind": resolution.get_kind_display(),
                "amount": yuan(value),
                "outcome": decision.summary,
            },
            body=resolution.notes,
            data={
                "credit_resolution": resolution.pk,
                "credit_result": decision.result.value,
                "cleared": decision.cleared,
            },
        )
        if decision.cleared:
            _finish_credit_tasks(locked, user, decision.summary)
    return resolution


def _finish_credit_tasks(order: Order, user: User, outcome: str) -> None:
    from gendan.tasks.actions import complete_task
    from gendan.tasks.models import Task

    for task in Task.objects.open().filter(order=order, kind=CREDIT_TASK_KIND):
        complete_task(task=task, user=user, outcome=outcome)
