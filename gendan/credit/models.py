"""Customer credit (I4): the credit file, assessments, receivables and what secures an order.

The customer's current limit and rating live on `customers.Customer` (an assessment writes
them there through `credit.actions.record_assessment`); this app keeps the evidence and the
history behind them, and the invoices and payments that show how the customer pays.
"""

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.customers.models import CreditRating, Customer

CENT = Decimal("0.01")


class CreditResult(models.TextChoices):
    """The outcome of the credit check for one order, with its badge colour."""

    PASS = "pass", _("Pass")
    NEEDS_GUARANTEE_OR_PREPAYMENT = "needs_cover", _("Needs guarantee or prepayment")
    BLOCKED = "blocked", _("Blocked")


RESULT_COLOURS: dict[str, str] = {
    CreditResult.PASS: "green",
    CreditResult.NEEDS_GUARANTEE_OR_PREPAYMENT: "amber",
    CreditResult.BLOCKED: "red",
}


class DocumentKind(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("Business licence")
    FINANCIAL_STATEMENTS = "financial_statements", _("Financial statements")
    BANK_REFERENCE = "bank_reference", _("Bank reference")
    TRADE_HISTORY = "trade_history", _("Trading history and references")
    OTHER = "other", _("Other")


#: What a new customer must hand in before credit is granted (seed 003: licence, finances).
REQUIRED_DOCUMENTS = (DocumentKind.BUSINESS_LICENCE, DocumentKind.FINANCIAL_STATEMENTS)


class CreditSettings(models.Model):
    """The credit rules' numbers, edited by an administrator (one row)."""

    grace_days = models.PositiveIntegerField(
        _("grace days"),
        default=5,
        help_text=_("An unpaid invoice counts as overdue only when it is more days late."),
    )
    block_days_late = models.PositiveIntegerField(
        _("block when an invoice is more than this many days late"), default=90
    )
    block_overdue_amount = models.DecimalField(
        _("block when the overdue amount reaches (CNY, 0 = never)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("500000"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    block_over_limit_pct = models.DecimalField(
        # xgettext:no-python-format
        _("block when the exposure exceeds the limit by more than (% of the limit)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("50"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))],
    )

    class Meta:
        verbose_name = _("credit settings")
        verbose_name_plural = _("credit settings")

    def __str__(self) -> str:
        return str(_("Credit settings"))

    @classmethod
    def load(cls) -> "CreditSettings":
        """The one settings row, created with the defaults on first use."""
        row, _created = cls.objects.get_or_create(pk=1)
        return row


def document_path(instance: "CreditDocument", filename: str) -> str:
    return f"credit/{instance.customer_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class CreditDocument(models.Model):
    """A document in the customer's credit file, e.g. the business licence (with its expiry)."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="credit_documents"
    )
    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["customer", "kind", "-uploaded_at"]
        verbose_name = _("credit document")
        verbose_name_plural = _("credit documents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.customer})"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_until is None or self.valid_until >= day


class CreditAssessment(models.Model):
    """One assessment of a customer's credit: rating and limit, by whom and when."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="credit_assessments"
    )
    rating = models.CharField(_("rating"), max_length=8, choices=CreditRating.choices)
    limit = models.DecimalField(
        _("credit limit (CNY)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessor"),
    )
    notes = models.TextField(_("basis of the assessment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["customer", "-assessed_on", "-id"]
        verbose_name = _("credit assessment")
        verbose_name_plural = _("credit assessments")

    def __str__(self) -> str:
        return f"{self.customer} {self.rating} {self.limit}"


class InvoiceQuerySet(models.QuerySet["Invoice"]):
    def unpaid(self) -> "InvoiceQuerySet":
        return self.filter(paid_amount__lt=F("amount"))

    def past_due(self, day: dt.date, grace_days: int = 0) -> "InvoiceQuerySet":
        """Unpaid invoices more than `grace_days` days past their due date on `day`."""
        return self.unpaid().filter(due_date__lt=day - dt.timedelta(days=grace_days))


class Invoice(models.Model):
    """A receivable: what the customer owes, and by when."""

    number = models.CharField(_("invoice number"), max_length=40, unique=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("customer")
    )
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="invoices",
        null=True,
        blank=True,
        verbose_name=_("order"),
    )
    amount = models.DecimalField(
        _("amount (CNY)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(CENT)],
    )
    issue_date = models.DateField(_("issued"))
    due_date = models.DateField(_("due"))
    #: Sum of the payments, kept by `record_payment` so that lists need no aggregate.
    paid_amount = models.DecimalField(
        _("paid (CNY)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[InvoiceQuerySet] = InvoiceQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["customer", "due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=F("issue_date")), name="invoice_due_after_issue"
            ),
            models.CheckConstraint(
                condition=Q(paid_amount__lte=F("amount")), name="invoice_not_overpaid"
            ),
        ]
        indexes = [models.Index(fields=["customer", "due_date"], name="invoice_customer_due")]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")

    def __str__(self) -> str:
        return self.number

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid_amount

    @property
    def is_settled(self) -> bool:
        return self.paid_amount >= self.amount

    def days_late(self, day: dt.date | None = None) -> int:
        """Days past the due date while unpaid (0 when paid or not yet due)."""
        if self.is_settled:
            return 0
        return max(((day or timezone.localdate()) - self.due_date).days, 0)


class Payment(models.Model):
    """A payment received against an invoice; an invoice may be paid in parts."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(
        _("amount (CNY)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(CENT)],
    )
    paid_on = models.DateField(_("received on"))
    reference = models.CharField(_("bank reference"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["invoice", "paid_on", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.invoice} {self.amount}"


class ResolutionKind(models.TextChoices):
    GUARANTEE = "guarantee", _("Guarantee received")
    PREPAYMENT = "prepayment", _("Prepayment received")


class CreditResolution(models.Model):
    """A guarantee or prepayment finance received to secure one order (I4 resolution)."""

    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, related_name="credit_resolutions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ResolutionKind.choices)
    amount = models.DecimalField(
        _("amount (CNY)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(CENT)],
    )
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "recorded_at", "id"]
        verbose_name = _("guarantee or prepayment")
        verbose_name_plural = _("guarantees and prepayments")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"
