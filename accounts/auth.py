from core.text import normalize_pasted_code


def normalize_login_name(username: str) -> str:
    """Organization users type their credit code in any case or spacing; one account, one name
    (the lockout counts failures by it)."""
    cleaned = normalize_pasted_code(username or "")
    # Only credit-code-shaped names are upper-cased; staff logins keep their spelling.
    return cleaned if len(cleaned) == 18 and cleaned[0].isdigit() else (username or "").strip()
