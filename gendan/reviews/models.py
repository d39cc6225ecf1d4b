"""Department review (R1-R4): settings, the departments' reports, the review meeting and its
signed minutes, and the rejection notice sent to the customer."""

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import Department
from gendan.reviews.checklists import Checklist, checklist_for, margin_pct

if TYPE_CHECKING:
    from gendan.accounts.models import User

#: The order type used when an order carries none.
DEFAULT_ORDER_TYPE = "standard"
#: Working days a department has for its review when no `ReviewDeadline` row says otherwise.
DEFAULT_REVIEW_WORKING_DAYS = 2


class OrderTypeReview(models.Model):
    """Which departments review orders of a type (R1). Administrators edit these."""

    order_type = models.CharField(_("order type (code)"), max_length=40, unique=True)
    departments = models.ManyToManyField(
        Department, related_name="+", verbose_name=_("reviewing departments")
    )

    class Meta:
        ordering = ["order_type"]
        verbose_name = _("review departments per order type")
        verbose_name_plural = _("review departments per order type")

    def __str__(self) -> str:
        return self.order_type


class ReviewDeadline(models.Model):
    """How many working days a department has for a review (R1; legal review too, C1)."""

    department = models.OneToOneField(
        Department, on_delete=models.CASCADE, related_name="+", verbose_name=_("department")
    )
    working_days = models.PositiveSmallIntegerField(
        _("working days"), default=DEFAULT_REVIEW_WORKING_DAYS
    )

    class Meta:
        ordering = ["department"]
        verbose_name = _("review deadline")
        verbose_name_plural = _("review deadlines")

    def __str__(self) -> str:
        return f"{self.department}: {self.working_days}"


class Conclusion(models.TextChoices):
    PASS = "pass", _("Pass")
    CONDITIONS = "conditions", _("Pass with conditions")
    FAIL = "fail", _("Fail")


CONCLUSION_COLOURS = {
    Conclusion.PASS: "green",
    Conclusion.CONDITIONS: "amber",
    Conclusion.FAIL: "red",
    "": "grey",
}


class ReviewState(models.TextChoices):
    OPEN = "open", _("Waiting for the report")
    FILED = "filed", _("Report filed")
    CANCELLED = "cancelled", _("Cancelled")


class RestrictedByOrder(models.QuerySet):
    """Records that belong to an order are visible to whoever sees the order (P3)."""

    def for_user(self, user: "User") -> "RestrictedByOrder":
        from gendan.orders.models import Order

        return self.filter(order__in=Order.objects.for_user(user).values("pk"))


class DepartmentReview(models.Model):
    """One department's review of one order: its task, then its report (R1-R2).

    An order reviewed again after a rejection gets a new `round`; the latest round counts.
    """

    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="department_reviews"
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    round = models.PositiveSmallIntegerField(_("review round"), default=1)
    task = models.OneToOneField(
        "tasks.Task", on_delete=models.PROTECT, related_name="department_review", null=True
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ReviewState.choices, default=ReviewState.OPEN
    )
    conclusion = models.CharField(
        _("conclusion"), max_length=12, choices=Conclusion.choices, blank=True
    )
    #: {item code: {"answer": "ok" | "action" | "na", "note": str}}
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    #: {output code: text}: the plans the department hands on (production plan...).
    outputs = models.JSONField(_("outputs"), default=dict, blank=True)
    #: {figure code: "decimal as text"}: amounts (finance).
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)

    objects: ClassVar[RestrictedByOrder] = RestrictedByOrder.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["order", "round", "department_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "department", "round"], name="review_once_per_round"
            )
        ]
        verbose_name = _("department review")
        verbose_name_plural = _("department reviews")

    def __str__(self) -> str:
        return f"{self.order} {self.department}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:report", args=[self.pk])

    @property
    def checklist_definition(self) -> Checklist:
        return checklist_for(self.department.code)

    @property
    def conclusion_colour(self) -> str:
        return CONCLUSION_COLOURS.get(self.conclusion, "grey")

    @property
    def is_overdue(self) -> bool:
        return self.state == ReviewState.OPEN and self.task is not None and self.task.is_overdue

    def figure(self, code: str) -> Decimal | None:
        try:
            return Decimal(self.figures[code])
        except (KeyError, InvalidOperation, TypeError):
            return None

    @property
    def margin_pct(self) -> Decimal | None:
        direct, indirect = self.figure("direct_cost_amount"), self.figure("indirect_cost_amount")
        if direct is None or indirect is None:
            return None
        return margin_pct(self.order.total_amount, direct, indirect)

    def rows(self) -> list[dict[str, Any]]:
        """The checklist as shown on the page and the printed report."""
        rows = []
        for item in self.checklist_definition.items:
            answer = self.checklist.get(item.code, {})
            rows.append(
                {
                    "code": item.code,
                    "label": item.label,
                    "answer": answer.get("answer", ""),
                    "answer_label": _answer_label(answer.get("answer", "")),
                    "note": answer.get("note", ""),
                }
            )
        return rows

    def output_rows(self) -> list[dict[str, Any]]:
        return [
            {"code": o.code, "label": o.label, "text": self.outputs.get(o.code, "")}
            for o in self.checklist_definition.outputs
        ]

    def figure_rows(self) -> list[dict[str, Any]]:
        return [
            {"code": f.code, "label": f.label, "value": self.figure(f.code)}
            for f in self.checklist_definition.figures
        ]


def _answer_label(code: str) -> str:
    from gendan.reviews.checklists import Answer

    return str(Answer(code).label) if code in Answer.values else ""


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    FOLLOW_UP = "follow_up", _("Needs follow-up")


class ReviewMeeting(models.Model):
    """The review meeting organised by sales and its minutes 《订单评审会议纪要》 (R3).

    `content_hash` is the SHA-256 of the minutes' canonical content (see `minutes.py`); each
    signature is bound to the hash it was given on, so an edit voids earlier signatures.
    """

    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="review_meetings"
    )
    round = models.PositiveSmallIntegerField(_("review round"), default=1)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organiser"),
    )
    held_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=200)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="review_meetings", verbose_name=_("attendees")
    )
    #: Built from the reports: [{"department", "conclusion", "conditions", "reasons", ...}]
    agenda = models.JSONField(_("agenda"), default=list, blank=True)
    discussion = models.TextField(_("discussion"), blank=True)
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices, blank=True)
    decision_notes = models.TextField(_("conclusion of the chair"), blank=True)
    #: Required when the meeting approves an order that a department failed.
    fail_resolution = models.TextField(_("how the failed reviews are resolved"), blank=True)
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects: ClassVar[RestrictedByOrder] = RestrictedByOrder.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["order", "round", "created_at", "id"]
        verbose_name = _("review meeting")
        verbose_name_plural = _("review meetings")

    def __str__(self) -> str:
        return f"{self.order} {self.held_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:meeting", args=[self.pk])

    def valid_signatures(self) -> models.QuerySet["MinutesSignature"]:
        return self.signatures.filter(voided_at__isnull=True, content_hash=self.content_hash)

    def unsigned_attendees(self) -> list["User"]:
        signed = set(self.valid_signatures().values_list("signer_id", flat=True))
        return [user for user in self.attendees.all() if user.pk not in signed]


class MeetingAction(models.Model):
    """An owner and milestone decided by the meeting."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveSmallIntegerField()
    description = models.CharField(_("what"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("owner"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("department"),
    )
    due_date = models.DateField(_("milestone date"))

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("meeting action")
        verbose_name_plural = _("meeting actions")

    def __str__(self) -> str:
        return self.description


class MinutesSignature(models.Model):
    """An attendee's signature on the minutes: password re-entered, time, content hash."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="signatures")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed"))
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64)
    #: HMAC of signer, time and hash under the installation's secret: a row altered in the
    #: database no longer matches.
    seal = models.CharField(max_length=64)
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    void_reason = models.CharField(_("why voided"), max_length=500, blank=True)

    class Meta:
        ordering = ["meeting", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "signer"],
                condition=Q(voided_at__isnull=True),
                name="one_live_signature_per_attendee",
            )
        ]
        verbose_name = _("minutes signature")
        verbose_name_plural = _("minutes signatures")

    def __str__(self) -> str:
        return f"{self.signer} {self.signed_at:%Y-%m-%d %H:%M}"


class RejectionNotice(models.Model):
    """Why the order was rejected after review and what the customer could do instead (R4)."""

    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="rejection_notices"
    )
    meeting = models.ForeignKey(
        ReviewMeeting, on_delete=models.PROTECT, related_name="+", null=True
    )
    reasons = models.TextField(_("reasons"))
    alternative_date = models.DateField(_("date we could deliver instead"), null=True, blank=True)
    changed_requirements = models.TextField(_("requirements we could accept instead"), blank=True)
    other_alternatives = models.TextField(_("other alternatives"), blank=True)
    counterpart = models.CharField(_("sent to"), max_length=200)
    channel = models.CharField(_("how"), max_length=20)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    objects: ClassVar[RestrictedByOrder] = RestrictedByOrder.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("rejection notice")
        verbose_name_plural = _("rejection notices")

    def __str__(self) -> str:
        return f"{self.order} {self.sent_at:%Y-%m-%d}"
