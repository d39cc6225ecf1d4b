from django import forms
from django.contrib import admin
from django.template import Template, TemplateSyntaxError
from django.utils.translation import gettext as _

from gendan.contracts.models import REQUIRED_CLAUSES, ClauseCode, ContractTemplate, TemplateClause


class ClauseFormSet(forms.BaseInlineFormSet):
    """A template must hold every required clause, and each clause must be valid template text."""

    def clean(self) -> None:
        super().clean()
        codes = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            codes.add(form.cleaned_data.get("code"))
            try:
                Template(form.cleaned_data.get("body") or "")
            except TemplateSyntaxError as error:
                form.add_error("body", str(error))
        missing = [str(ClauseCode(c).label) for c in REQUIRED_CLAUSES if c not in codes]
        if missing:
            raise forms.ValidationError(
                _("The template lacks required clauses: %(clauses)s.")
                % {"clauses": ", ".join(missing)}
            )


class ClauseInline(admin.StackedInline):
    model = TemplateClause
    formset = ClauseFormSet
    extra = 0


@admin.register(ContractTemplate)
class ContractTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "language", "is_default", "is_active"]
    inlines = [ClauseInline]
