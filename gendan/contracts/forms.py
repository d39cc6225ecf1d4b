"""Forms of the contract, confirmation and allocation pages (input parsing only)."""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import Department, User
from gendan.contracts.models import AllocationKind, ClauseCode, ContractTemplate, ContractVersion
from gendan.reviews.forms import DATE, DATETIME, signing_users


class DraftForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Template"), queryset=ContractTemplate.objects.filter(is_active=True)
    )


class ReviseForm(forms.Form):
    """One text box per clause of the current version, keyed by the clause's key."""

    note = forms.CharField(label=_("What changed"), max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, current: ContractVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for clause in current.clauses:
            self.fields[f"clause_{clause['key']}"] = forms.CharField(
                label=clause["title"],
                required=False,
                initial=clause["text"],
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def clauses(self) -> dict[str, str]:
        return {
            name.removeprefix("clause_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("clause_")
        }


class CommentForm(forms.Form):
    clause = forms.ChoiceField(
        label=_("Clause"), choices=[("", "—"), *ClauseCode.choices], required=False
    )
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve the contract")), ("changes", _("Request changes"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SignedCopyForm(forms.Form):
    file = forms.FileField(label=_("Signed contract (PDF or scan)"))


class ConfirmationForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    send_email = forms.BooleanField(
        label=_("E-mail it to the customer"), required=False, initial=True
    )


class AllocationLineForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=AllocationKind.choices, required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.filter(is_active=True), required=False
    )
    scope = forms.CharField(
        label=_("Work allocated"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    due_date = forms.DateField(label=_("Due"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = signing_users()


AllocationFormSet = forms.formset_factory(AllocationLineForm, extra=1, max_num=50)


class CoordinationForm(forms.Form):
    held_at = forms.DateTimeField(label=_("Time"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=200)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(label=_("What was agreed"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["attendees"]).queryset = signing_users()
