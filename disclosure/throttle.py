"""At most N public requests a minute from one client address (R-PUB-1).

The counter of an (address, minute) is a cache entry: `cache.add` creates it at 0 only if it
is not there, `cache.incr` raises it atomically (Redis; in-process memory under a lock), so two
requests at once cannot both read the same count."""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import translation

PREFIX = "disclosure:throttle"


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or the header the reverse proxy sets when
    settings.DISCLOSURE["CLIENT_ADDRESS_HEADER"] names one (its last address: the one the
    proxy itself added, not what the client claimed)."""
    header = settings.DISCLOSURE.get("CLIENT_ADDRESS_HEADER")
    if header:
        name = "HTTP_" + header.upper().replace("-", "_")
        value = request.META.get(name, "")
        addresses = [part.strip() for part in value.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR", "")


def request_counted(address: str, now: float | None = None) -> int:
    """Count one request from `address` in the current minute; the count so far."""
    minute = int((now if now is not None else time.time()) // 60)
    key = f"{PREFIX}:{minute}:{address}"
    cache.add(key, 0, 120)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, 120)
        return 1


def throttled(view):
    """Answer 429 (a page in Chinese) past the minute's allowance of the client's address."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        limit = settings.DISCLOSURE["REQUESTS_PER_MINUTE"]
        if request_counted(client_address(request)) > limit:
            with translation.override(settings.LANGUAGE_CODE):
                response = render(
                    request, "disclosure/too_many_requests.html", {"limit": limit}, status=429
                )
            response["Retry-After"] = "60"
            return response
        return view(request, *args, **kwargs)

    return wrapper
