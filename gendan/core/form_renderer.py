"""The form renderer: Django's own, with the commonest widgets written in Python.

Django draws every widget through the template language, and a `<select>` every one of its
options through its own template include: about 0.1–0.3 ms a widget and 0.05–0.2 ms an
option, which was most of the time of pages with forms (bench/pages.py). Inputs, selects and
text areas are written here instead, with the markup of Django's templates (the suite compares
both in `tests/core/test_form_renderer.py`); every other template (form and field layouts,
radio and checkbox lists, file inputs) is rendered by Django as before.

The project does not override these widget templates; one that did would be ignored here.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

WIDGETS = "django/forms/widgets/"


def attributes(attrs: Mapping[str, Any]) -> str:
    """`django/forms/widgets/attrs.html`: ` name="value"`, ` name` for True, nothing for False."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def write_input(widget: Mapping[str, Any]) -> str:
    """`input.html` (and every template that only includes it)."""
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{attributes(widget["attrs"])}>'
    )


def write_option(option: Mapping[str, Any]) -> str:
    """`select_option.html`."""
    return (
        f'<option value="{conditional_escape(option["value"])}"{attributes(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>"
    )


def write_select(widget: Mapping[str, Any]) -> str:
    """`select.html`, options and groups included."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        # Each option is an include of a template ending in a newline.
        parts.extend(f"\n  {write_option(option)}\n" for option in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def write_textarea(widget: Mapping[str, Any]) -> str:
    """`textarea.html`."""
    value = widget["value"]
    text = conditional_escape(value) if value else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>\n'
        f"{text}</textarea>"
    )


INPUT_TEMPLATES = (
    "input checkbox color date datetime email hidden number password search tel text time url"
)
WRITERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    **{f"{WIDGETS}{name}.html": write_input for name in INPUT_TEMPLATES.split()},
    f"{WIDGETS}select.html": write_select,
    f"{WIDGETS}textarea.html": write_textarea,
}


class QuickWidgetRenderer(DjangoTemplates):
    """`FORM_RENDERER`: the widgets in `WRITERS` in Python, everything else by template."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        writer = WRITERS.get(template_name)
        if writer is None or "widget" not in context:
            return super().render(template_name, context, request)
        return writer(context["widget"])
