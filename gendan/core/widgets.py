"""Form widgets shared by the apps."""

from typing import Any

from django import forms
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
