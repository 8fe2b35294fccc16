"""Password rules (MLPS 2.0 level 3): mixed character classes, nothing guessable from the
account. Configured in settings.AUTH_PASSWORD_VALIDATORS beside Django's length, common-password
and all-digits validators."""

import re
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CHARACTER_CLASSES = (
    ("upper", re.compile(r"[A-Z]")),
    ("lower", re.compile(r"[a-z]")),
    ("digit", re.compile(r"[0-9]")),
    # Anything that is not an ASCII letter or digit: punctuation, spaces, other scripts.
    ("symbol", re.compile(r"[^A-Za-z0-9]")),
)


def character_classes(password: str) -> set[str]:
    return {name for name, pattern in CHARACTER_CLASSES if pattern.search(password)}


class CharacterClassesValidator:
    """At least `min_classes` of upper case, lower case, digits and symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must contain at least %(count)d of these four kinds of "
                    "characters: upper-case letters, lower-case letters, digits and symbols."
                ),
                code="password_too_uniform",
                params={"count": self.min_classes},
            )

    def get_help_text(self):
        return _(
            "Your password must contain at least %(count)d of these four kinds of characters: "
            "upper-case letters, lower-case letters, digits and symbols."
        ) % {"count": self.min_classes}


def account_words(user) -> list[tuple[str, str]]:
    """(what, value) pairs a password must not resemble: the login name (for organizations the
    credit code), the display name, and the organization's or supervisory unit's name."""
    if user is None:
        return []
    words = [
        (_("username"), getattr(user, "username", "")),
        (_("full name"), getattr(user, "first_name", "")),
        (_("full name"), getattr(user, "last_name", "")),
        (_("email address"), getattr(user, "email", "")),
    ]
    organization = user.organization if getattr(user, "organization_id", None) else None
    if organization is not None:
        words.append((_("unified social credit code"), organization.credit_code))
        words.append((_("name of the social organization"), organization.name))
        if organization.supervisory_unit_id:
            words.append(
                (_("name of the business supervisory unit"), organization.supervisory_unit.name)
            )
    if getattr(user, "supervisory_unit_id", None):
        words.append((_("name of the business supervisory unit"), user.supervisory_unit.name))
    return [(what, str(value)) for what, value in words if value]


class AccountSimilarityValidator:
    """Refuses a password that contains, or closely resembles, something anyone knowing the
    account knows. Containment is checked case-insensitively for fragments of at least
    `min_fragment` characters (shorter ones would refuse half of all passwords); similarity as
    difflib's ratio, like Django's UserAttributeSimilarityValidator."""

    def __init__(self, max_similarity: float = 0.7, min_fragment: int = 4):
        self.max_similarity = max_similarity
        self.min_fragment = min_fragment

    def validate(self, password, user=None):
        lowered = password.lower()
        for what, value in account_words(user):
            fragments = {value.lower(), *(p.lower() for p in re.split(r"\W+", value))}
            for fragment in fragments:
                if not fragment:
                    continue
                contained = len(fragment) >= self.min_fragment and fragment in lowered
                similar = (
                    SequenceMatcher(a=lowered, b=fragment).quick_ratio() >= self.max_similarity
                    and SequenceMatcher(a=lowered, b=fragment).ratio() >= self.max_similarity
                )
                if contained or similar:
                    raise ValidationError(
                        _("The password is too similar to the %(what)s of this account."),
                        code="password_too_similar",
                        params={"what": what},
                    )

    def get_help_text(self):
        return _(
            "Your password must not contain or resemble your username, credit code, name, or "
            "the name of your organization or supervisory unit."
        )
