"""Customers and their contacts (master data)."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class CreditRating(models.TextChoices):
    A = "A", _("A: excellent")
    B = "B", _("B: good")
    C = "C", _("C: watch")
    D = "D", _("D: cash only")
    NEW = "new", _("New customer, not yet rated")


class Customer(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    region = models.CharField(_("region"), max_length=60, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    credit_limit = models.DecimalField(
        _("credit limit (CNY)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    credit_rating = models.CharField(
        _("credit rating"), max_length=8, choices=CreditRating.choices, default=CreditRating.NEW
    )
    payment_terms = models.CharField(_("payment terms"), max_length=120, blank=True)
    is_key_account = models.BooleanField(_("key account"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=80)
    title = models.CharField(_("title"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        ordering = ["-is_primary", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name
