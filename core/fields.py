"""Model fields for resident ID numbers kept encrypted (core/id_numbers.py says why) and found
by their keyed digest."""

from django.core.exceptions import FieldError
from django.db import models

from .id_numbers import (
    DIGEST_LENGTH,
    TOKEN_MAX_LENGTH,
    decrypt_id_number,
    encrypt_id_number,
    id_number_digest,
    id_number_digests,
)
from .identity import normalize_id_number


class EncryptedIdNumberField(models.CharField):
    """A resident ID number kept encrypted in its column (core/id_numbers.py says why).

    The model attribute is the plain number, so validation, display and masking read it as
    before; only the column holds a token. Tokens never compare equal, so a look-up by number
    goes through the digest field beside it (`IdNumberDigestField`), and any other look-up on
    this field is refused rather than silently finding nothing."""

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = TOKEN_MAX_LENGTH
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return decrypt_id_number(value) if value else value

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_id_number(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt_id_number(value) if value else value

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted: look it up through its digest "
                "(.with_id_number(number) or id_number_digest=id_number_digest(number))."
            )
        return super().get_lookup(lookup_name)

    def formfield(self, **kwargs):
        return super().formfield(**{"max_length": 18, **kwargs})


class IdNumberDigestField(models.CharField):
    """The keyed hash of the model's `id_number`, recomputed whenever the row is saved (save(),
    bulk_create()); bulk writers that bypass both call `pre_save` themselves."""

    def __init__(self, *args, source="id_number", **kwargs):
        self.source = source
        kwargs["max_length"] = DIGEST_LENGTH
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for fixed in ("max_length", "editable"):
            kwargs.pop(fixed, None)
        if self.source != "id_number":
            kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        number = getattr(model_instance, self.source)
        value = id_number_digest(number) if number else ""
        setattr(model_instance, self.attname, value)
        return value


class IdNumberQuerySet(models.QuerySet):
    def with_id_number(self, number: str):
        """Rows holding `number`, found by its digest under the current or an old hash key."""
        return self.filter(id_number_digest__in=id_number_digests(number))
