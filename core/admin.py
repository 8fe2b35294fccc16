"""The base of every ModelAdmin of the project (issue 13), so that an admin added later cannot
forget what they enforce (tests/core/test_admin_base.py fails for a registered admin that does
not derive from BaseAdmin):

- BaseAdmin: a change list filters only by what its page offers, its list filters and its date
  hierarchy. Django also accepts any lookup on the model's own fields
  (``?password__startswith=…``, ``?current_session_key__gte=…``), which reads back, one
  comparison at a time, what no page shows; such a lookup is refused as Django refuses a
  disallowed one (DisallowedModelAdminLookup: HTTP 400).
- BaseHistoryAdmin: django-simple-history's pages, read-only and scoped. The history list and
  a history entry look the record up through the admin's own queryset (a record out of the
  user's scope answers as its change page does), a history entry is shown, never saved
  (reverting is not offered: a revert would save an old copy of every field past the services
  and their rules), and values are shown as on the change page: labels of choices, Chinese
  field names, and through `history_value_display`, which masking admins extend, phones and ID
  numbers masked for those who may not see them.
"""

from collections import defaultdict

from django.contrib import admin, messages
from django.contrib.admin import helpers, widgets
from django.contrib.admin.filters import SimpleListFilter
from django.contrib.admin.utils import display_for_field, get_fields_from_path, unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import ModelChange
from simple_history.utils import get_history_model_for_model, get_m2m_reverse_field_name

# The query-string parameters Django's own field filters read, after the field's path:
# choices, booleans and all-values (`exact`, `isnull`), dates (`gte`, `lt`, `isnull`) and the
# empty-value filter (`isempty`). Related filters read `<path>__<target field>__exact`.
FIELD_FILTER_LOOKUPS = ("exact", "isnull", "gte", "lt", "isempty")
DATE_HIERARCHY_LOOKUPS = ("year", "month", "day")

# Characters of a text value shown in a history list's "changes" column.
HISTORY_VALUE_CHARS = 100


def filter_parameters(model, list_filter, date_hierarchy) -> set[str]:
    """The query-string parameters the list filters and the date hierarchy of a change list
    of `model` read: the only ones it accepts."""
    allowed = set()
    for item in list_filter:
        if isinstance(item, type) and issubclass(item, SimpleListFilter):
            allowed.add(item.parameter_name)
            continue
        path = item[0] if isinstance(item, (list, tuple)) else item
        if not isinstance(path, str):  # a Field instance given directly
            path = path.name
        allowed.add(path)  # the field itself: an exact match, as its filter's links make
        allowed.update(f"{path}{LOOKUP_SEP}{lookup}" for lookup in FIELD_FILTER_LOOKUPS)
        field = get_fields_from_path(model, path)[-1]
        target = getattr(field, "target_field", None) if field.is_relation else None
        if target is not None:
            allowed.add(f"{path}{LOOKUP_SEP}{target.name}{LOOKUP_SEP}exact")
    if date_hierarchy:
        allowed.update(f"{date_hierarchy}{LOOKUP_SEP}{part}" for part in DATE_HIERARCHY_LOOKUPS)
    return allowed


class BaseAdmin(admin.ModelAdmin):
    """Every ModelAdmin of the project derives from this (put it last among the bases, before
    a third-party ModelAdmin it extends)."""

    # Exact lookups that other pages link to without the list offering them as a filter (an
    # organization's page links to its members): named one by one, and answered from the
    # user's own queryset like every filter.
    linked_lookups: tuple[str, ...] = ()

    def lookup_allowed(self, lookup, value, request=None):
        # Django's own allowance for the popups of raw-id widgets (limit_choices_to), kept.
        for fk_lookup in self.model._meta.related_fkey_lookups:
            if callable(fk_lookup):
                fk_lookup = fk_lookup()
            if (lookup, value) in widgets.url_params_from_lookup_dict(fk_lookup).items():
                return True
        if lookup in self.linked_lookups:
            return True
        list_filter = self.get_list_filter(request) if request is not None else self.list_filter
        return lookup in filter_parameters(self.model, list_filter, self.date_hierarchy)

    def response_action(self, request, queryset):
        # Django drops the selected ids the user's queryset does not hold (another unit's
        # records, rows gone meanwhile) and ran the action on what was left, even on nothing:
        # an action then answered HTTP 500. Nothing left is answered as no selection is.
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if selected and request.POST.get("select_across") != "1":
            try:
                held = queryset.filter(pk__in=selected).exists()
            except (ValueError, TypeError, ValidationError):
                held = False
            if not held:
                self.message_user(
                    request,
                    _(
                        "Items must be selected in order to perform actions on them. No items "
                        "have been changed."
                    ),
                    messages.WARNING,
                )
                return None
        return super().response_action(request, queryset)


def _related_or_none(record, field):
    try:
        return getattr(record, field.name)
    except ObjectDoesNotExist:  # the related row is gone: its id is all the history knows
        return getattr(record, field.attname)


class BaseHistoryAdmin(BaseAdmin, SimpleHistoryAdmin):
    """The base of every admin with django-simple-history's pages (see the module's text)."""

    object_history_item_template = "simple_history/object_history_item.html"

    # --- what a value looks like: extended by masking admins -------------------------------

    def history_value_display(self, request, field, value):
        """`value` of `field` as the change page would show it to this user. Masking admins
        (core.masking_admin) extend this to mask phones and ID numbers."""
        empty = self.get_empty_value_display()
        if isinstance(field, models.ManyToManyField):
            return ", ".join(str(item) for item in value) or empty
        if value is None or value == "":
            return empty
        if isinstance(field, models.BooleanField):
            return _("Yes") if value else _("No")
        shown = display_for_field(value, field, empty)
        if isinstance(shown, str) and not hasattr(shown, "__html__"):
            shown = Truncator(shown).chars(HISTORY_VALUE_CHARS)
        return shown

    def history_hidden_fields(self, request) -> set[str]:
        """Names of tracked fields never shown on history pages."""
        return set()

    def _history_fields(self, request):
        hidden = self.history_hidden_fields(request)
        history_model = get_history_model_for_model(self.model)
        tracked = {f.name for f in history_model._meta.get_fields()}
        fields = [
            field
            for field in self.model._meta.concrete_fields
            if field.name in tracked and not field.primary_key and field.name not in hidden
        ]
        m2m = getattr(history_model, "_history_m2m_fields", None) or []
        return fields + [f for f in m2m if f.name not in hidden]

    # --- the history list --------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:  # out of scope or gone: as the change page answers
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        context = {
            "history_columns": [
                capfirst(field.verbose_name) for field in self._history_columns(request)
            ],
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def get_history_list_display(self, request):
        # The listed columns are rendered from `record.history_column_values` instead (below).
        return []

    def _history_columns(self, request):
        return [self.model._meta.get_field(name) for name in self.history_list_display]

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each entry's changes against the one before, and its listed columns, shown as the
        change page shows values (choice labels, masks) under the fields' own names. Foreign
        keys come with the page's rows (select_related); many-to-many rows as ids, resolved
        for the whole page at once."""
        columns = self._history_columns(request)
        shown = {field.name for field in self._history_fields(request)}
        history_model = get_history_model_for_model(self.model)
        m2m = [f.name for f in getattr(history_model, "_history_m2m_fields", [])]
        records = list(historical_records)
        sets = {name: self._m2m_ids(name, records) for name in m2m}
        pending = []  # (change's context, field, old ids, new ids) of many-to-many changes
        for position, record in enumerate(records):
            record.history_column_values = [
                self.history_value_display(request, field, _related_or_none(record, field))
                for field in columns
            ]
            record.history_label = self._history_label(record)
            record.history_delta_changes = []
            if position + 1 == len(records):
                continue  # the oldest entry of the page has nothing before it here
            older = records[position + 1]
            changes = list(
                record.diff_against(older, excluded_fields=m2m, foreign_keys_are_objs=True).changes
            )
            changes += [
                ModelChange(name, sets[name][older.pk], sets[name][record.pk])
                for name in m2m
                if sorted(sets[name][older.pk]) != sorted(sets[name][record.pk])
            ]
            for change in changes:
                if change.field not in shown:
                    continue
                field = self.model._meta.get_field(change.field)
                entry = {"field": capfirst(field.verbose_name)}
                record.history_delta_changes.append(entry)
                if isinstance(field, models.ManyToManyField):
                    pending.append((entry, field, change.old, change.new))
                    continue
                entry["old"] = self.history_value_display(request, field, change.old)
                entry["new"] = self.history_value_display(request, field, change.new)
        for field in {field for _entry, field, _old, _new in pending}:
            ids = {i for _e, f, old, new in pending if f is field for i in (*old, *new)}
            by_pk = field.related_model._base_manager.in_bulk(ids)
            for entry, _field, old, new in (row for row in pending if row[1] is field):
                entry["old"] = self.history_value_display(
                    request, field, [by_pk.get(i, i) for i in old]
                )
                entry["new"] = self.history_value_display(
                    request, field, [by_pk.get(i, i) for i in new]
                )

    def _m2m_ids(self, name, records) -> dict:
        """History id -> the related ids a many-to-many field held then, for `records`."""
        if not records:
            return {}
        saved = getattr(records[0], name)  # the manager of the rows saved with an entry
        through, link = saved.model, "history"  # simple_history names the link "history"
        target = get_m2m_reverse_field_name(self.model._meta.get_field(name))
        held = defaultdict(list)
        rows = through.objects.filter(**{f"{link}__in": [record.pk for record in records]})
        for history_id, related_id in rows.values_list(f"{link}_id", f"{target}_id"):
            held[history_id].append(related_id)
        return held

    def _history_label(self, record) -> str:
        # The record as it was, named with the related rows the page's query brought along.
        instance = record.history_object
        cached = record._state.fields_cache
        instance._state.fields_cache.update(
            {name: value for name, value in cached.items() if name != "history_user"}
        )
        return str(instance)

    def _m2m_objects(self, field, ids):
        # The related rows (or their ids, once they are gone), in one query.
        by_pk = field.related_model._base_manager.in_bulk([i for i in ids if i is not None])
        return [by_pk.get(i, i) for i in ids]

    def revert_disabled(self, request, obj=None):
        return True

    def history_view_title(self, request, obj):
        return _("View history: %s") % obj

    # --- one history entry -------------------------------------------------------------------

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One entry, read-only: the fields as they were, masked as on the change page."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:  # out of scope or gone: as the change page answers
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied  # nothing is saved from a history entry
        record = get_object_or_404(
            get_history_model_for_model(self.model),
            **{self.opts.pk.attname: obj.pk, "history_id": version_id},
        )
        rows = []
        for field in self._history_fields(request):
            if isinstance(field, models.ManyToManyField):
                through = getattr(record, field.name).values_list(
                    f"{get_m2m_reverse_field_name(field)}_id", flat=True
                )
                value = self._m2m_objects(field, list(through))
            else:
                value = _related_or_none(record, field)
            rows.append(
                (capfirst(field.verbose_name), self.history_value_display(request, field, value))
            )
        prefix = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}"
        context = {
            **self.admin_site.each_context(request),
            "title": _("View %s") % record.history_object,
            "subtitle": None,
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "original": obj,
            "record": record,
            "rows": rows,
            "changelist_url": reverse(f"{prefix}_changelist"),
            "change_url": reverse(f"{prefix}_change", args=(obj.pk,)),
            "history_url": reverse(f"{prefix}_history", args=(obj.pk,)),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_item_template, context)
