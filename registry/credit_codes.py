"""Unified social credit codes (统一社会信用代码) — domain rule R-ID-1.

R-ID-1 (GB 32100-2015): a code has 18 characters from ``ALPHABET``.

* position 1: registration authority (``5`` = civil affairs, 民政部门);
* position 2: organization type under that authority (``1`` social group,
  ``2`` private non-enterprise unit, ``3`` foundation, ``9`` other);
* positions 3–8: region code of the registering authority (e.g. Changchun ``220100``);
* positions 9–17: organization code (GB 11714), with its own check character at 17;
* position 18: check character over positions 1–17.

python-stdnum's ``stdnum.cn.uscc`` only knows the position-18 check, so it is used
for that; the GB 11714 check, the authority and the type checks live here.
"""

from __future__ import annotations

import re
from operator import mul

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from stdnum.cn import uscc

from core.text import normalize_pasted_code
from registry.choices import OrganizationType

#: R-ID-1: the 31 symbols allowed in a unified social credit code (no I, O, S, V, Z).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

#: R-ID-1: position 1 of a code issued by civil affairs (民政部门).
CIVIL_AFFAIRS_AUTHORITY = "5"

#: R-ID-1: position 2 for each organization type registered by civil affairs.
TYPE_DIGITS: dict[str, str] = {
    OrganizationType.SOCIAL_GROUP.value: "1",
    OrganizationType.PRIVATE_NON_ENTERPRISE.value: "2",
    OrganizationType.FOUNDATION.value: "3",
}

#: Meaning of position 2 under civil affairs, for messages.
TYPE_DIGIT_NAMES: dict[str, str] = {
    "1": _("social group"),
    "2": _("private non-enterprise unit"),
    "3": _("foundation"),
    "9": pgettext_lazy("organization category", "other"),
}

#: Registration authorities of position 1 (GB 32100-2015), for messages.
AUTHORITY_NAMES: dict[str, str] = {
    "1": pgettext_lazy("registering department", "staffing authorities"),
    "2": pgettext_lazy("registering department", "foreign affairs"),
    "3": pgettext_lazy("registering department", "judicial administration"),
    "4": pgettext_lazy("registering department", "culture"),
    "5": pgettext_lazy("registering department", "civil affairs"),
    "6": pgettext_lazy("registering department", "tourism"),
    "7": pgettext_lazy("registering department", "religious affairs"),
    "8": pgettext_lazy("registering department", "trade unions"),
    "9": pgettext_lazy("registering department", "industry and commerce, market regulation"),
    "A": pgettext_lazy(
        "registering department", "the Central Military Commission's reform and staffing office"
    ),
    "N": pgettext_lazy("registering department", "agriculture"),
    "Y": pgettext_lazy("registering department", "other departments"),
}

CODE_LENGTH = 18
ORGANIZATION_CODE_BODY_LENGTH = 8

#: GB 11714 weights over the 8-character organization code body.
_ORGANIZATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def normalize_credit_code(value: str) -> str:
    """Normalize a pasted code (R-ID-1): full-width letters/digits become half-width, all
    whitespace (including full-width spaces) is dropped and letters are upper-cased."""
    return normalize_pasted_code(value)


def _gb11714_value(character: str) -> int:
    """GB 11714 value of a character: digits are themselves, A=10 … Z=35."""
    if character.isdigit():
        return int(character)
    return ord(character) - ord("A") + 10


# Looked up rather than computed: the ledger import checks a province's codes (100,000 and more)
# in one go. Same values as `_gb11714_value` and as python-stdnum's `uscc.calc_check_digit`.
_GB11714_VALUES = {character: _gb11714_value(character) for character in ALPHABET}
_ALPHABET_SET = frozenset(ALPHABET)
_USCC_VALUES = {character: index for index, character in enumerate(ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _uscc_check_character(first17: str) -> str:
    """Position 18 of a code whose first 17 characters are from ``ALPHABET`` (GB 32100: the
    check python-stdnum's ``uscc.calc_check_digit`` computes)."""
    if len(first17) != len(_USCC_WEIGHTS):
        raise ValueError(f"17 characters expected, got {first17!r}")
    total = sum(map(mul, map(_USCC_VALUES.__getitem__, first17), _USCC_WEIGHTS))
    return ALPHABET[(31 - total) % 31]


def organization_code_check_character(body: str) -> str:
    """Return the GB 11714 check character for an 8-character organization code body.

    R-ID-1: position 17 of the credit code. Letters count A=10 … Z=35 (not their
    index in ``ALPHABET``); C = 11 − (Σ value × weight mod 11), 10 → ``X``, 11 → ``0``.
    """
    if len(body) != ORGANIZATION_CODE_BODY_LENGTH or not _ALPHABET_SET.issuperset(body):
        raise ValueError(
            f"organization code body must be {ORGANIZATION_CODE_BODY_LENGTH} characters "
            f"from {ALPHABET!r}, got {body!r}"
        )
    total = sum(map(mul, map(_GB11714_VALUES.__getitem__, body), _ORGANIZATION_CODE_WEIGHTS))
    check = 11 - total % 11
    if check == 10:
        return "X"
    if check == 11:
        return "0"
    return str(check)


def validate_credit_code(value: str, *, organization_type: str | None = None) -> str:
    """Validate a unified social credit code under R-ID-1 and return it normalized.

    Checks, in order: length, characters, authority (position 1 = ``5``), the GB 11714
    check at position 17, the check at position 18 and — only when
    ``organization_type`` is given — that position 2 matches the type.
    Raises ``ValidationError`` with codes ``length``, ``character``, ``authority``,
    ``category``, ``region``, ``organization_code_check``, ``check_character`` or ``type_mismatch``.
    """
    if organization_type is not None and organization_type not in TYPE_DIGITS:
        raise ValueError(f"unknown organization type: {organization_type!r}")

    code = normalize_credit_code(value)

    if len(code) != CODE_LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(length)s."),
            code="length",
            params={"length": len(code)},
        )

    for position, character in enumerate(() if _ALPHABET_SET.issuperset(code) else code, start=1):
        if character not in ALPHABET:
            raise ValidationError(
                _(
                    "Character %(position)s of the unified social credit code, “%(character)s”, "
                    "is not allowed: only digits and capital letters, without I, O, S, V and Z."
                ),
                code="character",
                params={"position": position, "character": character},
            )

    authority = code[0]
    if authority != CIVIL_AFFAIRS_AUTHORITY:
        raise ValidationError(
            _(
                "Character 1 of the unified social credit code (the registering department) "
                "must be 5 (civil affairs), not %(authority)s (%(authority_name)s)."
            ),
            code="authority",
            params={
                "authority": authority,
                "authority_name": AUTHORITY_NAMES.get(
                    authority, _("an undefined registering department")
                ),
            },
        )

    if code[1] not in TYPE_DIGIT_NAMES:
        raise ValidationError(
            _(
                "Character 2 of the unified social credit code (the organization category) "
                "must be 1, 2, 3 or 9, not %(digit)s."
            ),
            code="category",
            params={"digit": code[1]},
        )

    region = code[2:8]
    if not region.isdigit():
        raise ValidationError(
            _(
                "Characters 3 to 8 of the unified social credit code (the registering "
                "authority's region code) must be 6 digits, not %(region)s."
            ),
            code="region",
            params={"region": region},
        )

    expected_org_check = organization_code_check_character(code[8:16])
    if code[16] != expected_org_check:
        raise ValidationError(
            _(
                "Character 17 of the unified social credit code (the organization code's check "
                "character) must be %(expected)s, not %(actual)s."
            ),
            code="organization_code_check",
            params={"expected": expected_org_check, "actual": code[16]},
        )

    expected_check = _uscc_check_character(code[:17])
    if code[17] != expected_check:
        raise ValidationError(
            _(
                "Character 18 of the unified social credit code (its check character) must be "
                "%(expected)s, not %(actual)s."
            ),
            code="check_character",
            params={"expected": expected_check, "actual": code[17]},
        )

    if organization_type is not None and code[1] != TYPE_DIGITS[organization_type]:
        raise ValidationError(
            _(
                "Character 2 of the unified social credit code (the organization category) is "
                "%(digit)s, meaning %(digit_name)s, but the organization is a "
                "%(organization_type_name)s (it should be %(expected)s)."
            ),
            code="type_mismatch",
            params={
                "digit": code[1],
                "digit_name": TYPE_DIGIT_NAMES.get(code[1], _("an undefined category")),
                "organization_type_name": OrganizationType(organization_type).label,
                "expected": TYPE_DIGITS[organization_type],
            },
        )

    return code


def credit_code_validator(value: str) -> None:
    """Model/form field validator for R-ID-1 (no organization-type check)."""
    validate_credit_code(value)


def make_credit_code(
    *,
    type_digit: str,
    region: str,
    organization_code_body: str,
    authority: str = CIVIL_AFFAIRS_AUTHORITY,
) -> str:
    """Build a complete R-ID-1 code, computing both check characters.

    ``organization_code_body`` is the 8-character GB 11714 body (digits/uppercase
    letters from ``ALPHABET``); ``region`` is the 6-digit region code.
    """
    if len(authority) != 1 or authority not in ALPHABET:
        raise ValueError(f"authority must be one character from {ALPHABET!r}, got {authority!r}")
    if len(type_digit) != 1 or type_digit not in ALPHABET:
        raise ValueError(f"type_digit must be one character from {ALPHABET!r}, got {type_digit!r}")
    if len(region) != 6 or not all(c in "0123456789" for c in region):
        raise ValueError(f"region must be 6 digits, got {region!r}")
    org_check = organization_code_check_character(organization_code_body)
    first17 = f"{authority}{type_digit}{region}{organization_code_body}{org_check}"
    return first17 + uscc.calc_check_digit(first17)


class CreditCodeFormField(forms.CharField):
    """Accepts what people paste (spaces, lower case, full-width) and hands on the clean code."""

    def __init__(self, **kwargs):
        kwargs["max_length"] = 40  # room for pasted spaces; the model field checks the real length
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_credit_code(super().to_python(value) or "")


class CreditCodeField(models.CharField):
    """A unified social credit code, normalized before any check (R-ID-1)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_credit_code(value) if value else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CreditCodeFormField, **kwargs})


# A term shaped like the start of a credit code: authority, type and region at least (R-ID-1).
CREDIT_CODE_PREFIX = re.compile(r"^5[1239][0-9]{6}[0-9A-HJ-NP-RTUW-Y]{0,10}$")


def credit_code_lookup(search_term: str, field: str = "credit_code") -> Q | None:
    """The lookup a search term means when it is (the start of) a credit code: the exact code
    or a prefix (LIKE 'x%', on PostgreSQL's pattern index of the column); None otherwise."""
    code = normalize_credit_code(search_term)
    if not CREDIT_CODE_PREFIX.match(code):
        return None
    if len(code) == 18:
        return Q(**{field: code})
    return Q(**{f"{field}__startswith": code})
