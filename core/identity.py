"""Resident ID numbers (居民身份证号), rule R-ID-2: checked, normalized, and shown masked."""

import datetime
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

UNMASK_PERMISSION = "partybuilding.view_unmasked_id_number"
# Full phone numbers (issue 8): clerks and supervisory units need them, other roles see them masked.
PHONE_PERMISSION = "registry.view_contact_phone"
ID_NUMBER_CHARACTERS = re.compile(r"^[0-9]{17}[0-9X]$")
MOBILE = re.compile(r"^1[0-9]{10}$")
LANDLINE = re.compile(r"^(0[0-9]{2,3}-?)([0-9]{7,8})(-[0-9]{1,6})?$")


def normalize_id_number(value: str) -> str:
    return "".join((value or "").split()).upper().replace("Ｘ", "X")


def validate_id_number(value: str) -> str:
    """Return the normalized number or raise a ValidationError naming the problem."""
    number = normalize_id_number(value)
    if len(number) != 18:
        raise ValidationError(
            _("A resident ID number has 18 characters; this one has %(length)s."),
            code="length",
            params={"length": len(number)},
        )
    if not ID_NUMBER_CHARACTERS.match(number):  # ASCII only: "①".isdigit() is true
        raise ValidationError(
            _("The first 17 characters of a resident ID number are digits, the last a digit or X."),
            code="character",
        )
    try:
        ric.get_birth_date(number)
    except (stdnum_errors.ValidationError, ValueError):
        raise ValidationError(
            _("Characters 7 to 14 of the resident ID number, “%(date)s”, are not a birth date."),
            code="birth_date",
            params={"date": number[6:14]},
        ) from None
    expected = ric.calc_check_digit(number)
    if number[17] != expected:
        raise ValidationError(
            _(
                "The last character of the resident ID number (its check character) must be "
                "%(expected)s, not %(actual)s."
            ),
            code="check_digit",
            params={"expected": expected, "actual": number[17]},
        )
    return number


def birth_date_of(number: str) -> datetime.date:
    return ric.get_birth_date(number)


def sex_of(number: str) -> str:
    """The 17th digit is odd for men, even for women (GB 11643)."""
    return "male" if int(number[16]) % 2 else "female"


# R-ID-2: what a user without UNMASK_PERMISSION sees of a number. Region codes are few and the
# sex is shown, so the mask must leave the birth date and the sequence hidden with margin: the
# first three characters (the province and city digits) and the check character only. With the
# region and the sex known and even the birth year guessed, about 16,600 numbers still fit
# (365 days x 500 sequences / 11 check values); no page shows such a user the birth date, month or
# year (birth_date_for_display), since a known birth date would undo the mask.
MASK_KEEP_START = 3
MASK_KEEP_END = 1


def mask_id_number(number: str) -> str:
    """220**************0: the only place a number is masked (R-ID-2). Idempotent, so a number
    masked under an older, narrower mask is re-masked by the same call."""
    if not number:
        return ""
    if len(number) != 18:
        return "*" * len(number)
    hidden = 18 - MASK_KEEP_START - MASK_KEEP_END
    return f"{number[:MASK_KEEP_START]}{'*' * hidden}{number[-MASK_KEEP_END:]}"


def can_see_id_numbers(user) -> bool:
    return user is not None and user.has_perm(UNMASK_PERMISSION)


def id_number_for_display(number: str, user) -> str:
    if can_see_id_numbers(user):
        return number
    return mask_id_number(number)


def birth_date_for_display(birth_date, user):
    """The birth date, or None for a user who sees ID numbers masked: it is digits 7-14 of the
    number, so any part of it (date, month or year) narrows the masked number (R-ID-2)."""
    return birth_date if can_see_id_numbers(user) else None


def mask_phone(value: str) -> str:
    """139****0001 for a mobile, 0431-****1234 for a landline (area code kept, extension
    dropped); anything else keeps only its last four characters."""
    compact = "".join((value or "").split())
    if not compact:
        return ""
    if MOBILE.match(compact):
        return f"{compact[:3]}****{compact[-4:]}"
    landline = LANDLINE.match(compact)
    if landline:
        area, number = landline.group(1), landline.group(2)
        return f"{area}{'*' * (len(number) - 4)}{number[-4:]}"
    if len(compact) <= 4:
        return "*" * len(compact)
    return "*" * (len(compact) - 4) + compact[-4:]


def can_see_phones(user) -> bool:
    return user is not None and user.has_perm(PHONE_PERMISSION)


def phone_for_display(value: str, user) -> str:
    return value if can_see_phones(user) else mask_phone(value)


def repeated_id_number_errors(numbered_id_numbers: Iterable[tuple[int, str]]) -> list[str]:
    """`numbered_id_numbers`: (row number, normalized ID number) of a member table's rows. One
    message per row whose ID number an earlier row already carries, naming both rows: the
    registration and annual-check member tables, whether checked by a form or a service."""
    first_row, errors = {}, []
    for number, id_number in numbered_id_numbers:
        if id_number in first_row:
            errors.append(
                gettext("Rows %(row)s and %(first)s have the same ID number.")
                % {"row": number, "first": first_row[id_number]}
            )
        else:
            first_row[id_number] = number
    return errors
