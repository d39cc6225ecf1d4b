"""Order statuses, their labels and badge colours."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    INTAKE_REVIEW = "intake_review", _("Intake review")
    DEPARTMENT_REVIEW = "department_review", _("Department review")
    CONTRACT = "contract", _("Contract")
    CONFIRMED = "confirmed", _("Confirmed")
    IN_EXECUTION = "in_execution", _("In execution")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    ACCEPTED = "accepted", _("Accepted")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", _("Closed")
    ON_HOLD = "on_hold", _("On hold")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


#: Badge colour per status (CSS class suffix in gendan.css).
STATUS_COLOURS: dict[str, str] = {
    Status.DRAFT: "grey",
    Status.INTAKE_REVIEW: "blue",
    Status.DEPARTMENT_REVIEW: "blue",
    Status.CONTRACT: "indigo",
    Status.CONFIRMED: "teal",
    Status.IN_EXECUTION: "green",
    Status.SHIPPED: "green",
    Status.DELIVERED: "green",
    Status.ACCEPTED: "green",
    Status.CLOSING: "teal",
    Status.CLOSED: "dark",
    Status.ON_HOLD: "amber",
    Status.REJECTED: "red",
    Status.CANCELLED: "dark",
}

#: Statuses an order leaves only by being reopened (rejected) or never (closed, cancelled).
FINAL_STATUSES = frozenset({Status.CLOSED, Status.REJECTED, Status.CANCELLED})
#: Statuses in which the order itself (header and lines) may still be edited.
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.INTAKE_REVIEW})
#: Statuses counted as open work on the home page and in the backlog.
OPEN_STATUSES = frozenset(Status) - FINAL_STATUSES


class Channel(models.TextChoices):
    """How the order reached us (I1)."""

    CONTRACT = "contract", _("Written contract")
    E_ORDER = "e_order", _("Electronic order")
    VERBAL = "verbal", _("Verbal order")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    WEB_SHOP = "web_shop", _("Web shop")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    EMERGENCY = "emergency", _("Emergency")
