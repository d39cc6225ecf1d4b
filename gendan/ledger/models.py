"""The follow-up ledger (E8, K3, K6): one append-only timeline of everything that happened.

Rows are written by actions only and can be neither edited nor deleted through any interface:
the model refuses `save()` on an existing row and `delete()`, and its queryset refuses bulk
`update()` and `delete()`.
"""

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LedgerIsAppendOnly(Exception):
    """Raised on any attempt to change or remove a ledger row."""


class Kind(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    TRANSITION = "transition", _("Status change")
    COMMENT = "comment", _("Comment")
    COMMUNICATION = "communication", _("Communication")
    TASK = "task", _("Task")
    SYSTEM = "system", _("System")


class CommunicationChannel(models.TextChoices):
    CALL = "call", _("Phone call")
    EMAIL = "email", _("E-mail")
    MEETING = "meeting", _("Meeting")
    VISIT = "visit", _("Visit")
    CHAT = "chat", _("Chat message")


class LedgerQuerySet(models.QuerySet["LedgerEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise LedgerIsAppendOnly("ledger entries cannot be updated")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise LedgerIsAppendOnly("ledger entries cannot be deleted")


class LedgerEntry(models.Model):
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="ledger",
        null=True,
        blank=True,
        verbose_name=_("order"),
    )
    #: What the entry is about, as "app_label.model:pk" (for master data without an order).
    subject = models.CharField(_("subject"), max_length=80, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    summary = models.CharField(_("summary"), max_length=500)
    body = models.TextField(_("details"), blank=True)
    #: Field changes as {"field": [before, after]} with values as shown to people.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    #: Structured facts of the entry (transition name, from/to status, task id, ...).
    data = models.JSONField(_("data"), default=dict, blank=True)
    channel = models.CharField(
        _("channel"), max_length=20, choices=CommunicationChannel.choices, blank=True
    )
    counterpart = models.CharField(_("with whom"), max_length=200, blank=True)

    objects: ClassVar[LedgerQuerySet] = LedgerQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["order", "-at", "-id"], name="ledger_order_timeline")]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise LedgerIsAppendOnly("ledger entries cannot be edited")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise LedgerIsAppendOnly("ledger entries cannot be deleted")
