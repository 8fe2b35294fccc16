import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Mainland mobile (1[3-9]x, 11 digits) or a landline with area code, optional extension.
PHONE_PATTERN = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")


def validate_phone(value: str) -> None:
    compact = (value or "").replace(" ", "")
    if not PHONE_PATTERN.match(compact):
        raise ValidationError(
            _(
                "“%(value)s” is not a phone number: use an 11-digit mobile number "
                "or a landline with area code, e.g. 0431-88888888."
            ),
            code="phone",
            params={"value": value},
        )
