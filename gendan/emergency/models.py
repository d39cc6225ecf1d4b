"""Emergency orders (U1-U7, seed 001).

`EmergencyCase` is the order's 紧急订单识别表 (why it is urgent, the date the customer needs)
and, once confirmed with the customer, its 紧急订单处理单 (the tasks sent to production,
procurement and logistics, production's answer and the option chosen). `EmergencyOption` is
one of production's answers with its cost: the date as requested, a later date, other orders
slipping, overtime, an extra shift or outsourcing; each keeps the plan it stands for, so
choosing it updates the plan exactly as shown. `EmergencyProblem` notes what went wrong, for
the weekly emergency review.
"""

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from gendan.accounts.models import User


class Basis(models.TextChoices):
    """Why the order is an emergency (U1)."""

    CUSTOMER_DATE = "customer_date", _("The customer requires a short delivery date")
    SHORT_LEAD_TIME = "short_lead_time", _("The lead time is well below the normal cycle")
    MANAGEMENT_FLAG = "management_flag", _("Flagged by management: key customer or project")


class CaseStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified: confirming with the customer")
    CONFIRMED = "confirmed", _("Confirmed: processing sheet sent, awaiting production")
    DECIDED = "decided", _("Option chosen: plan updated")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


CASE_COLOURS: dict[str, str] = {
    CaseStatus.IDENTIFIED: "red",
    CaseStatus.CONFIRMED: "amber",
    CaseStatus.DECIDED: "blue",
    CaseStatus.CLOSED: "green",
    CaseStatus.CANCELLED: "dark",
}
OPEN_CASE_STATUSES = frozenset({CaseStatus.IDENTIFIED, CaseStatus.CONFIRMED, CaseStatus.DECIDED})


class OptionsState(models.TextChoices):
    NONE = "", _("Not computed")
    PENDING = "pending", _("Being computed")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be computed")


class EmergencyCaseQuerySet(models.QuerySet["EmergencyCase"]):
    def for_user(self, user: "User") -> "EmergencyCaseQuerySet":
        """Whoever sees the order sees its emergency case (P3)."""
        from gendan.orders.models import Order

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all:
            return self
        return self.filter(order__in=Order.objects.for_user(user))

    def open(self) -> "EmergencyCaseQuerySet":
        return self.filter(status__in=OPEN_CASE_STATUSES)


class EmergencyCase(models.Model):
    number = models.CharField(_("number"), max_length=40, unique=True)
    order = models.OneToOneField(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="emergency_case",
        verbose_name=_("order"),
    )
    basis = models.CharField(_("why urgent"), max_length=20, choices=Basis.choices)
    reason = models.TextField(_("reason for urgency"))
    required_date = models.DateField(_("date the customer requires"))
    #: Normal cycle and the lead time asked, in working days, when identified.
    normal_cycle_days = models.PositiveIntegerField(_("normal cycle (working days)"), null=True)
    lead_days = models.IntegerField(_("lead time asked (working days)"), null=True)
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.IDENTIFIED
    )
    identified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    identified_at = models.DateTimeField(_("identified"), default=timezone.now)
    confirmation_due_at = models.DateTimeField(_("confirm with the customer by"))
    confirmation_task = models.ForeignKey(
        "tasks.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_date = models.DateField(_("date confirmed with the customer"), null=True, blank=True)
    confirmation_note = models.TextField(_("what was confirmed"), blank=True)
    sheet_sent_at = models.DateTimeField(_("processing sheet sent"), null=True, blank=True)
    answer_due_at = models.DateTimeField(_("production answers by"), null=True, blank=True)
    production_task = models.ForeignKey(
        "tasks.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    options_state = models.CharField(
        _("options"), max_length=10, choices=OptionsState.choices, default="", blank=True
    )
    options_computed_at = models.DateTimeField(_("options computed"), null=True, blank=True)
    #: The plan run current when the options were computed: choosing one later needs it still.
    options_run = models.ForeignKey(
        "planning.PlanRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    options_note = models.TextField(_("what the engine found"), blank=True)
    chosen_option = models.ForeignKey(
        "EmergencyOption", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    objects: ClassVar[EmergencyCaseQuerySet] = EmergencyCaseQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-identified_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-identified_at"], name="emergency_status"),
            models.Index(fields=["identified_at"], name="emergency_identified"),
        ]
        verbose_name = _("emergency order")
        verbose_name_plural = _("emergency orders")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("emergency:case", args=[self.number])

    @property
    def status_colour(self) -> str:
        return CASE_COLOURS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CASE_STATUSES

    @property
    def confirmed_late(self) -> bool:
        moment = self.confirmed_at or timezone.now()
        return moment > self.confirmation_due_at and self.status != CaseStatus.CANCELLED

    @property
    def answered_late(self) -> bool:
        if self.answer_due_at is None:
            return False
        moment = self.decided_at or timezone.now()
        return moment > self.answer_due_at and self.status != CaseStatus.CANCELLED

    @property
    def share_of_cycle(self) -> Decimal | None:
        if not self.normal_cycle_days or self.lead_days is None:
            return None
        return (Decimal(self.lead_days) / self.normal_cycle_days).quantize(Decimal("0.01"))


class OptionKind(models.TextChoices):
    AS_REQUESTED = "as_requested", _("The date holds as requested")
    MOVE_DATE = "move_date", _("Move the date")
    EXPEDITE = "expedite", _("Expedite: other orders slip")
    OVERTIME = "overtime", _("Overtime on the bottleneck")
    EXTRA_SHIFT = "extra_shift", _("Extra shifts on rest days")
    OUTSOURCE = "outsource", _("Outsource an operation")


class EmergencyOption(models.Model):
    """One of production's answers (U4), with its cost and the plan it stands for."""

    case = models.ForeignKey(EmergencyCase, on_delete=models.CASCADE, related_name="options")
    kind = models.CharField(_("option"), max_length=14, choices=OptionKind.choices)
    position = models.PositiveSmallIntegerField(default=0)
    summary = models.TextField(_("what it means"))
    promise_date = models.DateField(_("delivery date"), null=True, blank=True)
    meets_required = models.BooleanField(_("meets the date required"), default=False)
    cost = models.DecimalField(
        _("cost (CNY)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    cost_detail = models.CharField(_("how the cost is made up"), max_length=300, blank=True)
    #: Orders that end later than planned: [{"order", "order_id", "clerk_id", "planned_end",
    #: "new_end", "due", "delay_hours", "late_hours"}].
    slips = models.JSONField(default=list, blank=True)
    #: Ids of the other orders whose steps the plan moves (their work orders follow it).
    moved_orders = models.JSONField(default=list, blank=True)
    #: Extra working time: {"centre", "kind", "spans": [[start, end], ...], "hours"}.
    capacity = models.JSONField(default=dict, blank=True)
    #: An outsourced step: {"line", "routing_operation", "lead_hours", "name"}.
    outsourcing = models.JSONField(default=dict, blank=True)
    #: The plan: [[order number, step id, centre code, start, end], ...] (ISO datetimes).
    plan = models.JSONField(default=list, blank=True)
    proven = models.BooleanField(_("proven best"), default=False)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "position", "id"]
        verbose_name = _("emergency option")
        verbose_name_plural = _("emergency options")

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()}"

    @property
    def slip_count(self) -> int:
        return len(self.slips)

    @property
    def broken_promises(self) -> list[dict[str, Any]]:
        return [s for s in self.slips if s.get("late_hours", 0) > 0]


class EmergencyProblem(models.Model):
    """Something that went wrong on an emergency order, for the weekly review (U7)."""

    case = models.ForeignKey(EmergencyCase, on_delete=models.CASCADE, related_name="problems")
    text = models.TextField(_("problem"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("emergency problem")
        verbose_name_plural = _("emergency problems")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.text[:40]}"
