"""The Content-Security-Policy header (issue 8, MLPS 2.0): Django 5.2 has none built in.

Every HTML response carries the policy of settings.CONTENT_SECURITY_POLICY, in every
environment (tests and browser tests see what production sends). Scripts and styles come from
our own static files only: an injected <script> or onclick= never runs, even if some template
forgot to escape. A response that set its own policy keeps it."""

from django.conf import settings

HEADER = "Content-Security-Policy"
REPORT_ONLY_HEADER = "Content-Security-Policy-Report-Only"


def csp_header_value(policy: dict) -> str:
    """`policy` is settings.CONTENT_SECURITY_POLICY: {"DIRECTIVES": {name: [sources]}, …}."""
    directives = [
        f"{name} {' '.join(sources)}".strip() for name, sources in policy["DIRECTIVES"].items()
    ]
    if policy.get("REPORT_URI"):
        directives.append(f"report-uri {policy['REPORT_URI']}")
    return "; ".join(directives)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        header = REPORT_ONLY_HEADER if policy.get("REPORT_ONLY") else HEADER
        is_html = response.get("Content-Type", "").startswith("text/html")
        if is_html and header not in response:
            response[header] = csp_header_value(policy)
        return response
