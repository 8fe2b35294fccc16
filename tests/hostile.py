"""Hostile input for property-based tests (issue 8, "hostile input"): text a browser, a crafted
POST or a hand-made workbook can carry, and form data built from a form's own fields.

`hostile_text()` mixes very long strings, control characters (NUL included: a crafted POST can
send it), emoji, full-width characters, HTML and script, SQL fragments and spreadsheet formula
prefixes. `form_data()` fills every field of a form with hostile text or with values of the
right shape, valid and invalid mixed, so that both the refusal and the acceptance paths run."""

import contextlib
import datetime

from django import forms
from django.db import transaction
from hypothesis import HealthCheck, Phase, event, settings
from hypothesis import strategies as st

SCRIPT = "<script>alert(1)</script>"
IMG_ONERROR = '"><img src=x onerror=alert(1)>'

# What must never come back unescaped from a page that shows stored input.
MARKUP = (SCRIPT, "<img src=x onerror", "<svg onload")

PAYLOADS = (
    SCRIPT,
    IMG_ONERROR,
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "</textarea><script>alert(1)</script>",
    "{{ 7*7 }}{% debug %}",
    "'; DROP TABLE registry_organization; --",
    "1 OR 1=1",
    "' OR '1'='1",
    '=HYPERLINK("http://evil","x")',
    "+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "=1+1",
    "\x00",
    "\u2028",
    "\u2029",
    "\u202e",  # right-to-left override
    "\ufeff",
    "\u200b",
    "😀👨‍👩‍👧‍👦🇨🇳",
    "ＡＢＣ１２３（全角）＜ｓｃｒｉｐｔ＞",
    "_x0000_",  # the escape Excel writes for NUL in a cell
    "%s%d%(name)s{name}{0}",
    "../../etc/passwd",
    "长春市" * 40,
)

# Every code point a browser can put in a form field: no lone surrogates.
_characters = st.characters(exclude_categories=("Cs",))
_controls = st.sampled_from([chr(code) for code in (*range(0x20), 0x7F)] + ["\u2028", "\u2029"])
_emoji = st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF)
_full_width = st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E)
_cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)


def _long_text() -> st.SearchStrategy[str]:
    """Thousands of characters, built cheaply (hypothesis would draw them one by one)."""
    return st.tuples(
        st.sampled_from(["长", "a", "😀", "<", "'", "Ａ", "\x00"]),
        st.integers(min_value=200, max_value=6000),
        st.sampled_from(PAYLOADS),
    ).map(lambda parts: parts[0] * parts[1] + parts[2])


def hostile_text(*, long: bool = True) -> st.SearchStrategy[str]:
    """A string from everything above, alone or glued together."""
    piece = st.one_of(
        st.sampled_from(PAYLOADS),
        st.text(_characters, max_size=30),
        st.text(st.one_of(_controls, _emoji, _full_width, _cjk), min_size=1, max_size=20),
    )
    parts = [st.lists(piece, min_size=1, max_size=4).map("".join)]
    if long:
        parts.append(_long_text())
    return st.one_of(*parts)


def cell_text() -> st.SearchStrategy[str]:
    """Hostile text a workbook can hold: XML 1.0 has no control characters but tab and
    newlines, so openpyxl refuses the rest (Excel writes them as `_x0000_`, kept above)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return hostile_text().map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text))


# --- values of the right shape ---------------------------------------------------------------

_DIGIT_LOOKALIKES = "０１２３４５６７８９٠١٢٣٤٥٦٧٨٩²³¹①"


def number_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(min_value=-5, max_value=200).map(str),
        st.sampled_from(
            ["0", "-1", "9" * 30, "1e309", "NaN", "inf", "1.5", "１２", "٣", "²", " 7 ", "0x10"]
        ),
        hostile_text(long=False),
    )


def date_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2030, 12, 31)).map(
            str
        ),
        st.sampled_from(
            ["2018-02-30", "0001-01-01", "9999-12-31", "2018-13-01", "２０１８-０６-０１", "now"]
        ),
        hostile_text(long=False),
    )


def id_number_text() -> st.SearchStrategy[str]:
    """A valid resident ID number, one with a digit swapped for a look-alike, or anything."""
    from tests.factories import id_number_for

    def tamper(args):
        number, position, lookalike = args
        return number[:position] + lookalike + number[position + 1 :]

    valid = st.builds(id_number_for)
    return st.one_of(
        valid,
        st.tuples(valid, st.integers(0, 17), st.sampled_from(_DIGIT_LOOKALIKES)).map(tamper),
        hostile_text(long=False),
    )


def phone_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(
            ["13904310001", "0431-88888888", "１３９０４３１０００１", "139 0431 0001"]
        ),
        hostile_text(long=False),
    )


def _choice_values(field: forms.ChoiceField) -> list[str]:
    values = []
    for value, label in field.choices:
        if isinstance(label, (list, tuple)):  # an optgroup
            values += [str(inner) for inner, _label in label]
        else:
            values.append(str(getattr(value, "value", value)))
    return values


def field_value(name: str, field: forms.Field) -> st.SearchStrategy:
    """Hostile-but-shaped input for one form field, as a browser would post it."""
    if isinstance(field, forms.FileField):
        return st.just("")
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", "", "off", "false", "0", "\x00"])
    if isinstance(field, (forms.ModelChoiceField, forms.ChoiceField)):
        valid = _choice_values(field)
        odd = st.one_of(
            st.sampled_from(["", "0", "-1", "99999999999999999999", "1 OR 1=1"]),
            hostile_text(long=False),
        )
        choice = st.one_of(st.sampled_from(valid), odd) if valid else odd
        if isinstance(field, forms.MultipleChoiceField):
            return st.lists(choice, max_size=3)
        return choice
    if isinstance(field, (forms.DateField, forms.DateTimeField)):
        return date_text()
    if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
        return number_text()
    if "id_number" in name:
        return id_number_text()
    if "phone" in name:
        return phone_text()
    return hostile_text()


def form_data(form: forms.BaseForm, *, overrides=None) -> st.SearchStrategy[dict]:
    """POST data for every field of `form` (its prefix applied), hostile values throughout;
    `overrides` maps a field name to a strategy or a fixed value."""
    overrides = overrides or {}
    fields = {}
    for name, field in form.fields.items():
        value = overrides.get(name, field_value(name, field))
        fields[form.add_prefix(name)] = (
            value if isinstance(value, st.SearchStrategy) else st.just(value)
        )
    return st.fixed_dictionaries(fields)


def formset_data(formset: forms.BaseFormSet, *, max_rows: int = 2) -> st.SearchStrategy[dict]:
    """A formset's POST: the management form (now and then hostile itself), up to `max_rows`
    hostile rows, and the fields of any form the formset carries beside its rows."""

    @st.composite
    def build(draw):
        rows = draw(st.integers(min_value=0, max_value=max_rows))
        data = {
            formset.add_prefix("TOTAL_FORMS"): draw(
                st.one_of(st.just(str(rows)), st.sampled_from(["", "-1", "99999999", "1e3"]))
            ),
            formset.add_prefix("INITIAL_FORMS"): draw(st.sampled_from(["0", "0", "x", "5"])),
            formset.add_prefix("MIN_NUM_FORMS"): "0",
            formset.add_prefix("MAX_NUM_FORMS"): "1000",
        }
        template = formset.empty_form
        for index in range(rows):
            for name, field in template.fields.items():
                data[f"{formset.add_prefix(index)}-{name}"] = draw(field_value(name, field))
        beside = getattr(formset, "declaration", None)
        if isinstance(beside, forms.BaseForm):
            data.update(draw(form_data(beside)))
        return data

    return build()


def step_data(form) -> st.SearchStrategy[dict]:
    """POST data for a wizard step's form or formset."""
    if isinstance(form, forms.BaseFormSet):
        return formset_data(form)
    return form_data(form)


# --- running examples --------------------------------------------------------------------------


def hostile_settings(max_examples: int) -> settings:
    """Few examples (the whole file stays within a minute), no deadline (a request's time
    varies on a shared machine), fixtures shared by the examples of one test. No shrinking:
    an example is several requests, and shrinking one took minutes; the failing example is
    printed as drawn."""
    return settings(
        max_examples=max_examples,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,  # no example database left in the checkout
    )


@contextlib.contextmanager
def rolled_back():
    """One hypothesis example in a savepoint rolled back afterwards: pytest-django rolls the
    database back per test, not per example."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_not_server_error(response, data) -> None:
    assert response.status_code < 500, f"server error {response.status_code} for {data!r}"


def assert_escaped(html: str, where: str) -> None:
    """No payload comes back as markup: stored input is shown, never run."""
    for markup in MARKUP:
        assert markup not in html, f"unescaped {markup!r} in {where}"


# --- pages with a form ------------------------------------------------------------------------


def admin_form_data(page) -> st.SearchStrategy[dict]:
    """POST data for an admin add or change page: its form and every inline formset."""
    parts = [form_data(page.context["adminform"].form)]
    parts += [
        formset_data(inline.formset, max_rows=1) for inline in page.context["inline_admin_formsets"]
    ]
    return st.tuples(*parts).map(lambda dicts: {k: v for d in dicts for k, v in d.items()})


def post_hostile_form(client, url, draw, *, overrides=None):
    """Open the page at `url`, fill its form ("form" in the context) with hostile data and
    post it. Returns the response and what was posted."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    posted = draw(form_data(page.context["form"], overrides=overrides), label="post")
    response = client.post(url, posted)
    assert_not_server_error(response, posted)
    event(f"answered {response.status_code}")  # --hypothesis-show-statistics: both paths run
    return response, posted


def assert_pages_show_text(pages) -> None:
    """Each (client, url) opens (200) and shows no payload as markup."""
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert_escaped(response.content.decode(), url)


def admin_models(app_label: str) -> list:
    """The models of `app_label` registered in the admin, for parametrizing."""
    from django.contrib import admin

    models = [model for model in admin.site._registry if model._meta.app_label == app_label]
    return sorted(models, key=lambda model: model._meta.model_name)


def admin_url(model, action: str, *args) -> str:
    from django.urls import reverse

    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=args)


def check_admin_add(client, model, draw) -> None:
    """Post hostile data to `model`'s admin add page: refused and nothing added, or one row
    added that the change list and its change page show as text. Skips when `client`'s user
    may not add these."""
    import pytest

    page = client.get(admin_url(model, "add"))
    if page.status_code in (302, 403):
        pytest.skip(f"this user does not add {model._meta.model_name} in the admin")
    with rolled_back():
        before = model.objects.count()
        posted = draw(admin_form_data(page), label="post")

        response = client.post(admin_url(model, "add"), posted)

        assert_not_server_error(response, posted)
        event(f"answered {response.status_code}")
        if response.status_code != 302:
            assert model.objects.count() == before
        else:
            assert model.objects.count() == before + 1
            created = model.objects.latest("pk")
            assert_pages_show_text(
                [
                    (client, admin_url(model, "changelist")),
                    (client, admin_url(model, "change", created.pk)),
                ]
            )


def check_admin_change(client, instance, draw) -> None:
    """Post hostile data to `instance`'s admin change page: refused and the row unchanged,
    or saved and shown as text by the change list, the change page and the history."""
    from django.forms.models import model_to_dict

    model = type(instance)
    url = admin_url(model, "change", instance.pk)
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)

    def state():
        fresh = model.objects.get(pk=instance.pk)
        return {**model_to_dict(fresh), "version": getattr(fresh, "version", None)}

    with rolled_back():
        before = state()
        posted = draw(admin_form_data(page), label="post")

        response = client.post(url, posted)

        assert_not_server_error(response, posted)
        event(f"answered {response.status_code}")
        if response.status_code != 302:
            assert state() == before
        else:
            pages = [(client, admin_url(model, "changelist")), (client, url)]
            if hasattr(model, "history"):
                pages.append((client, admin_url(model, "history", instance.pk)))
            assert_pages_show_text(pages)
