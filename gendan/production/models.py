"""Production (E3): teams, work centres with their shift calendars, routings, and the
production plan of an order as work orders (生产任务单) with progress reports and plan changes.

Units: routing times are minutes (set-up per work order, run per unit of the product, e.g. per
ton); a work centre's capacity is `capacity_units` parallel machines or lines, each working
`shifts_per_day` x `hours_per_shift` hours on every working day of the company calendar (every
day when `runs_on_rest_days`, as a paper machine does). The capable-to-promise engine reads
these fields; keep them clean.
"""

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import Department
from gendan.catalog.models import Product

if TYPE_CHECKING:
    from gendan.accounts.models import User

ZERO = Decimal("0")
NOT_NEGATIVE = [MinValueValidator(ZERO)]


class Team(models.Model):
    """A workshop team or shift crew; its leader owns the team's work orders by default."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="teams", verbose_name=_("department")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("leader"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="teams", verbose_name=_("members")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class WorkCentre(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="work_centres",
        verbose_name=_("department"),
    )
    #: Identical machines or lines that can work at the same time.
    capacity_units = models.PositiveSmallIntegerField(
        _("parallel units"), default=1, validators=[MinValueValidator(1)]
    )
    shifts_per_day = models.PositiveSmallIntegerField(
        _("shifts per day"), default=2, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    hours_per_shift = models.DecimalField(
        _("hours per shift"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("8"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("24"))],
    )
    #: When the first shift of a production day starts; the shifts follow back to back.
    day_starts_at = models.TimeField(_("first shift starts"), default=dt.time(8, 0))
    #: Continuous operation (e.g. a paper machine): works on rest days and holidays too.
    runs_on_rest_days = models.BooleanField(_("runs on rest days"), default=False)
    default_team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default team"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("work centre")
        verbose_name_plural = _("work centres")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if (
            self.shifts_per_day
            and self.hours_per_shift
            and (self.shifts_per_day * self.hours_per_shift > 24)
        ):
            raise ValidationError(
                {"hours_per_shift": _("The shifts of one day add up to more than 24 hours.")}
            )

    @property
    def hours_per_day(self) -> Decimal:
        """Working hours of one unit on a working day."""
        return self.shifts_per_day * self.hours_per_shift

    @property
    def capacity_hours_per_day(self) -> Decimal:
        """Working hours of all units together on a working day."""
        return self.capacity_units * self.hours_per_day


class Routing(models.Model):
    """How a product is made: its operations in order. A product has one default routing."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="routings", verbose_name=_("product")
    )
    name = models.CharField(_("name"), max_length=120)
    is_default = models.BooleanField(_("default routing"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["product", "-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["product"], condition=Q(is_default=True), name="one_default_routing"
            )
        ]
        verbose_name = _("routing")
        verbose_name_plural = _("routings")

    def __str__(self) -> str:
        return f"{self.product.code}: {self.name}"


class RoutingOperation(models.Model):
    routing = models.ForeignKey(Routing, on_delete=models.CASCADE, related_name="operations")
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    name = models.CharField(_("operation"), max_length=120)
    work_centre = models.ForeignKey(
        WorkCentre,
        on_delete=models.PROTECT,
        related_name="operations",
        verbose_name=_("work centre"),
    )
    alternative_work_centres = models.ManyToManyField(
        WorkCentre, blank=True, related_name="+", verbose_name=_("alternative work centres")
    )
    setup_minutes = models.PositiveIntegerField(_("set-up (minutes)"), default=0)
    run_minutes_per_unit = models.DecimalField(
        _("run time per unit (minutes)"),
        max_digits=10,
        decimal_places=3,
        validators=NOT_NEGATIVE,
        help_text=_("Minutes per unit of the product, e.g. per ton."),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
        help_text=_("Leave empty to use the work centre's default team."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["routing", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["routing", "sequence"], name="operation_sequence_once")
        ]
        verbose_name = _("routing operation")
        verbose_name_plural = _("routing operations")

    def __str__(self) -> str:
        return f"{self.sequence} {self.name} @ {self.work_centre.code}"


# --- the production plan of an order ------------------------------------------------------


class OrderScopedQuerySet[M: models.Model](models.QuerySet[M]):
    """Visible to whoever sees the customer order (P3)."""

    def for_user(self, user: "User") -> Self:
        from gendan.orders.models import Order

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all:
            return self
        return self.filter(order__in=Order.objects.for_user(user))


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, awaiting approval")
    APPROVED = "approved", _("Approved")


PLAN_COLOURS: dict[str, str] = {PlanStatus.DRAFT: "amber", PlanStatus.APPROVED: "green"}


class ProductionPlan(models.Model):
    """The production plan of one order: its work orders, approved by the production head."""

    order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, related_name="production_plan"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(_("drafted"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approval_task = models.ForeignKey(
        "tasks.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)

    objects: ClassVar["OrderScopedQuerySet[ProductionPlan]"] = OrderScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("production plan")
        verbose_name_plural = _("production plans")

    def __str__(self) -> str:
        return f"{self.order} ({self.get_status_display()})"

    @property
    def status_colour(self) -> str:
        return PLAN_COLOURS[self.status]


class WorkOrderStatus(models.TextChoices):
    DRAFT = "draft", _("Planned, awaiting approval")
    RELEASED = "released", _("Released")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


WORK_ORDER_COLOURS: dict[str, str] = {
    WorkOrderStatus.DRAFT: "grey",
    WorkOrderStatus.RELEASED: "blue",
    WorkOrderStatus.IN_PROGRESS: "teal",
    WorkOrderStatus.DONE: "green",
    WorkOrderStatus.CANCELLED: "dark",
}
#: Work orders that still have work to do.
ACTIVE_WORK_STATUSES = frozenset(
    {WorkOrderStatus.DRAFT, WorkOrderStatus.RELEASED, WorkOrderStatus.IN_PROGRESS}
)
#: Work orders on which progress may be reported.
REPORTABLE_STATUSES = frozenset({WorkOrderStatus.RELEASED, WorkOrderStatus.IN_PROGRESS})


class DelayCause(models.TextChoices):
    """Why production fell behind (E3)."""

    EQUIPMENT = "equipment", _("Equipment failure")
    STAFF = "staff", _("Staff shortage")
    MATERIAL = "material", _("Material missing or late")
    PROCESS = "process", _("Process problem")
    QUALITY = "quality", _("Quality problem")


class WorkOrderQuerySet(OrderScopedQuerySet["WorkOrder"]):
    def for_user(self, user: "User") -> Self:
        """Whoever sees the order sees its work orders; an owner also sees their own."""
        from gendan.orders.models import Order

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all:
            return self
        return self.filter(Q(order__in=Order.objects.for_user(user)) | Q(owner=user))

    def active(self) -> "WorkOrderQuerySet":
        return self.filter(status__in=ACTIVE_WORK_STATUSES)

    def behind_plan(self, now: dt.datetime | None = None) -> "WorkOrderQuerySet":
        """Released or running work orders whose planned end has passed (E9)."""
        return self.filter(status__in=REPORTABLE_STATUSES, planned_end__lt=now or timezone.now())


class WorkOrder(models.Model):
    """生产任务单: one routing operation of one order line, on a work centre, for a team."""

    number = models.CharField(_("work order number"), max_length=40, unique=True)
    plan = models.ForeignKey(ProductionPlan, on_delete=models.CASCADE, related_name="work_orders")
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="work_orders",
        verbose_name=_("customer order"),
    )
    order_line = models.ForeignKey(
        "orders.OrderLine", on_delete=models.PROTECT, related_name="work_orders"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    operation = models.ForeignKey(
        RoutingOperation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: Position in the order line's chain of operations (the routing sequence).
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    name = models.CharField(_("operation"), max_length=120)
    work_centre = models.ForeignKey(
        WorkCentre,
        on_delete=models.PROTECT,
        related_name="work_orders",
        verbose_name=_("work centre"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("team"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_work_orders",
        verbose_name=_("owner"),
    )
    quantity = models.DecimalField(_("planned quantity"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=8)
    #: Times copied from the routing when the plan was drafted: later routing edits do not
    #: change a plan already made.
    setup_minutes = models.PositiveIntegerField(_("set-up (minutes)"), default=0)
    run_minutes_per_unit = models.DecimalField(
        _("run time per unit (minutes)"), max_digits=10, decimal_places=3, default=ZERO
    )
    planned_start = models.DateTimeField(_("planned start"))
    planned_end = models.DateTimeField(_("planned end"))
    status = models.CharField(
        _("status"), max_length=12, choices=WorkOrderStatus.choices, default=WorkOrderStatus.DRAFT
    )
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True)
    actual_end = models.DateTimeField(_("actual end"), null=True, blank=True)
    good_quantity = models.DecimalField(
        _("good quantity"), max_digits=14, decimal_places=3, default=ZERO
    )
    scrap_quantity = models.DecimalField(_("scrap"), max_digits=14, decimal_places=3, default=ZERO)
    hours_worked = models.DecimalField(
        _("hours worked"), max_digits=9, decimal_places=2, default=ZERO
    )
    task = models.ForeignKey(
        "tasks.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[WorkOrderQuerySet] = WorkOrderQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["order", "order_line__position", "sequence"]
        indexes = [
            models.Index(fields=["order", "sequence"], name="wo_order_sequence"),
            models.Index(fields=["work_centre", "planned_start"], name="wo_centre_start"),
            models.Index(fields=["status", "planned_end"], name="wo_status_end"),
            models.Index(fields=["owner", "status"], name="wo_owner_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")),
                name="wo_planned_end_after_start",
            )
        ]
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("production:work_order", args=[self.number])

    @property
    def status_colour(self) -> str:
        return WORK_ORDER_COLOURS[self.status]

    @property
    def planned_minutes(self) -> Decimal:
        return self.setup_minutes + self.run_minutes_per_unit * self.quantity

    @property
    def remaining_quantity(self) -> Decimal:
        return max(self.quantity - self.good_quantity, ZERO)

    @property
    def scrap_rate(self) -> Decimal | None:
        made = self.good_quantity + self.scrap_quantity
        return (self.scrap_quantity / made).quantize(Decimal("0.0001")) if made else None

    @property
    def scrap_percent(self) -> Decimal | None:
        rate = self.scrap_rate
        return None if rate is None else (rate * 100).quantize(Decimal("0.1"))

    def is_late(self, now: dt.datetime | None = None) -> bool:
        """Finished after its planned end, or still open when the planned end has passed."""
        if self.status == WorkOrderStatus.CANCELLED:
            return False
        if self.status == WorkOrderStatus.DONE:
            return self.actual_end is not None and self.actual_end > self.planned_end
        return (now or timezone.now()) > self.planned_end


class ProgressReport(models.Model):
    """What a team did on a work order in a shift or day. In-process inspections (E4) hang off
    a progress report."""

    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.PROTECT, related_name="progress_reports"
    )
    work_date = models.DateField(_("work date"))
    good_quantity = models.DecimalField(
        _("good quantity"), max_digits=14, decimal_places=3, default=ZERO
    )
    scrap_quantity = models.DecimalField(_("scrap"), max_digits=14, decimal_places=3, default=ZERO)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2, default=ZERO)
    delay_cause = models.CharField(
        _("cause of delay"), max_length=12, choices=DelayCause.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    #: This report finishes the work order.
    finished = models.BooleanField(_("operation finished"), default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)

    class Meta:
        ordering = ["-work_date", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.work_order.number} {self.work_date}: +{self.good_quantity}"


class PlanChange(models.Model):
    """A work order moved in time (or to another work centre), with the reason (E3)."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="plan_changes")
    reason = models.TextField(_("reason"))
    before_start = models.DateTimeField(_("planned start before"))
    before_end = models.DateTimeField(_("planned end before"))
    after_start = models.DateTimeField(_("planned start after"))
    after_end = models.DateTimeField(_("planned end after"))
    before_work_centre = models.ForeignKey(
        WorkCentre, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    after_work_centre = models.ForeignKey(
        WorkCentre, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("plan change")
        verbose_name_plural = _("plan changes")

    def __str__(self) -> str:
        return f"{self.work_order.number} {self.changed_at:%Y-%m-%d}"

    @property
    def end_shift(self) -> dt.timedelta:
        return self.after_end - self.before_end
