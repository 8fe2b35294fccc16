"""The one mover every workflow uses (registration, annual checks, rectifications, evaluations,
and the next ones: change registration, deregistration, abnormal-list entries).

A workflow is declared once, in its app (`<app>/workflow.py`): a table of `Transition`s saying,
for each move, the statuses it leaves, the status it reaches and who may make it (actor names
such as "clerk"), plus the app's own `acts_as(user, actor, record)` answering whether a user acts
as one of those actors on that record. `Workflow.move` then makes a move the same way everywhere:

1. the version the user saw is checked (core.concurrency: a stale page is refused, nothing saved);
2. the move must exist from the record's status (else ValidationError, code "transition");
3. the user must act as one of its actors (else PermissionDenied);
4. an event row says who moved it, when, from and to which status, and why;
5. the record is saved with its history naming the user;
6. `workflow_moved` is sent (sender: the record's model).

`Workflow.moves_for(record, user)` answers from the same table which moves a user may make now,
so pages and services cannot disagree. core imports no app: the app passes in its models."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import Signal
from django.utils.translation import gettext

from .concurrency import version_check_and_bump

# Sent at the end of every move, inside its transaction (a receiver that must wait for the
# commit uses transaction.on_commit). sender: the record's model; keyword arguments: record,
# event, from_status, to_status, by.
workflow_moved = Signal()


@dataclass(frozen=True)
class Transition:
    """One allowed move: from any of `from_statuses` to `to`, made by one of `actors`; `when`,
    if given, is a further condition on the record (e.g. "direct registration only")."""

    from_statuses: tuple[str, ...]
    to: str
    actors: tuple[str, ...]
    when: Callable[[object], bool] | None = None

    def applies_to(self, record) -> bool:
        return record.status in self.from_statuses and (self.when is None or self.when(record))


@dataclass(frozen=True)
class Workflow:
    """A workflow's transition table and the models it writes.

    `acts_as(user, actor, record)`: whether `user` acts as `actor` on `record` (defined once in
    the app, used by its services, selectors and pages alike). `event_model`: the event log;
    `event_link`: the name of its foreign key to the record; `event_fields(record)`: any further
    fields an event row needs (e.g. the annual check a rectification item belongs to)."""

    transitions: tuple[Transition, ...]
    acts_as: Callable[[object, str, object], bool]
    event_model: type
    event_link: str
    event_fields: Callable[[object], dict] = field(default=lambda record: {})

    def actors(self, record, to: str) -> tuple[str, ...] | None:
        """Who may move `record` to `to` now, or None when there is no such move."""
        for transition in self.transitions:
            if transition.to == to and transition.applies_to(record):
                return transition.actors
        return None

    def may_move(self, record, to: str, user) -> bool:
        actors = self.actors(record, to)
        return bool(actors) and any(self.acts_as(user, actor, record) for actor in actors)

    def moves_for(self, record, user) -> list[str]:
        """The statuses `user` may move `record` to now, in the order of the table."""
        moves = []
        for transition in self.transitions:
            if transition.to in moves or not transition.applies_to(record):
                continue
            if any(self.acts_as(user, actor, record) for actor in transition.actors):
                moves.append(transition.to)
        return moves

    def refusal(self, record, to: str) -> ValidationError:
        """The error for a move that does not exist from the record's status."""
        statuses = dict(type(record)._meta.get_field("status").flatchoices)
        return ValidationError(
            gettext("The %(noun)s is “%(status)s” now and cannot be moved to “%(to)s”."),
            code="transition",
            params={
                "noun": type(record)._meta.verbose_name,
                "status": statuses.get(record.status, record.status),
                "to": statuses.get(to, to),
            },
        )

    def log(self, record, by, *, from_status: str, to_status: str, reason: str = ""):
        """Write an event row (also for a record's first status, when it is created)."""
        return self.event_model.objects.create(
            **{self.event_link: record},
            **self.event_fields(record),
            actor=by,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
        )

    def move(self, record, to: str, by, *, reason: str = "", expected_version=None):
        """Move `record` to `to` on behalf of `by` and return the event row. Call it inside the
        service's transaction, on a row read under select_for_update, after setting any other
        fields the move changes: they are saved with it. `expected_version` is the version the
        user's page showed (None: the caller carries none)."""
        version_check_and_bump(record, expected_version)
        actors = self.actors(record, to)
        if actors is None:
            raise self.refusal(record, to)
        if not any(self.acts_as(by, actor, record) for actor in actors):
            raise PermissionDenied(gettext("You may not take this step."))
        from_status = record.status
        event = self.log(record, by, from_status=from_status, to_status=to, reason=reason)
        record.status = to
        record._history_user = by
        record.save()
        workflow_moved.send(
            sender=type(record),
            record=record,
            event=event,
            from_status=from_status,
            to_status=to,
            by=by,
        )
        return event
