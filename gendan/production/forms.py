"""Forms of the production pages. They parse input; the actions decide."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.production.models import DelayCause, WorkCentre, WorkOrder

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ProgressForm(forms.Form):
    work_date = forms.DateField(label=_("Work date"), widget=DATE, initial=timezone.localdate)
    good_quantity = forms.DecimalField(
        label=_("Good quantity"), max_digits=14, decimal_places=3, min_value=0, initial=0
    )
    scrap_quantity = forms.DecimalField(
        label=_("Scrap"), max_digits=14, decimal_places=3, min_value=0, initial=0
    )
    hours = forms.DecimalField(
        label=_("Hours worked"), max_digits=7, decimal_places=2, min_value=0, initial=0
    )
    delay_cause = forms.ChoiceField(
        label=_("Cause of delay"),
        choices=[("", _("No delay")), *DelayCause.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    finished = forms.BooleanField(label=_("Operation finished"), required=False)


class PlanChangeForm(forms.Form):
    planned_start = forms.DateTimeField(label=_("Planned start"), widget=DATETIME)
    planned_end = forms.DateTimeField(label=_("Planned end"), widget=DATETIME)
    work_centre = forms.ModelChoiceField(
        label=_("Work centre"), queryset=WorkCentre.objects.none(), required=False
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, work_order: WorkOrder, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "planned_start": timezone.localtime(work_order.planned_start),
                "planned_end": timezone.localtime(work_order.planned_end),
                "work_centre": work_order.work_centre_id,
            },
        )
        super().__init__(*args, **kwargs)
        field = self.fields["work_centre"]
        assert isinstance(field, forms.ModelChoiceField)
        if work_order.operation is not None:
            ids = [
                work_order.operation.work_centre_id,
                *work_order.operation.alternative_work_centres.values_list("pk", flat=True),
            ]
            field.queryset = WorkCentre.objects.filter(pk__in=ids)
        else:
            field.queryset = WorkCentre.objects.filter(is_active=True)


class DraftPlanForm(forms.Form):
    start = forms.DateField(
        label=_("Start no earlier than"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty to start after the materials arrive."),
    )

    def start_at(self) -> dt.datetime | None:
        day = self.cleaned_data.get("start")
        if day is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RescheduleForm(forms.Form):
    start = forms.DateField(label=_("Start no earlier than"), widget=DATE, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def start_at(self) -> dt.datetime | None:
        day = self.cleaned_data.get("start")
        if day is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
