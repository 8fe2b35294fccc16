"""Resident ID numbers (居民身份证号), rule R-ID-2: checked, normalized, and shown masked."""

import datetime
import re

from django.core.exceptions import ValidationError
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
    """Return the normalized number or raise a ValidationError naming the problem in Chinese."""
    number = normalize_id_number(value)
    if len(number) != 18:
        raise ValidationError(
            "身份证号应为18位，当前为%(length)s位。", code="length", params={"length": len(number)}
        )
    if not ID_NUMBER_CHARACTERS.match(number):  # ASCII only: "①".isdigit() is true
        raise ValidationError("身份证号前17位应为数字，最后一位为数字或X。", code="character")
    try:
        ric.get_birth_date(number)
    except (stdnum_errors.ValidationError, ValueError):
        raise ValidationError(
            "身份证号第7至14位“%(date)s”不是有效的出生日期。",
            code="birth_date",
            params={"date": number[6:14]},
        ) from None
    expected = ric.calc_check_digit(number)
    if number[17] != expected:
        raise ValidationError(
            "身份证号最后一位（校验码）应为%(expected)s，当前为%(actual)s。",
            code="check_digit",
            params={"expected": expected, "actual": number[17]},
        )
    return number


def birth_date_of(number: str) -> datetime.date:
    return ric.get_birth_date(number)


def sex_of(number: str) -> str:
    """The 17th digit is odd for men, even for women (GB 11643)."""
    return "male" if int(number[16]) % 2 else "female"


def mask_id_number(number: str) -> str:
    """220102********1234: region kept, birth date and sequence hidden (R-ID-2)."""
    if not number:
        return ""
    return f"{number[:6]}{'*' * 8}{number[14:]}" if len(number) == 18 else "*" * len(number)


def id_number_for_display(number: str, user) -> str:
    if user is not None and user.has_perm(UNMASK_PERMISSION):
        return number
    return mask_id_number(number)


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
