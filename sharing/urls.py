"""The API's URLs (/api/v1/), each data view wrapped so that every call is audited with its
outcome (R-API-5) and a method other than GET is answered 405 in JSON (R-API-7). The OpenAPI
description and its docs page hold no data and are not audited."""

from functools import wraps

from django.http import JsonResponse
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _

from audit.services import request_ip

from .api import api
from .services import Checked, call_record, token_check

UNAUDITED = {"openapi-json", "openapi-view"}


def audited(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        checked = getattr(request, "sharing_checked", None)
        if response.status_code == 405:
            header = request.headers.get("Authorization", "")
            scheme, _space, presented = header.partition(" ")
            checked = token_check(presented if scheme.lower() == "bearer" else None)
            allow = response.get("Allow", "GET")
            response = JsonResponse(
                {"detail": _("Only GET is allowed: this API is read-only."), "code": "method"},
                status=405,
            )
            response["Allow"] = allow
        call_record(
            checked=checked or Checked(None, "missing"),
            path=request.path,
            query=request.META.get("QUERY_STRING", ""),
            method=request.method,
            status=response.status_code,
            rows=getattr(request, "sharing_rows", 0),
            ip_address=request_ip(request),
        )
        return response

    return wrapped


def _wrap(patterns):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            _wrap(entry.url_patterns)
        elif isinstance(entry, URLPattern) and entry.name not in UNAUDITED:
            entry.callback = audited(entry.callback)
    return patterns


patterns, _app, _namespace = api.urls
app_name = api.urls_namespace
urlpatterns = _wrap(list(patterns))
