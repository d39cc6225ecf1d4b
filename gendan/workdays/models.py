"""The company calendar's own exceptions to the public-holiday calendar (K5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """A date the company works or rests against the public calendar (e.g. a plant shutdown)."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        kind = _("working day") if self.is_working_day else _("rest day")
        return f"{self.date} {kind}"
