"""Autocomplete widgets that survive a hostile post: Django's own look the posted ids up when a
refused form is shown again, and a value that is not an id of the column's type ("1 OR 1=1",
an integer past 64 bits) ends in a server error instead of the form's own error message."""

from django import forms
from django.contrib.admin import widgets
from django.core.exceptions import ValidationError
from django.db import connections


class StorableValuesMixin:
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if self._storable(v)], attr)

    def _storable(self, value) -> bool:
        remote = self.field.remote_field
        target = remote.model._meta.get_field(
            getattr(remote, "field_name", None) or remote.model._meta.pk.name
        )
        try:
            python = target.to_python(value)
        except ValidationError:
            return False
        if isinstance(python, int):
            ops = connections[self.db or "default"].ops
            low, high = ops.integer_field_range(target.get_internal_type())
            return (low is None or python >= low) and (high is None or python <= high)
        return True


class AutocompleteSelect(StorableValuesMixin, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(StorableValuesMixin, widgets.AutocompleteSelectMultiple):
    pass


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """SQLite raises OverflowError for an id past 64 bits; that is just an id that is not there."""

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid_pk_value"],
                code="invalid_pk_value",
                params={"pk": next(iter(value), "")},
            ) from None


class SafeAutocompleteAdminMixin:
    """For a ModelAdmin with autocomplete_fields: the widgets above in place of Django's."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
