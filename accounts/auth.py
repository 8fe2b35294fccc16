from registry.credit_codes import normalize_credit_code


def axes_username(request, credentials):
    """Organization users type their credit code in any case or spacing; lock the real account."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return normalize_login_name(username)


def normalize_login_name(username: str) -> str:
    cleaned = normalize_credit_code(username or "")
    # Only credit-code-shaped names are upper-cased; staff logins keep their spelling.
    return cleaned if len(cleaned) == 18 and cleaned[0].isdigit() else (username or "").strip()


def lockout_response(request, original_response, credentials):
    """Say in the user's language when the account opens again, not an ISO duration."""
    from axes.helpers import get_cool_off, get_failure_limit
    from axes.models import AccessAttempt
    from django.db.models import Max
    from django.shortcuts import render
    from django.utils import timezone

    username = axes_username(request, credentials)
    last_failure = AccessAttempt.objects.filter(username=username).aggregate(
        last=Max("attempt_time")
    )["last"]
    cool_off = get_cool_off(request)
    unlock_at = (last_failure or timezone.now()) + cool_off if cool_off else None
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "unlock_at": unlock_at,
        "cool_off_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "accounts/lockout.html", context, status=429)
