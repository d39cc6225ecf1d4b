"""Forms of the task pages: opening a task on an order and completing one."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import Department, User
from gendan.tasks.actions import due_at_for

WORKING_DAYS = "working_days"
HOURS = "hours"


class OpenTaskForm(forms.Form):
    """Work for a department or a person on an order, due in working days or clock hours."""

    title = forms.CharField(label=_("Task"), max_length=200)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("No department"),
    )
    assignee = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Anyone in the department"),
    )
    due_in = forms.IntegerField(label=_("Due in"), min_value=1, max_value=365, initial=2)
    due_unit = forms.ChoiceField(
        label=_("Unit"),
        choices=[(WORKING_DAYS, _("working days")), (HOURS, _("hours"))],
        initial=WORKING_DAYS,
    )
    description = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, emergency: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        )
        self.fields["assignee"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("username")
        if emergency and not self.is_bound:
            self.initial.update({"due_in": 2, "due_unit": HOURS})

    def due_at(self, start: dt.datetime | None = None) -> dt.datetime:
        """The deadline the user asked for, counted on the working calendar or the clock."""
        amount: int = self.cleaned_data["due_in"]
        if self.cleaned_data["due_unit"] == HOURS:
            return due_at_for(hours=amount, start=start)
        return due_at_for(working_days=amount, start=start)

    @property
    def due_in_hours(self) -> bool:
        return self.cleaned_data["due_unit"] == HOURS


class CompleteTaskForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"placeholder": _("What was done (optional)")}),
    )
