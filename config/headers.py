"""The Permissions-Policy header (issue 13), on every response: settings.PERMISSIONS_POLICY
maps each browser feature to the origins allowed to use it (an empty list: none)."""

from django.conf import settings

HEADER = "Permissions-Policy"


def permissions_policy_value(policy: dict[str, list[str]]) -> str:
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", None)
        if policy and HEADER not in response:
            response[HEADER] = permissions_policy_value(policy)
        return response
