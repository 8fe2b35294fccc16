"""Resident ID numbers (居民身份证号), rule R-ID-2: checked, normalized, and shown masked."""

import datetime

from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

UNMASK_PERMISSION = "partybuilding.view_unmasked_id_number"


def normalize_id_number(value: str) -> str:
    return "".join((value or "").split()).upper().replace("Ｘ", "X")


def validate_id_number(value: str) -> str:
    """Return the normalized number or raise a ValidationError naming the problem in Chinese."""
    number = normalize_id_number(value)
    if len(number) != 18:
        raise ValidationError(
            "身份证号应为18位，当前为%(length)s位。", code="length", params={"length": len(number)}
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
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
