"""The public pages (信息公开, R-CR-17, R-PUB-1..5): no login, in Chinese whatever the browser
asks for (the registration authority's publication), throttled per client address."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_safe

from core import calendar

from .cache import cached_profile
from .selectors import (
    MIN_NAME_LENGTH,
    credit_code_of,
    organization_by_code,
    organization_search,
)
from .throttle import throttled


def _render(request, template: str, context: dict, status: int = 200):
    with translation.override(settings.LANGUAGE_CODE):
        return render(request, template, context, status=status)


def not_found(request):
    return _render(request, "disclosure/not_found.html", {}, status=404)


@throttled
def unknown_page(request):
    return not_found(request)


@throttled
@require_safe
def search(request):
    query = request.GET.get("q", "")[:200]
    after = request.GET.get("after", "")[:40]
    result = organization_search(query, after=after)
    return _render(
        request,
        "disclosure/search.html",
        {
            "query": query.strip(),
            "after": bool(result.kind == "name" and after),
            "result": result,
            "min_length": MIN_NAME_LENGTH,
            "first_page_query": urlencode({"q": query.strip()}),
            "next_page_query": urlencode({"q": query.strip(), "after": result.next_after})
            if result.next_after
            else "",
        },
    )


@throttled
@require_safe
def profile(request, credit_code):
    """The profile of the organization with `credit_code`; a code typed in lower case or with
    spaces is sent on to its written form, anything else that is no public organization's code
    is a plain 404 (R-PUB-2: no ids in the address, nothing to enumerate)."""
    code = credit_code_of(credit_code)
    if code is None:
        return not_found(request)
    if code != credit_code:
        return redirect("disclosure:profile", code)
    organization = organization_by_code(code)
    data = cached_profile(organization) if organization is not None else None
    if data is None:
        return not_found(request)
    grade = data["grade"]
    today = calendar.today()
    return _render(
        request,
        "disclosure/profile.html",
        {
            "profile": data,
            "today": today,
            "grade_expired": bool(
                grade and grade["graded"] and grade["valid_until"] and grade["valid_until"] < today
            ),
            "authority": data["authority"],
        },
    )
