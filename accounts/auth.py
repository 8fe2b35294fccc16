from registry.credit_codes import normalize_credit_code


def axes_username(request, credentials):
    """Organization users type their credit code in any case or spacing; lock the real account."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return normalize_login_name(username)


def normalize_login_name(username: str) -> str:
    cleaned = normalize_credit_code(username or "")
    # Only credit-code-shaped names are upper-cased; staff logins keep their spelling.
    return cleaned if len(cleaned) == 18 and cleaned[0].isdigit() else (username or "").strip()
