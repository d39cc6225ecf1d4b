"""Planning (S1, S2, I6): the stored plans of the capable-to-promise engine, the promise answers
given for orders, and the capacity changes planners make (overtime, extra shifts, outsourcing).

`PlanRun` is one plan of every open order (kept, and given to the next re-plan as its warm
start); its `PlannedOperation` rows are what the work-centre Gantt shows. The plan in force on
the shop floor stays the work orders' own planned dates (`production.WorkOrder`): a run changes
them only when a planner applies it (`actions.apply_plan`) or picks an emergency option.
"""

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RunKind(models.TextChoices):
    REPLAN = "replan", _("Re-plan of all open orders")
    EMERGENCY = "emergency", _("Emergency option chosen")


class PlanRunQuerySet(models.QuerySet["PlanRun"]):
    def current(self) -> "PlanRun | None":
        return self.filter(is_current=True).first()


class PlanRun(models.Model):
    """One plan of every open order, in the engine's time unit from `origin`."""

    kind = models.CharField(_("kind"), max_length=12, choices=RunKind.choices)
    created_at = models.DateTimeField(_("planned at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    #: The moment the plan was made for (work before now + frozen window stayed put).
    planned_for = models.DateTimeField(_("planned for"))
    unit_minutes = models.PositiveSmallIntegerField(_("time unit (minutes)"))
    #: The engine's verdict: optimal (proven), feasible (best found in the time limit).
    status = models.CharField(_("solver status"), max_length=12)
    proven_optimal = models.BooleanField(_("proven optimal"), default=False)
    #: Sum of weight x hours late over the orders the plan delivers after their date.
    weighted_late_hours = models.DecimalField(
        _("weighted hours late"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    late_orders = models.PositiveIntegerField(_("orders late"), default=0)
    orders_planned = models.PositiveIntegerField(_("orders planned"), default=0)
    makespan_at = models.DateTimeField(_("last operation ends"), null=True, blank=True)
    wall_time = models.FloatField(_("solve time (s)"), default=0)
    is_current = models.BooleanField(_("current"), default=False)
    note = models.TextField(_("note"), blank=True)

    objects: ClassVar[PlanRunQuerySet] = PlanRunQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_plan_run"
            )
        ]
        verbose_name = _("plan run")
        verbose_name_plural = _("plan runs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"


class PlannedOperation(models.Model):
    """Where and when one operation (or one shift-sized part of it) runs in a plan run."""

    run = models.ForeignKey(PlanRun, on_delete=models.CASCADE, related_name="operations")
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="+")
    work_order = models.ForeignKey(
        "production.WorkOrder", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    routing_operation = models.ForeignKey(
        "production.RoutingOperation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    #: The engine's operation id within the order (see `builder.op_id`).
    op_key = models.CharField(max_length=60)
    name = models.CharField(_("operation"), max_length=120)
    work_centre = models.ForeignKey(
        "production.WorkCentre",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("work centre"),
    )
    outsourced = models.BooleanField(_("outsourced"), default=False)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    #: In the frozen window when planned: started or about to start, kept where it was.
    pinned = models.BooleanField(_("frozen"), default=False)

    class Meta:
        ordering = ["run", "starts_at", "id"]
        indexes = [
            models.Index(fields=["run", "work_centre", "starts_at"], name="plannedop_centre"),
            models.Index(fields=["run", "order"], name="plannedop_order"),
        ]
        verbose_name = _("planned operation")
        verbose_name_plural = _("planned operations")

    def __str__(self) -> str:
        return f"{self.order_id} {self.name} {self.starts_at:%Y-%m-%d %H:%M}"


class AnswerState(models.TextChoices):
    PENDING = "pending", _("Being computed")
    DONE = "done", _("Answered")
    FAILED = "failed", _("Could not be answered")


class PromiseAnswer(models.Model):
    """The engine's answer for one order: can its date hold, the earliest date, and why.

    Kept so that pages show the last answer without solving; `is_stale` tells when the order
    or the plan changed since.
    """

    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="promise_answers"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=AnswerState.choices, default=AnswerState.PENDING
    )
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    computed_at = models.DateTimeField(_("answered"), null=True, blank=True)
    #: The plan run that was current when the answer was computed.
    run = models.ForeignKey(
        PlanRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    order_version = models.PositiveIntegerField(default=0)
    #: The date asked about: the promised date, else the requested one.
    asked_date = models.DateField(_("date asked"), null=True, blank=True)
    #: yes / no (proven) / unknown (time limit), as `gendan.scheduling.Answer`.
    answer = models.CharField(_("answer"), max_length=10, blank=True)
    earliest_date = models.DateField(_("earliest delivery"), null=True, blank=True)
    earliest_at = models.DateTimeField(_("earliest completion"), null=True, blank=True)
    proven = models.BooleanField(_("earliest date proven"), default=False)
    reason_kind = models.CharField(_("what holds the date"), max_length=20, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    bottleneck = models.ForeignKey(
        "production.WorkCentre",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bottleneck"),
    )
    free_slot_date = models.DateField(_("first-free-slot date"), null=True, blank=True)
    wall_time = models.FloatField(_("answer time (s)"), default=0)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["order", "-requested_at"], name="promise_latest")]
        verbose_name = _("promise answer")
        verbose_name_plural = _("promise answers")

    def __str__(self) -> str:
        return f"{self.order_id} {self.state} {self.earliest_date or ''}"

    @property
    def holds(self) -> bool | None:
        """True: the date holds; False: proven not to; None: not known (time limit, failed)."""
        if self.answer == "yes":
            return True
        if self.answer == "no":
            return False
        return None

    @property
    def days_earlier_than_free_slot(self) -> int | None:
        if self.earliest_date is None or self.free_slot_date is None:
            return None
        return (self.free_slot_date - self.earliest_date).days

    def is_stale(self, *, order_version: int, current_run_id: int | None) -> bool:
        """The order changed, or a newer plan was made, since this answer was computed."""
        return self.order_version != order_version or (
            current_run_id is not None and self.run_id != current_run_id
        )


class CapacityKind(models.TextChoices):
    OVERTIME = "overtime", _("Overtime")
    EXTRA_SHIFT = "extra_shift", _("Extra shift")


class CapacityAdjustment(models.Model):
    """Extra working time on a work centre (overtime, a shift on a rest day) for a window."""

    work_centre = models.ForeignKey(
        "production.WorkCentre",
        on_delete=models.CASCADE,
        related_name="capacity_adjustments",
        verbose_name=_("work centre"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CapacityKind.choices)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["work_centre", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="capacity_window_positive"
            )
        ]
        verbose_name = _("capacity adjustment")
        verbose_name_plural = _("capacity adjustments")

    def __str__(self) -> str:
        return f"{self.work_centre_id} +{self.hours}h {self.get_kind_display()}"

    @property
    def hours(self) -> Decimal:
        span: dt.timedelta = self.ends_at - self.starts_at
        return Decimal(span.total_seconds() / 3600).quantize(Decimal("0.1"))


class Outsourcing(models.Model):
    """One operation of an order given to an outside shop: it takes `lead_hours` instead of
    time on our work centre."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="+")
    order_line = models.ForeignKey("orders.OrderLine", on_delete=models.CASCADE, related_name="+")
    routing_operation = models.ForeignKey(
        "production.RoutingOperation", on_delete=models.CASCADE, related_name="+"
    )
    lead_hours = models.PositiveIntegerField(_("outside lead time (hours)"))
    cost = models.DecimalField(_("cost (CNY)"), max_digits=14, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["order_line", "routing_operation"], name="outsourced_once"
            )
        ]
        verbose_name = _("outsourced operation")
        verbose_name_plural = _("outsourced operations")

    def __str__(self) -> str:
        return f"{self.order_id} {self.routing_operation_id} ({self.lead_hours} h)"
