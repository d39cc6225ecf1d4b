"""The quick form renderer writes exactly what Django's widget templates write."""

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from gendan.core.form_renderer import WRITERS, QuickWidgetRenderer
from gendan.core.widgets import QuickCheckboxes
from gendan.customers.models import Customer


class EveryWidget(forms.Form):
    text = forms.CharField(initial='5" & <b>', widget=forms.TextInput(attrs={"class": "wide"}))
    number = forms.IntegerField(initial=0, min_value=0)
    email = forms.EmailField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="x")
    hidden = forms.IntegerField(widget=forms.HiddenInput, initial=7)
    day = forms.DateField(initial=dt.date(2026, 10, 10), widget=forms.DateInput)
    flag = forms.BooleanField(initial=True, required=False)
    off = forms.BooleanField(initial=False, required=False)
    kind = forms.ChoiceField(
        choices=[("", "Any"), ("a", "A & B"), ("Group", [("g1", "One"), ("g2", "Two")])],
        initial="g2",
    )
    many = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y"), ("z", "Z")], initial=["x", "z"]
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), initial="a < b\nc")
    empty_notes = forms.CharField(widget=forms.Textarea, required=False)
    safe = forms.CharField(initial=mark_safe("<i>kept</i>"), disabled=True)


def rendered(form: forms.Form) -> dict[str, str]:
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.parametrize("data", [None, {"text": "changed", "kind": "a", "many": ["y"]}])
def test_every_written_widget_matches_django(data):
    django_form = EveryWidget(data, renderer=DjangoTemplates())
    quick_form = EveryWidget(data, renderer=QuickWidgetRenderer())

    assert rendered(quick_form) == rendered(django_form)


def test_written_widgets_render_no_template(monkeypatch):
    def no_template(*args, **kwargs):
        raise AssertionError("a written widget went through a template")

    monkeypatch.setattr(DjangoTemplates, "render", no_template)
    form = EveryWidget(renderer=QuickWidgetRenderer())

    html = "".join(str(form[name]) for name in form.fields)

    assert '<option value="g2" selected>Two</option>' in html
    assert '<optgroup label="Group">' in html
    assert len(WRITERS) >= 15


def test_other_templates_still_come_from_django():
    form = EveryWidget(renderer=QuickWidgetRenderer())
    html = form.as_div()  # the form layout is a template the renderer does not write

    assert html.count("<div>") >= len(form.fields) - 1
    assert 'name="kind"' in html


@pytest.mark.django_db
def test_a_model_choice_select_writes_primary_keys():
    buyer = Customer.objects.create(code="C-1", name="Kunshan & Co")
    field = forms.ModelChoiceField(queryset=Customer.objects.all())
    html = field.widget.render("customer", buyer.pk, renderer=QuickWidgetRenderer())

    assert f'<option value="{buyer.pk}" selected>Kunshan &amp; Co</option>' in html


def test_quick_checkboxes_keep_ids_labels_and_choices():
    widget = QuickCheckboxes(choices=[("draft", "Draft"), ("closed", "Closed & done")])
    html = widget.render("status", ["closed"], attrs={"id": "id_status"})

    assert html.startswith('<div id="id_status" class="checkbox-row">')
    assert 'id="id_status_0"' in html and 'id="id_status_1"' in html
    assert '<input type="checkbox" name="status" value="draft" id="id_status_0">' in html
    assert 'value="closed" id="id_status_1" checked> Closed &amp; done</label>' in html
