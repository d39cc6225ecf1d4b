"""After-sales (A1–A3): service cases with severity, owner and deadline; escalation of major
cases to a cross-department meeting; resolution; return visits with satisfaction 1–5.

Seed 003 §七: general problems are solved by sales at once; major quality problems and
complaints go to management and a meeting of the departments concerned, who answer within a
set time; quality makes return visits (phone, survey, visit) and the records are analysed
periodically for common problems. The times are settings (`AfterSalesSettings`).
"""

from typing import TYPE_CHECKING, ClassVar, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import Department, Role

if TYPE_CHECKING:
    from gendan.accounts.models import User

DAYS = [MinValueValidator(1), MaxValueValidator(60)]
#: Departments whose reviewers and head see every case and return visit.
AFTERSALES = "aftersales"
CASE_DEPARTMENTS = frozenset({AFTERSALES})
VISIT_DEPARTMENTS = frozenset({AFTERSALES, "quality"})


class Source(models.TextChoices):
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("E-mail")
    VISIT = "visit", _("Visit")
    COMPLAINT_FORM = "complaint_form", _("Complaint form")
    CHAT = "chat", _("Chat message")
    RETURN_VISIT = "return_visit", _("Return visit")
    OTHER = "other", _("Other")


class CaseType(models.TextChoices):
    QUALITY = "quality", _("Product quality")
    DELIVERY = "delivery", _("Delivery (late, damaged)")
    QUANTITY = "quantity", _("Quantity or specification")
    PACKAGING = "packaging", _("Packaging and labelling")
    DOCUMENTS = "documents", _("Documents and invoices")
    SERVICE = "service", _("Service and technical advice")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    MINOR = "minor", _("General")
    MAJOR = "major", _("Major")
    CRITICAL = "critical", _("Critical")


#: Severities escalated to a cross-department meeting when the case is opened.
ESCALATED_SEVERITIES = frozenset({Severity.MAJOR, Severity.CRITICAL})
SEVERITY_COLOURS: dict[str, str] = {
    Severity.MINOR: "blue",
    Severity.MAJOR: "amber",
    Severity.CRITICAL: "red",
}


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ESCALATED = "escalated", _("Escalated")
    RESOLVED = "resolved", _("Resolved")


CASE_COLOURS: dict[str, str] = {
    CaseStatus.OPEN: "blue",
    CaseStatus.ESCALATED: "red",
    CaseStatus.RESOLVED: "green",
}


def _default_escalation_departments() -> list[str]:
    return ["sales", "quality", "production", "technical"]


class AfterSalesSettings(models.Model):
    """Deadlines by severity and whom a major case involves (one row, edited by an
    administrator; seed 003 says "within the set time" without a number)."""

    minor_days = models.PositiveSmallIntegerField(
        _("working days to resolve a general case"), default=5, validators=DAYS
    )
    major_days = models.PositiveSmallIntegerField(
        _("working days to resolve a major case"), default=3, validators=DAYS
    )
    critical_days = models.PositiveSmallIntegerField(
        _("working days to resolve a critical case"), default=1, validators=DAYS
    )
    escalation_departments = models.JSONField(
        _("departments called to a major case's meeting (codes)"),
        default=_default_escalation_departments,
        blank=True,
    )
    low_satisfaction = models.PositiveSmallIntegerField(
        _("a return visit scored at or below this tells the after-sales head"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )

    class Meta:
        verbose_name = _("after-sales settings")
        verbose_name_plural = _("after-sales settings")

    def __str__(self) -> str:
        return str(_("After-sales settings"))

    @classmethod
    def load(cls) -> "AfterSalesSettings":
        row, _created = cls.objects.get_or_create(pk=1)
        return row

    def days_for(self, severity: str) -> int:
        value: int = getattr(self, f"{severity}_days")
        return value


def _in(user: "User", codes: frozenset[str]) -> bool:
    return user.role in (Role.REVIEWER, Role.HEAD) and bool(user.department_codes() & codes)


def _is_sales_head(user: "User") -> bool:
    return user.role == Role.HEAD and settings.GENDAN["SALES_DEPARTMENT"] in user.department_codes()


class CaseQuerySet(models.QuerySet["ServiceCase"]):
    def for_user(self, user: "User") -> Self:
        """The one door (P3): management, auditors, the after-sales department and the sales
        head see every case; others the cases of orders they see, the cases they own or
        opened, and (reviewers, heads) the cases escalated to their departments."""
        from gendan.orders.models import Order

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all or _in(user, CASE_DEPARTMENTS) or _is_sales_head(user):
            return self
        # EXISTS, not IN: a reviewer may see most of a million orders, and IN would hash them all.
        seen_order = Exists(Order.objects.for_user(user).filter(pk=OuterRef("order_id")))
        visible = Q(owner=user) | Q(created_by=user) | Q(seen_order)
        if user.role in (Role.REVIEWER, Role.HEAD):
            involved = ServiceCase.involved_departments.through.objects.filter(
                servicecase_id=OuterRef("pk"), department_id__in=user.department_ids()
            )
            visible |= Q(Exists(involved))
        return self.filter(visible)

    def unresolved(self) -> Self:
        return self.exclude(status=CaseStatus.RESOLVED)


class ServiceCase(models.Model):
    """An after-sales case (A1): a customer's problem, its owner, deadline and resolution."""

    number = models.CharField(_("case number"), max_length=40, unique=True)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="service_cases",
        verbose_name=_("customer"),
    )
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="service_cases",
        null=True,
        blank=True,
        verbose_name=_("order"),
    )
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("product"),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    case_type = models.CharField(_("type"), max_length=20, choices=CaseType.choices)
    severity = models.CharField(_("severity"), max_length=12, choices=Severity.choices)
    title = models.CharField(_("problem"), max_length=200)
    description = models.TextField(_("what the customer reports"))
    contact = models.CharField(_("customer's contact"), max_length=120, blank=True)
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="service_cases",
        verbose_name=_("owner"),
    )
    due_at = models.DateTimeField(_("resolve by"))
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    task = models.ForeignKey(
        "tasks.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    involved_departments = models.ManyToManyField(
        Department, blank=True, related_name="+", verbose_name=_("departments involved")
    )
    escalation_tasks = models.ManyToManyField("tasks.Task", blank=True, related_name="+")
    resolution = models.TextField(_("resolution"), blank=True)
    root_cause = models.TextField(_("cause"), blank=True)
    corrective_action = models.TextField(_("corrective and preventive action"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[CaseQuerySet] = CaseQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="case_status_due"),
            models.Index(fields=["customer", "-reported_at"], name="case_customer"),
            models.Index(fields=["product", "-reported_at"], name="case_product"),
            models.Index(fields=["order", "-reported_at"], name="case_order"),
            models.Index(fields=["-reported_at", "-id"], name="case_recent"),
            models.Index(fields=["owner", "status"], name="case_owner_status"),
        ]
        verbose_name = _("after-sales case")
        verbose_name_plural = _("after-sales cases")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("aftersales:case", args=[self.pk])

    @property
    def status_colour(self) -> str:
        return CASE_COLOURS[self.status]

    @property
    def severity_colour(self) -> str:
        return SEVERITY_COLOURS[self.severity]

    @property
    def is_resolved(self) -> bool:
        return self.status == CaseStatus.RESOLVED

    @property
    def is_overdue(self) -> bool:
        return not self.is_resolved and self.due_at < timezone.now()

    @property
    def resolved_late(self) -> bool:
        return self.resolved_at is not None and self.resolved_at > self.due_at


class CaseMeeting(models.Model):
    """The cross-department meeting on a major case: who came, what was decided (A1)."""

    case = models.ForeignKey(ServiceCase, on_delete=models.CASCADE, related_name="meetings")
    held_at = models.DateTimeField(_("held"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("attendees")
    )
    departments = models.ManyToManyField(
        Department, related_name="+", verbose_name=_("departments present")
    )
    discussion = models.TextField(_("discussion"))
    decisions = models.TextField(_("decisions, owners and dates"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "held_at", "id"]
        verbose_name = _("case meeting")
        verbose_name_plural = _("case meetings")

    def __str__(self) -> str:
        return f"{self.case.number} {self.held_at:%Y-%m-%d}"


class VisitMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    SURVEY = "survey", _("Questionnaire")
    VISIT = "visit", _("On-site visit")


class VisitQuerySet(models.QuerySet["ReturnVisit"]):
    def for_user(self, user: "User") -> Self:
        """Management, auditors, after-sales, quality and the sales head see every visit;
        others the visits they made and those of orders they see."""
        from gendan.orders.models import Order

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all or _in(user, VISIT_DEPARTMENTS) or _is_sales_head(user):
            return self
        seen_order = Exists(Order.objects.for_user(user).filter(pk=OuterRef("order_id")))
        return self.filter(Q(visited_by=user) | Q(seen_order))


class ReturnVisit(models.Model):
    """A return visit to a customer (A2): how, whom, what they said, satisfaction 1–5."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="return_visits",
        verbose_name=_("customer"),
    )
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="return_visits",
        null=True,
        blank=True,
        verbose_name=_("order"),
    )
    case = models.ForeignKey(
        ServiceCase,
        on_delete=models.PROTECT,
        related_name="return_visits",
        null=True,
        blank=True,
        verbose_name=_("after-sales case"),
    )
    method = models.CharField(_("method"), max_length=12, choices=VisitMethod.choices)
    visited_on = models.DateField(_("date"))
    contact = models.CharField(_("spoke with"), max_length=120, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1-5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    feedback = models.TextField(_("what the customer said"), blank=True)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[VisitQuerySet] = VisitQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1) & Q(satisfaction__lte=5),
                name="visit_satisfaction_1_to_5",
            )
        ]
        indexes = [
            models.Index(fields=["customer", "-visited_on"], name="visit_customer"),
            models.Index(fields=["order", "-visited_on"], name="visit_order"),
            models.Index(fields=["-visited_on", "-id"], name="visit_recent"),
        ]
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")

    def __str__(self) -> str:
        return f"{self.customer} {self.visited_on} ({self.satisfaction}/5)"
