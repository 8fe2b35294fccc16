"""The review pages beside the admin, one shape for every workflow (issue 14): a small form whose
GET shows it and whose POST makes one move through a service. The app finds the record (through
its `visible_to` selector) and checks that the user may act on it; this module does the rest the
same way for all: a service's errors on the form, a stale link sent back to the record with who
dealt with it last, the success message, the admin's frame around the page."""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from .concurrency import last_move

# Errors about the record's state, not about what was typed: shown above the form.
STATE_ERRORS = frozenset({"transition", "consent_first", "stale"})


def service_error_add(form: forms.Form, error: ValidationError, field) -> None:
    """Put a service's ValidationError on the form: a field's errors on that field, errors about
    the record's state above the form. `field` names the field the service's other errors
    belong to, or maps their codes to fields (a code not in the map goes above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, ValidationError(errors))
        return
    for item in error.error_list:
        target = field.get(item.code) if isinstance(field, dict) else field
        form.add_error(None if item.code in STATE_ERRORS else target, item)


def moved_on_message(record, events, text: str) -> str:
    """ "该…已由 某某 于 某时 办理": the last move's actor and time and the state now, in `text`
    (a translated message with %(who)s, %(when)s and %(status)s)."""
    who, when = last_move(record, events)
    return text % {
        "who": who or gettext("someone else"),
        "when": when,
        "status": record.get_status_display(),
    }


def review_page(
    request,
    record,
    *,
    move,
    moves_for: Callable,
    moved_on: Callable[[object], str],
    change_url: str,
    form_class: type[forms.Form],
    act: Callable,
    template: str,
    context: dict,
    field=None,
    initial: Callable | None = None,
    extra_context: Callable | None = None,
):
    """One review page for `record`, which the user may see and act on (the caller checked).

    POST: a valid form goes to `act(record, form)`, which calls the service and returns the
    success message; the user is sent back to `change_url`, or the form is shown again with the
    service's errors. GET: when `move` is no longer among `moves_for(record, user)` (an old tab,
    the back button, a colleague was faster) the user is sent back to the record with
    `moved_on(record)` as a warning, rather than shown a form that cannot be sent; otherwise the
    form, its initial values from `initial(record)` and the record's version. `context` and, read
    only when the page is shown, `extra_context(record)` are added to the template's context."""
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                message = act(record, form)
            except ValidationError as error:
                service_error_add(form, error, field)
            else:
                messages.success(request, message)
                return redirect(change_url)
    elif move not in moves_for(record, request.user):
        messages.warning(request, moved_on(record))
        return redirect(change_url)
    else:
        form = form_class(
            initial={**(initial(record) if initial else {}), "version": record.version}
        )
    return render(
        request,
        template,
        {
            **admin.site.each_context(request),
            "opts": record._meta,
            "form": form,
            "change_url": change_url,
            "move": move,
            **context,
            **(extra_context(record) if extra_context else {}),
        },
    )


def year_asked(request, default: int) -> int:
    """The year a list or a download asks for in its query (?year=2018), or `default` when
    it asks for none or for no plausible year."""
    try:
        year = int(request.GET.get("year", default))
    except (TypeError, ValueError):
        return default
    return year if 1990 <= year <= 2100 else default
