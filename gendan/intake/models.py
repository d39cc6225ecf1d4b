"""Intake (I1, I3, I5 to I7): what the sales office needs to take an order in.

The order itself lives in `orders`; this app keeps intake's own data beside it: the order's
type and its written record (`OrderIntake`), the revisions kept at each submit, the settings
and master data the checks read (order types, cost breakdowns, line capacities), Excel import
batches and the web shop's SKU mapping.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.catalog.models import Product, ProductLine
from gendan.orders.models import Order
from gendan.orders.status import Channel

HUNDRED = Decimal("100")


class Requirement(models.TextChoices):
    """What an order type may require (I3). `line.*` items are checked on every line."""

    CUSTOMER_REFERENCE = "customer_reference", _("Customer's reference")
    DELIVERY_PLACE = "delivery_place", _("Delivery place")
    PAYMENT_TERMS = "payment_terms", _("Payment terms")
    QUALITY_REQUIREMENTS = "quality_requirements", _("Quality requirements")
    PROMISED_DATE = "promised_date", _("Promised delivery date")
    LINE_GRAMMAGE = "line.grammage", _("Line: grammage")
    LINE_WIDTH = "line.width_mm", _("Line: width")
    LINE_SIZE = "line.size", _("Line: width (rolls) or sheet size in the specification")
    LINE_SPECIFICATION = "line.specification", _("Line: specification")


def _check_requirements(value: object) -> None:
    if not isinstance(value, list) or any(item not in Requirement.values for item in value):
        raise ValidationError(_("Choose required items from the list."))


class OrderType(models.Model):
    """A kind of order (standard, sample, emergency, export) and what it must state (I3)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    required_fields = models.JSONField(
        _("required items"), default=list, blank=True, validators=[_check_requirements]
    )
    is_default = models.BooleanField(
        _("default type"), default=False, help_text=_("Used for orders given no type.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_order_type",
            )
        ]
        verbose_name = _("order type")
        verbose_name_plural = _("order types")

    def __str__(self) -> str:
        return self.name

    @property
    def requirements(self) -> list[Requirement]:
        return [Requirement(item) for item in self.required_fields if item in Requirement.values]

    @classmethod
    def default(cls) -> "OrderType | None":
        return cls.objects.filter(is_default=True).first()


def _check_channels(value: object) -> None:
    if not isinstance(value, list) or any(item not in Channel.values for item in value):
        raise ValidationError(_("Choose channels from the list."))


class IntakeSettings(models.Model):
    """The intake checks' numbers, edited by an administrator (one row)."""

    min_margin_pct = models.DecimalField(
        _("lowest margin without finance confirmation (%)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("-100")), MaxValueValidator(HUNDRED)],
    )
    max_discount_pct = models.DecimalField(
        _("largest discount on the list price without finance confirmation (%)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("15"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(HUNDRED)],
    )
    written_record_channels = models.JSONField(
        _("channels that need a written record before submitting"),
        default=list,
        blank=True,
        validators=[_check_channels],
    )
    material_share_pct = models.DecimalField(
        _("material share of the standard cost (%)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("65"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(HUNDRED)],
    )
    labour_share_pct = models.DecimalField(
        _("labour share (%)"), max_digits=5, decimal_places=1, default=Decimal("10")
    )
    energy_share_pct = models.DecimalField(
        _("energy share (%)"), max_digits=5, decimal_places=1, default=Decimal("18")
    )
    transport_share_pct = models.DecimalField(
        _("transport share (%)"), max_digits=5, decimal_places=1, default=Decimal("7")
    )
    default_daily_tons = models.DecimalField(
        _("daily capacity of a product line without its own figure (t)"),
        max_digits=8,
        decimal_places=1,
        default=Decimal("300"),
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    finance_check_working_days = models.PositiveSmallIntegerField(
        _("working days finance has to confirm a margin or secure credit"), default=1
    )

    class Meta:
        verbose_name = _("intake settings")
        verbose_name_plural = _("intake settings")

    def __str__(self) -> str:
        return str(_("Intake settings"))

    def clean(self) -> None:
        shares = (
            self.material_share_pct
            + self.labour_share_pct
            + self.energy_share_pct
            + self.transport_share_pct
        )
        if shares != HUNDRED:
            raise ValidationError(
                _("The four cost shares must add up to 100%% (now %(sum)s%%).") % {"sum": shares}
            )

    @classmethod
    def load(cls) -> "IntakeSettings":
        """The one settings row, created with the defaults on first use."""
        row, _created = cls.objects.get_or_create(
            pk=1, defaults={"written_record_channels": [Channel.VERBAL.value]}
        )
        return row

    @property
    def shares(self) -> dict[str, Decimal]:
        return {
            "material": self.material_share_pct,
            "labour": self.labour_share_pct,
            "energy": self.energy_share_pct,
            "transport": self.transport_share_pct,
        }


class ProductCost(models.Model):
    """A product's standard cost per unit split into material, labour, energy and transport.

    Products without a breakdown are costed at `Product.standard_cost`, split by the shares in
    `IntakeSettings`.
    """

    product = models.OneToOneField(Product, on_delete=models.CASCADE, related_name="cost_breakdown")
    material = models.DecimalField(
        _("material"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    labour = models.DecimalField(
        _("labour"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    energy = models.DecimalField(
        _("energy"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    transport = models.DecimalField(
        _("transport"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("product cost breakdown")
        verbose_name_plural = _("product cost breakdowns")

    def __str__(self) -> str:
        return str(self.product)

    @property
    def parts(self) -> dict[str, Decimal]:
        return {
            "material": self.material,
            "labour": self.labour,
            "energy": self.energy,
            "transport": self.transport,
        }

    @property
    def total(self) -> Decimal:
        return sum(self.parts.values(), Decimal("0"))


class LineCapacity(models.Model):
    """How many tons a product line makes per working day (feasibility's backlog figure)."""

    product_line = models.OneToOneField(
        ProductLine, on_delete=models.CASCADE, related_name="capacity"
    )
    daily_tons = models.DecimalField(
        _("tons per working day"),
        max_digits=8,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1"))],
    )

    class Meta:
        verbose_name = _("product line capacity")
        verbose_name_plural = _("product line capacities")

    def __str__(self) -> str:
        return f"{self.product_line}: {self.daily_tons} t/d"


class Source(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    EXCEL = "excel", _("Excel import")
    WEB_SHOP = "web_shop", _("Web shop")


def written_record_path(instance: "OrderIntake", filename: str) -> str:
    return f"intake/{instance.order_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class OrderIntake(models.Model):
    """Intake's data about one order: its type, its written record, finance's confirmation."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="intake")
    order_type = models.ForeignKey(
        OrderType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("order type"),
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.MANUAL
    )
    written_record = models.TextField(_("written record"), blank=True)
    written_record_file = models.FileField(
        _("written record (file)"), upload_to=written_record_path, blank=True, max_length=300
    )
    written_record_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    written_record_at = models.DateTimeField(null=True, blank=True)
    #: Finance's confirmation of a low margin holds for the prices it saw (`pricing.fingerprint`).
    margin_confirmed_fingerprint = models.CharField(max_length=64, blank=True)
    margin_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    margin_confirmed_at = models.DateTimeField(null=True, blank=True)
    margin_confirmation_note = models.TextField(_("finance's note on the margin"), blank=True)

    class Meta:
        verbose_name = _("order intake")
        verbose_name_plural = _("order intakes")

    def __str__(self) -> str:
        return str(self.order)

    @property
    def has_written_record(self) -> bool:
        return bool(self.written_record.strip() or self.written_record_file)


class OrderRevision(models.Model):
    """The order as it stood at one submit: header and lines as JSON (I7 history)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="revisions")
    n = models.PositiveIntegerField(_("revision"))
    snapshot = models.JSONField(_("snapshot"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["order", "n"]
        constraints = [models.UniqueConstraint(fields=["order", "n"], name="order_revision_n")]
        verbose_name = _("order revision")
        verbose_name_plural = _("order revisions")

    def __str__(self) -> str:
        return f"{self.order} r{self.n}"


class ImportState(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    IMPORTED = "imported", _("Imported")


def import_path(instance: "ImportBatch", filename: str) -> str:
    return f"imports/{timezone.now():%Y/%m/%d%H%M%S}-{filename}"


class ImportBatch(models.Model):
    """One uploaded Excel file: previewed, then imported once (its file is kept as evidence)."""

    file = models.FileField(_("file"), upload_to=import_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    state = models.CharField(
        _("state"), max_length=20, choices=ImportState.choices, default=ImportState.PREVIEWED
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_row_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    valid_only = models.BooleanField(_("valid rows only"), default=False)
    #: Order numbers created, and the rows skipped, once imported.
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"


class ShopSku(models.Model):
    """A web-shop SKU and the product (and size) it stands for."""

    sku = models.CharField(_("SKU"), max_length=60, unique=True)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    grammage = models.PositiveIntegerField(_("grammage (g/m²)"), null=True, blank=True)
    width_mm = models.PositiveIntegerField(_("width (mm)"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sku"]
        verbose_name = _("web shop SKU")
        verbose_name_plural = _("web shop SKUs")

    def __str__(self) -> str:
        return f"{self.sku} → {self.product.code}"
