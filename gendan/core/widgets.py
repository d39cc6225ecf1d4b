"""Form widgets and fields shared by the apps."""

from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


class QuickSelect(forms.Select):
    """A `<select>` written in Python instead of one template include per option.

    Django renders every option through its own template, which costs about 0.2 ms an option:
    a customer list of 3,000 took over half a second on every order list page (bench/pages.py).
    This writes the same HTML in a few milliseconds.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        chosen = {str(v) for v in self.format_value(value)}
        parts: list[str] = [format_html('<select name="{}"{}>', name, flatatt(final_attrs))]
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):  # a group: (name, [(value, label), ...])
                parts.append(format_html('<optgroup label="{}">', option_value))
                parts.extend(self._option(v, sub, chosen) for v, sub in label)
                parts.append("</optgroup>")
            else:
                parts.append(self._option(option_value, label, chosen))
        parts.append("</select>")
        return mark_safe("".join(parts))

    @staticmethod
    def _option(value: Any, label: Any, chosen: set[str]) -> str:
        value = "" if value is None else str(value)
        selected = " selected" if value in chosen else ""
        return f'<option value="{escape(value)}"{selected}>{escape(str(label))}</option>'


class PairChoiceIterator(ModelChoiceIterator):
    """(primary key, label column) pairs straight from the database: no model instances."""

    def __iter__(self) -> Any:
        field = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        yield from self.queryset.values_list("pk", field.label_column)  # type: ignore[attr-defined]


class QuickModelChoiceField(forms.ModelChoiceField):
    """A model choice whose list is read as (id, `label_column`) pairs and written by
    `QuickSelect`: a list of thousands of customers costs a few milliseconds, not 60.
    Validation is ModelChoiceField's own (the chosen id must be in the queryset)."""

    iterator = PairChoiceIterator
    widget = QuickSelect

    def __init__(self, *args: Any, label_column: str = "name", **kwargs: Any) -> None:
        self.label_column = label_column
        super().__init__(*args, **kwargs)
