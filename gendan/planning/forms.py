"""Forms of the planning pages."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DAY_CHOICES = [(7, _("1 week")), (14, _("2 weeks")), (28, _("4 weeks"))]
SOURCE_CHOICES = [
    ("run", _("Engine's plan (current run)")),
    ("work_orders", _("Plan in force (work orders)")),
]


class GanttForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    days = forms.TypedChoiceField(label=_("Span"), choices=DAY_CHOICES, coerce=int, required=False)
    source = forms.ChoiceField(label=_("Show"), choices=SOURCE_CHOICES, required=False)

    def values(self) -> dict[str, Any]:
        """The cleaned values with defaults (today, two weeks, the engine's plan)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start: dt.date = data.get("start") or timezone.localdate()
        return {
            "start": start,
            "days": data.get("days") or 14,
            "source": data.get("source") or "run",
        }


class ApplyPlanForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        initial=_("Re-planned by the capable-to-promise engine"),
        help_text=_("Written on every work order moved and in the orders' ledgers."),
    )
