import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """Counters and cached profiles of one test never reach the next (in-process cache)."""
    cache.clear()
    yield
    cache.clear()
