"""core.widgets.PlainSelect writes what Django's select template writes."""

import pytest
from django import forms

from core.widgets import PlainSelect
from registry.models import District

CHOICES = [
    ("", "all"),
    ("a", "<b>Alpha & co</b>"),
    ("Group \"g\"", [("1", "one"), ("2", "two")]),
    (3, "three"),
]


@pytest.mark.parametrize("value", [None, "", "a", "2", 3, ["a", "1"]])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_x", "required": True, "disabled": False, "data-n": 0}]
)
def test_the_same_html_as_the_template(value, attrs):
    plain = PlainSelect(choices=CHOICES).render("name", value, attrs=attrs)
    template = forms.Select(choices=CHOICES).render("name", value, attrs=attrs)
    assert plain == template


@pytest.mark.django_db
def test_the_same_html_for_a_model_choice_field():
    District.objects.create(code="110105", name="朝阳区 <x>")
    District.objects.create(code="110106", name="丰台区")
    chosen = District.objects.get(code="110106").pk

    class Plain(forms.Form):
        district = forms.ModelChoiceField(District.objects.all(), widget=PlainSelect)

    class Template(forms.Form):
        district = forms.ModelChoiceField(District.objects.all())

    for data in ({}, {"district": chosen}, {"district": "x"}):
        assert str(Plain(data)["district"]) == str(Template(data)["district"])
