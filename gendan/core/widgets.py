"""Form widgets and fields shared by the apps."""

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


class QuickCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes written in Python (one template render per box costs about 0.1 ms): the same
    markup as Django's, each box inside its label, ids `<id>_0`, `<id>_1`…"""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        base_id = final_attrs.pop("id", None) or f"id_{name}"
        chosen = {str(v) for v in self.format_value(value)}
        boxes = [
            format_html(
                '<label for="{id}_{index}"><input type="checkbox" name="{name}" value="{value}"'
                ' id="{id}_{index}"{checked}{attrs}> {label}</label>',
                id=base_id,
                index=index,
                name=name,
                value=option_value,
                checked=mark_safe(" checked") if str(option_value) in chosen else "",
                attrs=flatatt(final_attrs),
                label=label,
            )
            for index, (option_value, label) in enumerate(self.choices)
        ]
        return format_html(
            '<div id="{}" class="checkbox-row">{}</div>', base_id, mark_safe("".join(boxes))
        )
