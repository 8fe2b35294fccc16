"""core.bulk_jobs: the objects alive at a bulk job's start are frozen for its duration only."""

import gc

import pytest

from core.bulk_jobs import startup_objects_frozen


def test_objects_are_frozen_during_the_job_and_unfrozen_after_even_on_error():
    assert gc.get_freeze_count() == 0
    with startup_objects_frozen():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
    with pytest.raises(ValueError), startup_objects_frozen():
        raise ValueError
    assert gc.get_freeze_count() == 0


def test_garbage_made_during_the_job_is_still_collected():
    class Node:
        pass

    with startup_objects_frozen():
        node = Node()
        node.itself = node  # a cycle: only the collector frees it
        del node
        assert gc.collect() >= 1
