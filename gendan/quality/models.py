"""Quality (E4): inspection standards, inspections with their measured values, and
nonconformances with their disposition.

An inspection is one of three stages:
- incoming: a purchasing receipt of material (`purchasing.Receipt`);
- in-process: a production progress report (`production.ProgressReport`);
- final: the finished goods of an order line's last work order, before warehousing.

Every measured value is checked against its standard's limits (target − tolerance below,
target + tolerance above; the limits themselves pass). One value outside its limits fails the
inspection and opens a nonconformance: the quarantined quantity waits for a disposition
(rework, scrap, or concession approved by the quality head) with cause and corrective action.
Quarantined goods are not usable, cannot be warehoused, moved on or shipped.
"""

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Self

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.catalog.models import Product

if TYPE_CHECKING:
    from gendan.accounts.models import User

ZERO = Decimal("0")
QUANTITY = {"max_digits": 14, "decimal_places": 3}
MEASURE = {"max_digits": 12, "decimal_places": 4}


class Stage(models.TextChoices):
    INCOMING = "incoming", _("Incoming inspection")
    IN_PROCESS = "in_process", _("In-process inspection")
    FINAL = "final", _("Final inspection")


#: What a user keeps of a standard (page form and API alike); the limits follow from them.
STANDARD_FIELDS = (
    "product",
    "material",
    "stage",
    "sequence",
    "characteristic",
    "method",
    "unit",
    "target",
    "tolerance_minus",
    "tolerance_plus",
    "frequency",
)


class InspectionStandard(models.Model):
    """One characteristic to check on a product (or a purchased material) at one stage, with
    the test method, the target value and the tolerance on each side, and how often."""

    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="inspection_standards",
        verbose_name=_("product"),
    )
    material = models.ForeignKey(
        "purchasing.Material",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="inspection_standards",
        verbose_name=_("material"),
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    sequence = models.PositiveSmallIntegerField(_("sequence"), default=10)
    characteristic = models.CharField(_("characteristic"), max_length=120)
    method = models.CharField(
        _("test method"), max_length=200, blank=True, help_text=_("E.g. GB/T 451.2")
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    target = models.DecimalField(_("target"), **MEASURE)
    #: How far below the target a value may lie; empty: no lower limit.
    tolerance_minus = models.DecimalField(
        _("tolerance below"),
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
        help_text=_("Leave empty when there is no lower limit."),
        **MEASURE,
    )
    #: How far above the target a value may lie; empty: no upper limit.
    tolerance_plus = models.DecimalField(
        _("tolerance above"),
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
        help_text=_("Leave empty when there is no upper limit."),
        **MEASURE,
    )
    frequency = models.CharField(
        _("frequency"), max_length=120, blank=True, help_text=_("E.g. every reel, every lot")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["stage", "sequence", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(product__isnull=False) & Q(material__isnull=True))
                | (Q(product__isnull=True) & Q(material__isnull=False)),
                name="standard_product_or_material",
            )
        ]
        verbose_name = _("inspection standard")
        verbose_name_plural = _("inspection standards")

    def __str__(self) -> str:
        return f"{self.item} · {self.characteristic} {self.limits_display}"

    @property
    def item(self) -> models.Model:
        return self.product or self.material  # type: ignore[return-value]

    def clean(self) -> None:
        """The rules of a standard, for the pages, the API and the admin alike."""
        errors: dict[str, list[Any]] = {}
        one_item = (self.product_id is None) != (self.material_id is None)
        if not one_item:
            errors[NON_FIELD_ERRORS] = [_("Choose either a product or a material.")]
        if self.material_id is not None and self.stage != Stage.INCOMING:
            errors["stage"] = [_("Purchased material is inspected on arrival.")]
        if self.tolerance_minus is None and self.tolerance_plus is None:
            errors["tolerance_minus"] = [
                _("Give at least one tolerance: below or above the target.")
            ]
        if one_item and self.is_active and self.characteristic and self._checked_already():
            errors["characteristic"] = [
                _(
                    "This characteristic is already checked on this item at this stage: "
                    "edit that standard or deactivate it first."
                )
            ]
        if errors:
            raise ValidationError(errors)

    def _checked_already(self) -> bool:
        """Whether another active standard checks the same characteristic (any case) on the
        same item at the same stage: an inspection would ask for it twice."""
        item = {"product_id": self.product_id, "material_id": self.material_id}  # None: IS NULL
        others = InspectionStandard.objects.filter(
            **item,
            stage=self.stage,
            is_active=True,
            characteristic__iexact=self.characteristic.strip(),
        )
        if self.pk is not None:
            others = others.exclude(pk=self.pk)
        return others.exists()

    @property
    def lower_limit(self) -> Decimal | None:
        return None if self.tolerance_minus is None else self.target - self.tolerance_minus

    @property
    def upper_limit(self) -> Decimal | None:
        return None if self.tolerance_plus is None else self.target + self.tolerance_plus

    @property
    def limits_display(self) -> str:
        return limits_text(self.lower_limit, self.upper_limit, self.unit)

    def accepts(self, value: Decimal) -> bool:
        """Whether a measured value is within the limits (a value on a limit passes)."""
        return within(value, self.lower_limit, self.upper_limit)


def within(value: Decimal, lower: Decimal | None, upper: Decimal | None) -> bool:
    return (lower is None or value >= lower) and (upper is None or value <= upper)


def limits_text(lower: Decimal | None, upper: Decimal | None, unit: str) -> str:
    suffix = f" {unit}" if unit else ""
    if lower is not None and upper is not None:
        return f"{lower.normalize():f} – {upper.normalize():f}{suffix}"
    if lower is not None:
        return f"≥ {lower.normalize():f}{suffix}"
    if upper is not None:
        return f"≤ {upper.normalize():f}{suffix}"
    return ""


# --- inspections ---------------------------------------------------------------------------


def sees_quality_records(user: "User") -> bool:
    """The quality department inspects the goods of every order; the warehouse (logistics)
    takes in passed goods and procurement handles incoming material of any order."""
    from gendan.accounts.models import Role

    return user.role in (Role.REVIEWER, Role.HEAD) and bool(
        user.department_codes() & {"quality", "logistics", "procurement"}
    )


class InspectionQuerySet(models.QuerySet["Inspection"]):
    def for_user(self, user: "User") -> Self:
        """Whoever sees the customer order sees its inspections; the quality, warehouse and
        procurement departments see all inspections (not the orders)."""
        from gendan.orders.models import Order

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all or sees_quality_records(user):
            return self
        return self.filter(order__in=Order.objects.for_user(user))


class Result(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


RESULT_COLOURS = {Result.PASSED: "green", Result.FAILED: "red"}


class Inspection(models.Model):
    """One inspection of a lot: incoming (a receipt), in-process (a progress report) or final
    (a finished work order's goods). `rework_of` marks the re-inspection of reworked goods."""

    number = models.CharField(_("inspection number"), max_length=40, unique=True)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("customer order"),
    )
    order_line = models.ForeignKey(
        "orders.OrderLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    material = models.ForeignKey(
        "purchasing.Material", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    receipt = models.ForeignKey(
        "purchasing.Receipt",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
    )
    progress_report = models.ForeignKey(
        "production.ProgressReport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
    )
    work_order = models.ForeignKey(
        "production.WorkOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
    )
    rework_of = models.ForeignKey(
        "Nonconformance",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reinspections",
        verbose_name=_("re-inspection after rework of"),
    )
    quantity = models.DecimalField(_("lot quantity"), **QUANTITY)
    unit = models.CharField(_("unit"), max_length=8)
    result = models.CharField(_("result"), max_length=8, choices=Result.choices)
    note = models.TextField(_("note"), blank=True)
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    inspected_at = models.DateTimeField(_("inspected"), default=timezone.now)

    objects: ClassVar[InspectionQuerySet] = InspectionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-inspected_at", "-id"]
        indexes = [models.Index(fields=["order", "stage"], name="inspection_order_stage")]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self) -> str:
        return f"{self.number} {self.get_stage_display()}"

    def get_absolute_url(self) -> str:
        return reverse("quality:inspection", args=[self.number])

    @property
    def passed(self) -> bool:
        return self.result == Result.PASSED

    @property
    def result_colour(self) -> str:
        return RESULT_COLOURS[self.result]

    @property
    def item_name(self) -> str:
        item = self.product or self.material
        return str(item) if item is not None else ""

    @property
    def released_quantity(self) -> Decimal:
        """What of the lot may move on: all of a passed lot; of a failed lot the part not
        quarantined, plus what a concession released."""
        if self.passed:
            return self.quantity
        nc = getattr(self, "nonconformance", None)
        if nc is None:
            return self.quantity
        released = self.quantity - nc.quantity
        if nc.disposition == Disposition.CONCESSION and nc.status == NCStatus.CLOSED:
            released += nc.quantity
        return released


class Measurement(models.Model):
    """One measured value of an inspection; the standard's limits are copied so later edits of
    the standard do not change a recorded result."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="measurements"
    )
    standard = models.ForeignKey(
        InspectionStandard, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    characteristic = models.CharField(_("characteristic"), max_length=120)
    method = models.CharField(_("test method"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    target = models.DecimalField(_("target"), **MEASURE)
    lower_limit = models.DecimalField(_("lower limit"), null=True, blank=True, **MEASURE)
    upper_limit = models.DecimalField(_("upper limit"), null=True, blank=True, **MEASURE)
    value = models.DecimalField(_("measured value"), **MEASURE)
    passed = models.BooleanField(_("within tolerance"))

    class Meta:
        ordering = ["inspection", "pk"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self) -> str:
        return f"{self.characteristic}: {self.value}"

    @property
    def limits_display(self) -> str:
        return limits_text(self.lower_limit, self.upper_limit, self.unit)


# --- nonconformances -----------------------------------------------------------------------


class NCStatus(models.TextChoices):
    OPEN = "open", _("Quarantined, awaiting disposition")
    REWORK = "rework", _("In rework, awaiting re-inspection")
    CLOSED = "closed", _("Closed")


NC_COLOURS = {NCStatus.OPEN: "red", NCStatus.REWORK: "amber", NCStatus.CLOSED: "green"}


class Disposition(models.TextChoices):
    REWORK = "rework", _("Rework")
    SCRAP = "scrap", _("Scrap")
    CONCESSION = "concession", _("Concession (use as is)")


class NonconformanceQuerySet(models.QuerySet["Nonconformance"]):
    def for_user(self, user: "User") -> Self:
        from gendan.orders.models import Order

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all or sees_quality_records(user):
            return self
        return self.filter(order__in=Order.objects.for_user(user))

    def not_closed(self) -> Self:
        return self.exclude(status=NCStatus.CLOSED)


class Nonconformance(models.Model):
    """不合格品: the quarantined part of a failed inspection's lot and what is done with it."""

    number = models.CharField(_("nonconformance number"), max_length=40, unique=True)
    inspection = models.OneToOneField(
        Inspection, on_delete=models.PROTECT, related_name="nonconformance"
    )
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="nonconformances",
        verbose_name=_("customer order"),
    )
    quantity = models.DecimalField(_("quarantined quantity"), **QUANTITY)
    description = models.TextField(_("nonconformity"))
    status = models.CharField(
        _("status"), max_length=8, choices=NCStatus.choices, default=NCStatus.OPEN
    )
    disposition = models.CharField(
        _("disposition"), max_length=12, choices=Disposition.choices, blank=True
    )
    cause = models.TextField(_("cause"), blank=True)
    corrective_action = models.TextField(_("corrective action"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects: ClassVar[NonconformanceQuerySet] = NonconformanceQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "order"], name="nc_status_order")]
        verbose_name = _("nonconformance")
        verbose_name_plural = _("nonconformances")

    def __str__(self) -> str:
        return f"{self.number} {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("quality:nonconformance", args=[self.number])

    @property
    def status_colour(self) -> str:
        return NC_COLOURS[self.status]


def quarantined_quantity(**inspection_filter: object) -> Decimal:
    """Quantity held in not-closed nonconformances of the inspections matching the filter."""
    filters = {f"inspection__{k}": v for k, v in inspection_filter.items()}
    total = Nonconformance.objects.not_closed().filter(**filters).aggregate(t=Sum("quantity"))["t"]
    return total or ZERO


class ReceiptHold(models.Model):
    """Material received while its incoming inspection is pending: it is not in usable stock
    (`Material.stock_on_hand`) until the inspection (or a concession) releases it."""

    receipt = models.OneToOneField(
        "purchasing.Receipt", on_delete=models.PROTECT, related_name="quality_hold"
    )
    quantity = models.DecimalField(_("held quantity"), **QUANTITY)
    released_quantity = models.DecimalField(_("released quantity"), default=ZERO, **QUANTITY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("receipt held for inspection")
        verbose_name_plural = _("receipts held for inspection")

    def __str__(self) -> str:
        return f"{self.receipt_id}: {self.quantity}"
