"""Phone numbers in the admin (issue 8): users without registry.view_contact_phone see them
masked, in list columns, on change pages and on history pages (issue 13), and the full number
is never sent to them. ID numbers on history pages too, for users without the unmasking
permission (R-ID-2)."""

from .fields import EncryptedIdNumberField, IdNumberDigestField
from .identity import can_see_phones, id_number_for_display, mask_phone

MASKED_SUFFIX = "_masked"


def _masked_display(name: str):
    def display(model_admin, obj):
        return mask_phone(getattr(obj, name))

    display.__name__ = f"{name}{MASKED_SUFFIX}"
    return display


class MaskedPhonesAdmin:
    """Mix into a ModelAdmin or an inline and name its phone fields in `masked_phone_fields`.
    For a user without the permission each of them is replaced, wherever it is shown, by a
    read-only display of the masked number (so it can be neither read nor overwritten)."""

    masked_phone_fields: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in cls.masked_phone_fields:
            if not hasattr(cls, name + MASKED_SUFFIX):
                setattr(cls, name + MASKED_SUFFIX, _masked_display(name))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.masked_phone_fields:  # the column's heading: the field's own label
            display = getattr(type(self), name + MASKED_SUFFIX)
            display.short_description = self.model._meta.get_field(name).verbose_name

    def _masking(self, request) -> dict[str, str]:
        if can_see_phones(request.user):
            return {}
        return {name: name + MASKED_SUFFIX for name in self.masked_phone_fields}

    def _swap(self, fields, masking: dict[str, str]) -> list:
        swapped = []
        for field in fields:
            if isinstance(field, (list, tuple)):  # several fields on one line of a fieldset
                field = tuple(masking.get(name, name) for name in field)
            else:
                field = masking.get(field, field)
            if field not in swapped:  # get_fields() lists a read-only display and its field
                swapped.append(field)
        return swapped

    def get_list_display(self, request):
        return self._swap(super().get_list_display(request), self._masking(request))

    def get_fieldsets(self, request, obj=None):
        masking = self._masking(request)
        fieldsets = super().get_fieldsets(request, obj)
        if not masking:
            return fieldsets
        return [
            (title, {**options, "fields": self._swap(options["fields"], masking)})
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        masking = self._masking(request)
        readonly = [name for name in readonly if name not in masking]
        return [*readonly, *masking.values()]

    # History pages (core.admin.BaseHistoryAdmin): the changes column and a history entry.

    def history_value_display(self, request, field, value):
        masked = field.name in self.masked_phone_fields and not can_see_phones(request.user)
        if masked and value:
            return mask_phone(value)
        if isinstance(field, EncryptedIdNumberField) and value:
            return id_number_for_display(value, request.user)
        return super().history_value_display(request, field, value)

    def history_hidden_fields(self, request) -> set[str]:
        hidden = set(super().history_hidden_fields(request))
        return hidden | {
            field.name
            for field in self.model._meta.concrete_fields
            if isinstance(field, IdNumberDigestField)
        }
