"""The shared workflow mover (core.workflow), on a real model (registration applications) with a
table of its own: a move that does not exist, an actor who may not, a stale page are refused
and leave nothing behind; a move writes its event row, saves the record with its history and
sends `workflow_moved`."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import roles
from core.concurrency import StaleEdit, version_check_and_bump
from core.workflow import Transition, Workflow, workflow_moved
from registry.choices import ApplicationStatus as S
from registry.models import Application, ApplicationEvent
from tests.factories import make_user

pytestmark = pytest.mark.django_db

WRITER, READER = "writer", "reader"


def acts_as(user, actor, record):
    return actor == WRITER and user.pk == record.applicant_id


TABLE = Workflow(
    transitions=(
        Transition((S.DRAFT, S.RETURNED), S.SUBMITTED, (WRITER,)),
        Transition((S.SUBMITTED,), S.RETURNED, (READER,)),
        Transition((S.SUBMITTED,), S.APPROVED, (WRITER,), when=lambda a: a.direct_registration),
    ),
    acts_as=acts_as,
    event_model=ApplicationEvent,
    event_link="application",
)


@pytest.fixture
def writer():
    return make_user(roles.APPLICANT, username="writer-1")


@pytest.fixture
def draft(writer):
    application = Application(applicant=writer, name="长春市某协会")
    application.save()
    return Application.objects.get(pk=application.pk)


def test_a_move_writes_its_event_saves_the_record_and_sends_the_signal(writer, draft):
    seen = []

    def receiver(sender, **kwargs):
        seen.append((sender, kwargs["record"].pk, kwargs["from_status"], kwargs["to_status"]))

    workflow_moved.connect(receiver)
    try:
        event = TABLE.move(draft, S.SUBMITTED, writer, reason="第一次", expected_version=0)
    finally:
        workflow_moved.disconnect(receiver)
    assert seen == [(Application, draft.pk, S.DRAFT, S.SUBMITTED)]
    assert (event.application, event.actor, event.from_status, event.to_status, event.reason) == (
        draft,
        writer,
        S.DRAFT,
        S.SUBMITTED,
        "第一次",
    )
    stored = Application.objects.get(pk=draft.pk)
    assert (stored.status, stored.version) == (S.SUBMITTED, 1)
    assert stored.history.latest().history_user == writer


def test_a_move_that_is_not_in_the_table_is_refused_in_chinese(writer, draft):
    with pytest.raises(ValidationError) as refused:
        TABLE.move(draft, S.REJECTED, writer)
    assert refused.value.code == "transition"
    assert refused.value.messages == ["登记申请当前状态为“草稿”，不能变更为“不予登记”。"]
    assert not ApplicationEvent.objects.exists()
    assert Application.objects.get(pk=draft.pk).status == S.DRAFT


def test_an_actor_who_may_not_is_refused(writer, draft):
    someone = make_user(roles.APPLICANT, username="someone-else")
    with pytest.raises(PermissionDenied):
        TABLE.move(draft, S.SUBMITTED, someone)
    assert not ApplicationEvent.objects.exists()
    assert TABLE.moves_for(draft, someone) == []
    assert TABLE.moves_for(draft, writer) == [S.SUBMITTED]


def test_a_stale_version_is_refused_and_nothing_is_written(writer, draft):
    other = Application.objects.get(pk=draft.pk)
    other.name = "另一个标签页"
    other._history_user = writer
    other.save()  # version 1 now
    with pytest.raises(StaleEdit) as refused:
        TABLE.move(draft, S.SUBMITTED, writer, expected_version=0)
    assert "您的修改未保存" in refused.value.messages[0]
    assert not ApplicationEvent.objects.exists()
    assert Application.objects.get(pk=draft.pk).status == S.DRAFT


def test_a_version_the_service_checked_already_passes_the_mover(writer, draft):
    """Services check the version first (their own errors come after a stale page's), then
    the mover checks it again: one submission, not two."""
    version_check_and_bump(draft, 0)
    TABLE.move(draft, S.SUBMITTED, writer, expected_version=0)
    assert Application.objects.get(pk=draft.pk).version == 1


def test_a_condition_on_the_record_decides_whether_a_move_exists(writer, draft):
    TABLE.move(draft, S.SUBMITTED, writer)
    assert TABLE.actors(draft, S.APPROVED) is None
    draft.direct_registration = True
    assert TABLE.actors(draft, S.APPROVED) == (WRITER,)
    assert TABLE.moves_for(draft, writer) == [S.APPROVED]
