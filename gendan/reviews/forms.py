"""Forms of the review pages. They parse input only; the actions check the rules and name
the fields at fault ("checklist.<item>" → the item's field here, see `apply_report_error`)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import Department, Role, User
from gendan.core.errors import ActionError
from gendan.ledger.models import CommunicationChannel
from gendan.reviews.checklists import Answer, Checklist
from gendan.reviews.models import Conclusion, Decision, DepartmentReview

TEXTAREA = forms.Textarea(attrs={"rows": 3})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def signing_users() -> Any:
    """People who can attend and sign: active, not read-only."""
    return User.objects.filter(is_active=True).exclude(role=Role.AUDITOR).order_by("username")


class ReportForm(forms.Form):
    """A department's report: one answer and note per checklist item, outputs, figures."""

    conclusion = forms.ChoiceField(
        label=_("Conclusion"),
        choices=[("", "—"), *Conclusion.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    conditions = forms.CharField(label=_("Conditions"), required=False, widget=TEXTAREA)
    reasons = forms.CharField(label=_("Reasons"), required=False, widget=TEXTAREA)
    proposals = forms.CharField(label=_("Proposals"), required=False, widget=TEXTAREA)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, review: DepartmentReview, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.review = review
        self.definition: Checklist = review.checklist_definition
        cast(forms.ChoiceField, self.fields["conclusion"]).choices = Conclusion.choices
        for item in self.definition.items:
            self.fields[f"item_{item.code}"] = forms.ChoiceField(
                label=str(item.label),
                choices=Answer.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{item.code}"] = forms.CharField(
                label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        for figure in self.definition.figures:
            self.fields[f"figure_{figure.code}"] = forms.DecimalField(
                label=str(figure.label),
                required=False,
                min_value=0,
                decimal_places=2,
                max_digits=16,
            )
        for output in self.definition.outputs:
            self.fields[f"output_{output.code}"] = forms.CharField(
                label=str(output.label), required=False, widget=forms.Textarea(attrs={"rows": 4})
            )
        if not self.is_bound:
            self.initial.update(self._initial_from(review))

    @staticmethod
    def _initial_from(review: DepartmentReview) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "conclusion": review.conclusion,
            "conditions": review.conditions,
            "reasons": review.reasons,
            "proposals": review.proposals,
            "version": review.version,
        }
        for code, answer in review.checklist.items():
            initial[f"item_{code}"] = answer.get("answer", "")
            initial[f"note_{code}"] = answer.get("note", "")
        for code, text in review.outputs.items():
            initial[f"output_{code}"] = text
        for code, value in review.figures.items():
            initial[f"figure_{code}"] = value
        return initial

    def items(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"item_{i.code}"], self[f"note_{i.code}"]) for i in self.definition.items]

    def outputs(self) -> list[forms.BoundField]:
        return [self[f"output_{o.code}"] for o in self.definition.outputs]

    def figures(self) -> list[forms.BoundField]:
        return [self[f"figure_{f.code}"] for f in self.definition.figures]

    def action_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "conclusion": data.get("conclusion") or "",
            "checklist": {
                i.code: {
                    "answer": data.get(f"item_{i.code}") or "",
                    "note": data.get(f"note_{i.code}") or "",
                }
                for i in self.definition.items
            },
            "outputs": {
                o.code: data.get(f"output_{o.code}") or "" for o in self.definition.outputs
            },
            "figures": {
                f.code: ""
                if data.get(f"figure_{f.code}") is None
                else str(data[f"figure_{f.code}"])
                for f in self.definition.figures
            },
            "conditions": data.get("conditions") or "",
            "reasons": data.get("reasons") or "",
            "proposals": data.get("proposals") or "",
            "expected_version": data.get("version") or None,
        }


def form_field_for(name: str) -> str:
    """The form field of an action's field name: "checklist.x" → "item_x" and so on."""
    prefix, _dot, rest = name.partition(".")
    mapping = {"checklist": "item_", "outputs": "output_", "figures": "figure_"}
    return f"{mapping[prefix]}{rest}" if prefix in mapping and rest else name


def apply_report_error(error: ActionError, form: forms.Form) -> None:
    for name, messages in error.fields.items():
        field = form_field_for(name)
        form.add_error(field if field in form.fields else None, list(messages))
    for message in error.messages:
        form.add_error(None, message)


class ReassignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=User.objects.none())

    def __init__(self, *args: Any, review: DepartmentReview, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assignee"]).queryset = User.objects.filter(
            departments=review.department, role__in=[Role.REVIEWER, Role.HEAD], is_active=True
        ).order_by("username")


class MeetingForm(forms.Form):
    held_at = forms.DateTimeField(label=_("Time"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=200)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["attendees"]).queryset = signing_users()


class MinutesForm(MeetingForm):
    discussion = forms.CharField(
        label=_("Discussion"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("", "—"), *Decision.choices], required=False
    )
    decision_notes = forms.CharField(
        label=_("Conclusion of the chair"), required=False, widget=TEXTAREA
    )
    fail_resolution = forms.CharField(
        label=_("How the failed reviews are resolved"), required=False, widget=TEXTAREA
    )
    refresh_agenda = forms.BooleanField(
        label=_("Rebuild the agenda from the current reports"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ActionRowForm(forms.Form):
    description = forms.CharField(label=_("What"), max_length=300, required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.filter(is_active=True), required=False
    )
    due_date = forms.DateField(label=_("Milestone date"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = signing_users()


ActionFormSet = forms.formset_factory(ActionRowForm, extra=2, max_num=30)


class SignForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Signing binds your name and the time to exactly this content of the minutes."),
    )


class RejectForm(forms.Form):
    reasons = forms.CharField(label=_("Reasons for the customer"), widget=TEXTAREA)
    alternative_date = forms.DateField(
        label=_("Date we could deliver instead"), required=False, widget=DATE
    )
    changed_requirements = forms.CharField(
        label=_("Requirements we could accept instead"), required=False, widget=TEXTAREA
    )
    other_alternatives = forms.CharField(
        label=_("Other alternatives"), required=False, widget=TEXTAREA
    )
    counterpart = forms.CharField(label=_("Told to (customer contact)"), max_length=200)
    channel = forms.ChoiceField(label=_("How"), choices=CommunicationChannel.choices)
