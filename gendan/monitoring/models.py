"""Monitoring (E9) and supervision (M3): rectification notices (整改通知) raised by the periodic
checks, with their owner, deadline and closure, and the checks' settings.

A notice is opened once per finding: its `key` is `kind:subject:version` (e.g.
`behind_plan:production.workorder:12:2026-11-20T18:00`), unique over all notices, so running
the checks again opens nothing new, even when two runs overlap. The version part changes when
the problem is a new one (a purchase order's new expected date passed, a work order was
replanned and is late again).
"""

from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import Department, Role

if TYPE_CHECKING:
    from gendan.accounts.models import User


class NoticeKind(models.TextChoices):
    LATE_PURCHASE = "late_purchase", _("Late purchase order")
    BEHIND_PLAN = "behind_plan", _("Work order behind plan")
    FAILED_INSPECTION = "failed_inspection", _("Failed inspection")
    MATERIAL_SHORTAGE = "material_shortage", _("Material shortage")
    COST_OVERRUN = "cost_overrun", _("Cost over the estimate")


class NoticeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


NOTICE_COLOURS: dict[str, str] = {NoticeStatus.OPEN: "red", NoticeStatus.RESOLVED: "green"}


DAYS = [MinValueValidator(1), MaxValueValidator(60)]


class MonitoringSettings(models.Model):
    """The checks' numbers, edited by an administrator (one row; seed 004 leaves them open)."""

    late_purchase_days = models.PositiveSmallIntegerField(
        _("working days to rectify a late purchase order"), default=2, validators=DAYS
    )
    behind_plan_days = models.PositiveSmallIntegerField(
        _("working days to rectify a work order behind plan"), default=1, validators=DAYS
    )
    failed_inspection_days = models.PositiveSmallIntegerField(
        _("working days to rectify a failed inspection"), default=2, validators=DAYS
    )
    material_shortage_days = models.PositiveSmallIntegerField(
        _("working days to rectify a material shortage"), default=2, validators=DAYS
    )
    cost_overrun_days = models.PositiveSmallIntegerField(
        _("working days to rectify a cost overrun"), default=5, validators=DAYS
    )
    #: Work centres carry no cost rate: reported hours are costed at this one company rate.
    labour_rate_per_hour = models.DecimalField(
        _("labour cost per reported hour (CNY)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("80"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    cost_tolerance_pct = models.DecimalField(
        _("actual cost may exceed the estimate by (%)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))],
    )
    shortage_horizon_days = models.PositiveSmallIntegerField(
        _("look for shortages of material needed within (working days)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )

    class Meta:
        verbose_name = _("monitoring settings")
        verbose_name_plural = _("monitoring settings")

    def __str__(self) -> str:
        return str(_("Monitoring settings"))

    @classmethod
    def load(cls) -> "MonitoringSettings":
        """The one settings row, created with the defaults on first use."""
        row, _created = cls.objects.get_or_create(pk=1)
        return row

    def deadline_days(self, kind: str) -> int:
        value: int = getattr(self, f"{kind}_days")
        return value


class NoticeQuerySet(models.QuerySet["RectificationNotice"]):
    def for_user(self, user: "User") -> Self:
        """The one door (P3): management and auditors see all; others the notices of orders
        they see, the notices they own, and (reviewers, heads) their departments' notices."""
        from gendan.orders.models import Order

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all:
            return self
        visible = Q(owner=user) | Q(order__in=Order.objects.for_user(user))
        if user.role in (Role.REVIEWER, Role.HEAD):
            visible |= Q(department__in=user.department_ids())
        return self.filter(visible)

    def open(self) -> Self:
        return self.filter(status=NoticeStatus.OPEN)

    def overdue(self) -> Self:
        return self.open().filter(due_at__lt=timezone.now())


class RectificationNotice(models.Model):
    """整改通知: a problem the checks found, who must put it right and by when (E9)."""

    number = models.CharField(_("notice number"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=NoticeKind.choices)
    #: `kind:subject:version`, unique: the same finding never opens a second notice.
    key = models.CharField(max_length=200, unique=True, editable=False)
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="rectification_notices",
        null=True,
        blank=True,
        verbose_name=_("order"),
    )
    #: What the finding is about, as "app_label.model:pk", and how people call it.
    subject = models.CharField(_("subject"), max_length=80, db_index=True)
    subject_label = models.CharField(_("about"), max_length=120)
    subject_url = models.CharField(max_length=300, blank=True)
    summary = models.CharField(_("finding"), max_length=500)
    #: The finding's facts (dates, quantities, amounts) as the check saw them.
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("responsible department"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="rectification_notices",
        null=True,
        blank=True,
        verbose_name=_("owner"),
    )
    due_at = models.DateTimeField(_("rectify by"))
    status = models.CharField(
        _("status"), max_length=12, choices=NoticeStatus.choices, default=NoticeStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    task = models.ForeignKey(
        "tasks.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: Set by the checks when they no longer find the problem; cleared again if it returns.
    #: The notice stays open until its owner records the rectification.
    condition_cleared_at = models.DateTimeField(_("condition cleared"), null=True, blank=True)
    resolution = models.TextField(_("rectification"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    objects: ClassVar[NoticeQuerySet] = NoticeQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="notice_status_due"),
            models.Index(fields=["kind", "status"], name="notice_kind_status"),
            models.Index(fields=["order", "status"], name="notice_order_status"),
            models.Index(fields=["owner", "status"], name="notice_owner_status"),
            models.Index(fields=["department", "status", "due_at"], name="notice_dept_status"),
        ]
        verbose_name = _("rectification notice")
        verbose_name_plural = _("rectification notices")

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:notice", args=[self.pk])

    @property
    def status_colour(self) -> str:
        return NOTICE_COLOURS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status == NoticeStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()

    @property
    def owner_label(self) -> str:
        return str(self.owner or self.department or "—")
