"""Optimistic locking (issue 8, "data safety"): two people editing the same organization,
application or annual check must not silently overwrite each other.

Each of those models has a `version` counter. Every save of a stored row moves it on by one
(`version_bump_on_save`, a pre_save receiver, so no save path is missed); a page that edits the
row carries the version it was built from, and the service that saves it first calls
`version_check_and_bump`, a conditional UPDATE that only one of two racing saves can pass, also on
PostgreSQL under READ COMMITTED. The loser gets `StaleEdit`, naming who saved last and when."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django.db.models.signals import pre_save
from django.utils import formats, timezone
from django.utils.translation import gettext

# Set on an instance whose version `version_check_and_bump` has already moved on, so that the
# save which follows does not move it a second time.
_BUMPED = "_version_bumped"
# The version an instance was last checked against: checking it again in the same request (a
# service checks first, then the workflow mover checks on every move) is not a second edit.
_CHECKED = "_version_checked_against"


class StaleEdit(ValidationError):
    """The record changed since the page was opened; nothing of this submission was saved."""

    def __init__(self, instance):
        who, when = last_change(instance)
        if who:
            message = gettext(
                "This record was changed by %(who)s at %(when)s; your changes were not saved. "
                "Reopen this page, check the record and submit again."
            ) % {"who": who, "when": when}
        else:
            message = gettext(
                "This record was changed by someone else at %(when)s; your changes were not "
                "saved. Reopen this page, check the record and submit again."
            ) % {"when": when}
        super().__init__(message, code="stale")


def _display_name(user) -> str:
    return user.get_full_name().strip() or user.get_username()


def last_change(instance) -> tuple[str, str]:
    """Who saved `instance` last and when (Asia/Shanghai, "2026年11月27日 12:34"), read from its
    history; the time falls back to its `updated_at` when there is no history row."""
    record = (
        instance.history.select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )
    who, moment = "", getattr(instance, "updated_at", None)
    if record is not None:
        moment = record.history_date
        if record.history_user is not None:
            who = _display_name(record.history_user)
    if moment is None:
        return who, ""
    return who, formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def last_move(instance, events=None) -> tuple[str, str]:
    """Who moved `instance` to where it is and when: the latest of `events` (rows with `actor`
    and `at`, e.g. an application's transitions), else the latest save in its history."""
    event = (
        events.select_related("actor").order_by("-at", "-pk").first()
        if events is not None
        else None
    )
    if event is None:
        return last_change(instance)
    who = _display_name(event.actor) if event.actor is not None else ""
    return who, formats.date_format(timezone.localtime(event.at), "DATETIME_FORMAT")


def version_check_and_bump(instance, expected_version: int | None) -> None:
    """Refuse with StaleEdit unless the stored row still has `expected_version`, and move it on
    by one in the same statement. Call it inside the transaction that saves `instance`, before
    the save; `None` (a caller that carries no version) checks nothing. Checking the same
    instance against the same version again passes: it is the same submission."""
    if expected_version is None or getattr(instance, _CHECKED, None) == expected_version:
        return
    model = type(instance)
    updated = model._base_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not updated:
        raise StaleEdit(instance)
    instance.version = expected_version + 1
    setattr(instance, _BUMPED, True)
    setattr(instance, _CHECKED, expected_version)


def version_bump_on_save(sender, instance, raw=False, **kwargs):
    """pre_save: every save of a stored row moves its version on, checked or not."""
    if raw or instance._state.adding or instance.pk is None:
        return
    if instance.__dict__.pop(_BUMPED, False):
        return
    manager = sender._base_manager
    # The instance's own version when nobody saved in between (one statement), otherwise
    # whatever is stored now plus one: a save without a page to check never lowers it.
    if manager.filter(pk=instance.pk, version=instance.version).update(version=F("version") + 1):
        instance.version += 1
        return
    manager.filter(pk=instance.pk).update(version=F("version") + 1)
    stored = manager.filter(pk=instance.pk).values_list("version", flat=True).first()
    instance.version = instance.version if stored is None else stored


def connect_version_receivers(*models) -> None:
    """Make every save of `models` move the version on (idempotent: one receiver a model)."""
    for model in models:
        pre_save.connect(
            version_bump_on_save,
            sender=model,
            dispatch_uid=f"version_bump_on_save:{model._meta.label}",
        )


class VersionedForm(forms.Form):
    """A page's form that carries, hidden, the version of the record it was built from; the
    service it posts to passes `cleaned_data["version"]` to `version_check_and_bump`."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
