"""Optimistic locking on admin change forms (issue 8): the form carries, hidden, the version of
the record it was built from; a save made from a form older than the stored record is refused
as an error above the form, the clerk's input kept, nothing saved (core.concurrency)."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .concurrency import StaleEdit, version_check_and_bump

LOCK_FIELD = "lock_version"


def stored_version(instance) -> int | None:
    """The version in the database now; inside a transaction the row stays locked until it
    ends, so the save that follows in that transaction cannot race another one."""
    rows = type(instance)._base_manager.filter(pk=instance.pk)
    if transaction.get_connection().in_atomic_block:
        rows = rows.select_for_update()
    return rows.values_list("version", flat=True).first()


def versioned_model_form(base: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """`base` plus the hidden version of the stored record and the check of it in `clean()`."""

    class VersionedModelForm(base):
        lock_version = forms.IntegerField(
            label=_("version"), widget=forms.HiddenInput, required=False, min_value=0
        )

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # From the database, not the instance: the history page's "revert" form is built
            # from an old copy of the record, whose version is not the one to check against.
            self.fields[LOCK_FIELD].initial = stored_version(self.instance)

        def clean(self):
            cleaned = super().clean()
            expected = cleaned.get(LOCK_FIELD)
            if expected is not None and stored_version(self.instance) != expected:
                raise StaleEdit(self.instance)
            return cleaned

    VersionedModelForm.__name__ = base.__name__
    return VersionedModelForm


class OptimisticLockAdminMixin:
    """For a ModelAdmin of a model with a `version` field (put it first among the bases)."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        # A read-only page has no form to lock (and would look the field up on the model).
        if obj is None or not fieldsets or not self.has_change_permission(request, obj):
            return fieldsets
        name, options = fieldsets[0]
        fieldsets[0] = (name, {**options, "fields": (*options["fields"], LOCK_FIELD)})
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and self.has_change_permission(request, obj):
            kwargs.setdefault("form", versioned_model_form(self.form))
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            # The form's clean() refused a stale version already; this is the binding check,
            # made by the same statement that moves the version on.
            version_check_and_bump(obj, form.cleaned_data.get(LOCK_FIELD))
        super().save_model(request, obj, form, change)
