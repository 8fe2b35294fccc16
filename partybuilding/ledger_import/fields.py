"""The model's own field checks (`Model.clean_fields`) for the rows of a ledger, compiled once
per model, and new rows built without `Model.__init__`.

At 100,000 rows the import's profile spent about a fifth of its time building each new
organization through `Model.__init__` (every field's default, every foreign key through its
descriptor) and walking every field's `clean()`; the rows are already read and converted cell by
cell (`rows`), so here each field gets the least work that gives the same verdict:

- a plain text field (`CharField`/`TextField` without choices, whose `clean` returns the text as
  it is) is checked inline: empty, too long, then any validator of its own (the phone number's);
- any other field goes through its own `clean()`, its verdict on a value remembered (the type,
  the staff count … repeat over 100,000 rows);
- a value any field refuses is never judged here: the model's `clean_fields` then runs on a
  real instance, so the errors (and their Chinese messages) are exactly the model's own.

`FieldChecks.new` gives the instance to write: made as `Model.from_db` makes one (no `__init__`),
with every concrete field's attribute set (the default where the row has none, as `__init__`
would) and its related objects cached, as assigning them would (a supervisory unit or street new
in this import still has no key: the bulk write reads it from the cache once it has one)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import CharField, TextField
from django.db.models.base import ModelState

#: Values remembered per import at most (names, phones … are unique: the bound keeps memory flat).
REMEMBERED_MAX = 10_000
_UNSEEN = object()


class FieldChecks:
    """`clean_fields(exclude=exclude)` of `model`, for the rows of one import."""

    def __init__(self, model, exclude):
        self.model, self.exclude = model, exclude
        meta = model._meta
        self.fields = [f for f in meta.fields if f.name not in exclude and not f.generated]
        # (attname, max length or None, its other validators, blank) of the plain text fields.
        self.texts = {}
        for field in self.fields:
            if type(field) in (CharField, TextField) and not field.choices:
                limits = [v for v in field.validators if type(v) is MaxLengthValidator]
                others = [v for v in field.validators if type(v) is not MaxLengthValidator]
                if all(not callable(v.limit_value) for v in limits):
                    maximum = min((v.limit_value for v in limits), default=None)
                    self.texts[field.attname] = (maximum, others, field.blank)
        self.relations = [(f.name, f.attname) for f in meta.concrete_fields if f.is_relation]
        self.defaults, self.computed_defaults = {}, []
        for field in meta.concrete_fields:
            if field.has_default() and callable(field.default):
                self.computed_defaults.append(field)
            else:
                self.defaults[field.attname] = field.get_default()
        self.attnames = {field.attname for field in meta.concrete_fields}
        self.remembered: dict = {}
        # What `check` asks of each field, read once: (field, attname, its plain-text limits or
        # None, blank, the values blank lets through).
        self.plan = [
            (field, field.attname, self.texts.get(field.attname), field.blank, field.empty_values)
            for field in self.fields
        ]

    def new(self, values: dict, **attributes):
        """A new instance of the model from `values` (field name → value, related objects
        included) and `attributes` (attname → value), its fields checked. Raises the model's
        own ValidationError for a value a field refuses."""
        row = dict(self.defaults)
        given = {**values, **attributes}
        for field in self.computed_defaults:
            if field.name not in given and field.attname not in given:
                row[field.attname] = field.get_default()
        cache = {}
        for name, attname in self.relations:
            if name in values:
                related = values[name]
                cache[name] = related
                row[attname] = related.pk if related is not None else None
        for name, value in values.items():
            if name not in cache:
                row[name] = value
        row.update(attributes)
        self.check(row)
        instance = self.model.__new__(self.model)
        instance._state = ModelState()  # adding, no database yet: as __init__ leaves it
        instance.__dict__.update(row)
        instance._state.fields_cache.update(cache)
        return instance

    def check(self, row: dict) -> None:
        """The fields' verdicts on `row` (attname → value), the cleaned values put back in it.
        Raises the model's own ValidationError (from a real instance's `clean_fields`)."""
        remembered = self.remembered
        for field, attname, plain, blank, empty_values in self.plan:
            raw = row[attname]
            if plain is not None and raw.__class__ is str:
                maximum, others, text_blank = plain
                if not raw:
                    if not text_blank:
                        row[attname] = self._refuse(row, attname)
                    continue
                if maximum is not None and len(raw) > maximum:
                    row[attname] = self._refuse(row, attname)
                    continue
                try:
                    for validator in others:
                        validator(raw)
                except ValidationError:
                    row[attname] = self._refuse(row, attname)
                continue
            if blank and raw in empty_values:
                continue
            try:
                key = (attname, type(raw), raw)
                cleaned = remembered.get(key, _UNSEEN)
            except TypeError:  # unhashable: not remembered
                key, cleaned = None, _UNSEEN
            if cleaned is _UNSEEN:
                try:
                    cleaned = field.clean(raw, None)
                except ValidationError:
                    row[attname] = self._refuse(row, attname)
                    continue
                if key is not None and len(remembered) < REMEMBERED_MAX:
                    remembered[key] = cleaned
            row[attname] = cleaned

    def check_instance(self, instance) -> None:
        """`check` on a stored instance with the row's changes set on it (an update)."""
        row = {attname: getattr(instance, attname) for attname in self.attnames}
        self.check(row)
        for attname, value in row.items():
            setattr(instance, attname, value)

    def _refuse(self, row: dict, attname: str):
        """Raise the errors `Model.clean_fields` gives for the row. Should the model accept it
        (it is the rule, not this module), its cleaned value of `attname` is returned."""
        instance = self.model(**{name: row[name] for name in self.attnames if name in row})
        instance.clean_fields(exclude=self.exclude)
        return getattr(instance, attname)
