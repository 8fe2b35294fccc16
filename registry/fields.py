from django import forms
from django.db import models

from .credit_codes import normalize_credit_code


class CreditCodeFormField(forms.CharField):
    """Accepts what people paste (spaces, lower case, full-width) and hands on the clean code."""

    def __init__(self, **kwargs):
        kwargs["max_length"] = 40  # room for pasted spaces; the model field checks the real length
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_credit_code(super().to_python(value) or "")


class CreditCodeField(models.CharField):
    """A unified social credit code, normalized before any check (R-ID-1)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_credit_code(value) if value else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CreditCodeFormField, **kwargs})
