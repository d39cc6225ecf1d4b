"""Documents kept per order (K2): category, file, checksum and how long it must be kept."""

import datetime as dt
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from gendan.accounts.models import User


class Category(models.TextChoices):
    """What a document is. Retention years are set per category (`RetentionPolicy`)."""

    CONTRACT = "contract", _("Contract")
    PURCHASE_CONTRACT = "purchase_contract", _("Purchase contract")
    WORK_ORDER = "work_order", _("Work order")
    INSPECTION_REPORT = "inspection_report", _("Inspection report")
    DELIVERY_LIST = "delivery_list", _("Delivery list")
    AFTERSALES_RECORD = "aftersales_record", _("After-sales record")
    MINUTES = "minutes", _("Minutes")
    REVIEW_REPORT = "review_report", _("Review report")
    CONFIRMATION = "confirmation", _("Order confirmation")
    FORM = "form", _("Form")
    CORRESPONDENCE = "correspondence", _("Correspondence")
    OTHER = "other", _("Other")


#: Years to keep each category when no `RetentionPolicy` row says otherwise. Contracts and
#: what proves them (minutes, confirmations) are kept as long as accounting records.
DEFAULT_RETENTION_YEARS: dict[str, int] = {
    Category.CONTRACT: 30,
    Category.PURCHASE_CONTRACT: 30,
    Category.CONFIRMATION: 30,
    Category.MINUTES: 10,
    Category.REVIEW_REPORT: 10,
    Category.INSPECTION_REPORT: 10,
    Category.DELIVERY_LIST: 10,
    Category.WORK_ORDER: 5,
    Category.AFTERSALES_RECORD: 5,
    Category.FORM: 5,
    Category.CORRESPONDENCE: 5,
    Category.OTHER: 3,
}


class RetentionPolicy(models.Model):
    """How many years documents of a category are kept (administrators edit these)."""

    category = models.CharField(_("category"), max_length=30, choices=Category.choices, unique=True)
    years = models.PositiveSmallIntegerField(_("years kept"))

    class Meta:
        ordering = ["category"]
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.years}"


def retention_years(category: str) -> int:
    row = RetentionPolicy.objects.filter(category=category).values_list("years", flat=True).first()
    return row if row is not None else DEFAULT_RETENTION_YEARS.get(category, 3)


def _upload_to(document: "Document", filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    stamp = timezone.localtime().strftime("%Y%m%d%H%M%S%f")
    return f"orders/{document.order.number}/{document.category}/{stamp}{suffix}"


class DocumentQuerySet(models.QuerySet["Document"]):
    def for_user(self, user: "User") -> "DocumentQuerySet":
        """Documents follow their order: whoever sees the order sees its documents (P3)."""
        from gendan.orders.models import Order

        return self.filter(order__in=Order.objects.for_user(user).values("pk"))

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise DocumentIsKept("documents are kept for their retention period and cannot be deleted")


class DocumentIsKept(Exception):
    """Raised on an attempt to delete a document through the ORM."""


class Document(models.Model):
    """A file kept with an order: uploaded (signed contract) or generated (printed form)."""

    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, related_name="documents", verbose_name=_("order")
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_upload_to, max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    #: What the document belongs to, as "app_label.model:pk" (e.g. a contract version).
    source = models.CharField(_("source"), max_length=80, blank=True, db_index=True)
    retain_until = models.DateField(_("keep until"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("filed by"),
    )
    created_at = models.DateTimeField(_("filed"), auto_now_add=True)

    objects: ClassVar[DocumentQuerySet] = DocumentQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["order", "category", "-created_at"]
        indexes = [models.Index(fields=["order", "category"], name="document_order_category")]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:download", args=[self.pk])

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise DocumentIsKept("documents are kept for their retention period and cannot be deleted")


def retain_until_for(category: str, on: dt.date | None = None) -> dt.date:
    on = on or timezone.localdate()
    years = retention_years(category)
    try:
        return on.replace(year=on.year + years)
    except ValueError:  # 29 February
        return on.replace(year=on.year + years, day=28)
