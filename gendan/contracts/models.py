"""Contracts (C1), order confirmations (C2) and the allocation sheet 《订单分配表》 (E1)."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import Department
from gendan.reviews.models import RestrictedByOrder

#: The department whose members review contracts.
LEGAL_DEPARTMENT = "legal"


class ClauseCode(models.TextChoices):
    PRODUCT = "product", _("Product")
    SPECIFICATION = "specification", _("Specification")
    QUANTITY = "quantity", _("Quantity")
    PRICE = "price", _("Price")
    DELIVERY = "delivery", _("Delivery time and place")
    PAYMENT = "payment", _("Payment")
    QUALITY = "quality", _("Quality standard")
    LIABILITY = "liability", _("Liability for breach")
    OTHER = "other", _("Other clause")


#: Clauses every contract must hold (rulebook 003 §四(一)).
REQUIRED_CLAUSES: tuple[str, ...] = tuple(c for c in ClauseCode.values if c != ClauseCode.OTHER)


class ContractTemplate(models.Model):
    """A contract text with one clause per required subject; clause bodies are Django
    template text filled from the order (`{{ order.delivery_place }}`...)."""

    name = models.CharField(_("name"), max_length=120)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    title = models.CharField(_("contract title"), max_length=120)
    preamble = models.TextField(_("preamble"), blank=True)
    closing = models.TextField(_("closing"), blank=True)
    is_default = models.BooleanField(_("default for its language"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["language", "name"]
        verbose_name = _("contract template")
        verbose_name_plural = _("contract templates")

    def __str__(self) -> str:
        return self.name

    def missing_clauses(self) -> list[str]:
        present = set(self.clauses.values_list("code", flat=True))
        return [code for code in REQUIRED_CLAUSES if code not in present]


class TemplateClause(models.Model):
    template = models.ForeignKey(ContractTemplate, on_delete=models.CASCADE, related_name="clauses")
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.CharField(_("subject"), max_length=20, choices=ClauseCode.choices)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text (template)"))

    class Meta:
        ordering = ["template", "position"]
        verbose_name = _("template clause")
        verbose_name_plural = _("template clauses")

    def __str__(self) -> str:
        return self.title


class ContractState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    LEGAL_REVIEW = "legal_review", _("In legal review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested by legal")
    APPROVED = "approved", _("Approved by legal")
    SIGNED = "signed", _("Signed")


CONTRACT_STATE_COLOURS: dict[str, str] = {
    ContractState.DRAFT: "grey",
    ContractState.LEGAL_REVIEW: "blue",
    ContractState.CHANGES_REQUESTED: "amber",
    ContractState.APPROVED: "teal",
    ContractState.SIGNED: "green",
}


class Contract(models.Model):
    """The sales contract of an order: its versions, legal review and signed copy."""

    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="contract")
    number = models.CharField(_("contract number"), max_length=60, unique=True)
    template = models.ForeignKey(ContractTemplate, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"), max_length=20, choices=ContractState.choices, default=ContractState.DRAFT
    )
    legal_task = models.ForeignKey(
        "tasks.Task", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_version = models.ForeignKey(
        "ContractVersion", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    signed_document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    signed_at = models.DateTimeField(_("signed copy uploaded"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects: ClassVar[RestrictedByOrder] = RestrictedByOrder.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("contracts:contract", args=[self.order.number])

    @property
    def state_colour(self) -> str:
        return CONTRACT_STATE_COLOURS[self.state]

    @property
    def current_version(self) -> "ContractVersion":
        return self.versions.order_by("-number").first()  # type: ignore[return-value]


class ContractVersion(models.Model):
    """One version of the contract text. Versions are never changed, only added."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=120)
    preamble = models.TextField(_("preamble"), blank=True)
    #: [{"code": ..., "title": ..., "text": ...}] in the contract's order.
    clauses = models.JSONField(_("clauses"))
    closing = models.TextField(_("closing"), blank=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="contract_version_once")
        ]
        verbose_name = _("contract version")
        verbose_name_plural = _("contract versions")

    def __str__(self) -> str:
        return f"{self.contract} v{self.number}"

    def clause(self, code: str) -> str:
        return next((c["text"] for c in self.clauses if c["code"] == code), "")


class LegalComment(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(ContractVersion, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    clause = models.CharField(_("clause"), max_length=20, choices=ClauseCode.choices, blank=True)
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["contract", "created_at", "id"]
        verbose_name = _("legal comment")
        verbose_name_plural = _("legal comments")

    def __str__(self) -> str:
        return self.text[:60]


class OrderConfirmation(models.Model):
    """An order confirmation issued to the customer (C2): its PDF and where it was sent."""

    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="confirmations"
    )
    number = models.CharField(_("number"), max_length=60, unique=True)
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    emailed_to = models.CharField(_("e-mailed to"), max_length=254, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)

    objects: ClassVar[RestrictedByOrder] = RestrictedByOrder.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["order", "-issued_at"]
        verbose_name = _("order confirmation")
        verbose_name_plural = _("order confirmations")

    def __str__(self) -> str:
        return self.number


class AllocationState(models.TextChoices):
    DRAFT = "draft", _("Proposed")
    RELEASED = "released", _("Released to the departments")


class Allocation(models.Model):
    """The order allocation sheet 《订单分配表》 and its coordination meeting (E1)."""

    order = models.OneToOneField(
        "orders.Order", on_delete=models.CASCADE, related_name="allocation"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=AllocationState.choices, default=AllocationState.DRAFT
    )
    meeting_held_at = models.DateTimeField(_("coordination meeting"), null=True, blank=True)
    meeting_place = models.CharField(_("place"), max_length=200, blank=True)
    meeting_attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("attendees")
    )
    meeting_notes = models.TextField(_("what was agreed"), blank=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)

    objects: ClassVar[RestrictedByOrder] = RestrictedByOrder.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("allocation sheet")
        verbose_name_plural = _("allocation sheets")

    def __str__(self) -> str:
        return f"{self.order} allocation"

    def get_absolute_url(self) -> str:
        return reverse("contracts:allocation", args=[self.order.number])


class AllocationKind(models.TextChoices):
    PRODUCTION = "production", _("Production (by product line)")
    MATERIALS = "materials", _("Materials")
    QUALITY = "quality", _("Quality (whole order)")
    LOGISTICS = "logistics", _("Warehouse and delivery")
    OTHER = "other", _("Other")


class AllocationLine(models.Model):
    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("what"), max_length=20, choices=AllocationKind.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    scope = models.TextField(_("work allocated"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due"))
    task = models.OneToOneField(
        "tasks.Task",
        on_delete=models.PROTECT,
        related_name="allocation_line",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["allocation", "position"]
        verbose_name = _("allocation line")
        verbose_name_plural = _("allocation lines")

    def __str__(self) -> str:
        return f"{self.department}: {self.scope[:40]}"
