import threading

import pytest
from django.db import connection

from audit.choices import AuditAction
from audit.models import AuditRecord
from audit.services import audit_record, audit_verify

WRITERS = 4
RECORDS_EACH = 15


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    audit_record(action=AuditAction.LOGIN, username="first")  # a head to lock
    errors = []
    start = threading.Barrier(WRITERS)

    def write(number: int):
        from django.db import connection as own

        try:
            start.wait()
            for index in range(RECORDS_EACH):
                audit_record(action=AuditAction.LOGIN, username=f"writer-{number}-{index}")
        except Exception as error:  # noqa: BLE001 - collected for the assertion below
            errors.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = list(AuditRecord.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, WRITERS * RECORDS_EACH + 2))
    assert audit_verify().ok
