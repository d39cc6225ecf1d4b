"""Product lines and products (master data)."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.accounts.models import Department


class Unit(models.TextChoices):
    TON = "t", _("ton")
    REAM = "ream", _("ream")
    ROLL = "roll", _("roll")
    SHEET = "sheet", _("sheet")
    PIECE = "pc", _("piece")


class ProductLine(models.Model):
    """A family of products made by one production department (E1 allocation follows it)."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    production_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="product_lines",
        verbose_name=_("production department"),
    )
    standard_lead_days = models.PositiveIntegerField(
        _("standard lead time (working days)"), default=15
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("product line")
        verbose_name_plural = _("product lines")

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    line = models.ForeignKey(
        ProductLine,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=pgettext_lazy("product line", "line"),
    )
    grade = models.CharField(_("grade"), max_length=80, blank=True)
    grammage = models.PositiveIntegerField(_("grammage (g/m²)"), null=True, blank=True)
    width_mm = models.PositiveIntegerField(_("width (mm)"), null=True, blank=True)
    specification = models.CharField(_("specification"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices, default=Unit.TON)
    list_price = models.DecimalField(
        _("list price (CNY per unit)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    standard_cost = models.DecimalField(
        _("standard cost (CNY per unit)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
