"""The Content-Security-Policy (config/csp.py; issue 8): on every HTML page in every
environment, scripts only from our own files, never inline; and no template of ours needs more
(no inline <script>, no on…= handler, no style attribute or <style> block)."""

import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.urls import reverse

from config.csp import HEADER, REPORT_ONLY_HEADER, ContentSecurityPolicyMiddleware

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in header.split(";"):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


@pytest.mark.parametrize("url_name", ["admin:login", "portal:login"])
def test_html_pages_carry_the_policy_without_inline_scripts(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    policy = directives(response[HEADER])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert not any("unsafe" in source for source in policy["script-src"])


def test_a_report_uri_from_the_settings_is_added(client, settings):
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "REPORT_URI": "https://csp.example.gov.cn/report",
    }

    policy = directives(client.get(reverse("admin:login"))[HEADER])

    assert policy["report-uri"] == ["https://csp.example.gov.cn/report"]


def test_report_only_sends_the_policy_under_the_report_only_header(client, settings):
    settings.CONTENT_SECURITY_POLICY = {**settings.CONTENT_SECURITY_POLICY, "REPORT_ONLY": True}

    response = client.get(reverse("admin:login"))

    assert HEADER not in response
    assert directives(response[REPORT_ONLY_HEADER])["script-src"] == ["'self'"]


def test_a_response_that_is_not_html_gets_no_policy(rf):
    def workbook(request):
        return HttpResponse(b"PK", content_type="application/vnd.ms-excel")

    response = ContentSecurityPolicyMiddleware(workbook)(rf.get("/"))

    assert HEADER not in response


def test_a_page_that_set_its_own_policy_keeps_it(rf):
    def framed(request):
        response = HttpResponse("<p>")
        response[HEADER] = "frame-ancestors 'self'"
        return response

    response = ContentSecurityPolicyMiddleware(framed)(rf.get("/"))

    assert response[HEADER] == "frame-ancestors 'self'"


INLINE = {
    "an inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "an inline event handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "a style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "a <style> block": re.compile(r"<style[\s>]", re.IGNORECASE),
}


def test_no_template_of_ours_needs_inline_script_or_style():
    found = [
        f"{path.relative_to(TEMPLATES)}: {what}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for what, pattern in INLINE.items()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
