"""One step of a record that moves through states (a registration application, an annual check):
the record's model says which moves exist and who may make them (`can_move`), this makes the
move, refusing a move that does not exist or an actor who may not, and logs it as an event."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext


def workflow_move(record, to: str, by, *, noun: str, statuses, acts_as, event_model, link: str,
                  reason: str = ""):  # fmt: skip
    """Move `record` to status `to` on behalf of `by`; return the event written.

    `noun` names the record in the refusal (申请, 年检); `statuses` is its status choices;
    `acts_as(user, actor, record)` says whether `by` acts as one of the actors `can_move` gives;
    `event_model` is the event log, whose `link` field points at the record."""
    actors = record.can_move(to)
    if actors is None:
        raise ValidationError(
            gettext("The %(noun)s is “%(status)s” and cannot become “%(to)s”."),
            code="transition",
            params={"noun": noun, "status": record.get_status_display(), "to": statuses(to).label},
        )
    if not any(acts_as(by, actor, record) for actor in actors):
        raise PermissionDenied(gettext("You may not take this step."))
    event = event_model.objects.create(
        **{link: record}, actor=by, from_status=record.status, to_status=to, reason=reason
    )
    record.status = to
    record._history_user = by
    record.save()
    return event
