"""Unique names, credit codes and resident ID numbers from an index, through a bijection: no set
of what was issued is kept, so memory stays flat at any size and a seed gives the same data."""

import datetime
import math

from registry.credit_codes import ALPHABET, organization_code_check_character

from .vocabulary import FIRST_WORDS, ID_REGIONS, SECOND_WORDS, SUFFIXES

ID_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]
ID_CHECK = "10X98765432"
BIRTH_FROM = datetime.date(1940, 1, 1)
BIRTH_DAYS = (datetime.date(2004, 12, 31) - BIRTH_FROM).days + 1
ID_SPACE = len(ID_REGIONS) * BIRTH_DAYS * 1000
CREDIT_PREFIX = "K"  # organization codes K0000001…: apart from the bureau's MJ series (R-REG-5)
_CREDIT_WEIGHTS = [pow(3, i, 31) for i in range(17)]


def _stride(space: int, seed: int) -> int:
    """A multiplier coprime with `space`, so index → (start + index × stride) mod space is a
    permutation: consecutive indexes land far apart."""
    stride = space // 2 + 1 + seed * 7919
    while math.gcd(stride, space) != 1:
        stride += 1
    return stride


class NameSpace:
    """Organization names: place + word + word + suffix; the suffix fixes industry and type."""

    def __init__(self, places: list[tuple[int, str]], seed: int):
        assert len(set(FIRST_WORDS)) == len(FIRST_WORDS)
        assert len(set(SECOND_WORDS)) == len(SECOND_WORDS)
        self.places = places  # (district id, prefix)
        self.size = len(places) * len(FIRST_WORDS) * len(SECOND_WORDS) * len(SUFFIXES)
        self.stride = _stride(self.size, seed)
        self.start = seed * 104729 % self.size

    def get(self, index: int) -> tuple[int, str, tuple[str, str, str]]:
        """(district id, name, suffix row) of the organization number `index`."""
        cycle, within = divmod(index, self.size)
        value = (self.start + within * self.stride) % self.size
        value, suffix = divmod(value, len(SUFFIXES))
        value, second = divmod(value, len(SECOND_WORDS))
        place, first = divmod(value, len(FIRST_WORDS))
        district_id, prefix = self.places[place]
        row = SUFFIXES[suffix]
        name = f"{prefix}{FIRST_WORDS[first]}{SECOND_WORDS[second]}{row[0]}"
        if cycle:
            name += f"（{cycle + 1}）"
        return district_id, name, row


class IdNumbers:
    """18-digit resident ID numbers (GB 11643), unique for distinct indexes."""

    def __init__(self, seed: int):
        self.stride = _stride(ID_SPACE, seed)
        self.start = seed * 15485863 % ID_SPACE

    def get(self, index: int) -> tuple[str, datetime.date]:
        value = (self.start + index % ID_SPACE * self.stride) % ID_SPACE
        value, sequence = divmod(value, 1000)
        region, day = divmod(value, BIRTH_DAYS)
        birth = BIRTH_FROM + datetime.timedelta(days=day)
        body = f"{ID_REGIONS[region]}{birth:%Y%m%d}{sequence:03d}"
        total = sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True))
        return body + ID_CHECK[total % 11], birth


def credit_code(type_digit: str, region: str, sequence: int) -> str:
    """R-ID-1 code with the organization code K + 7 digits and both check characters."""
    body = f"{CREDIT_PREFIX}{sequence:07d}"
    first17 = f"5{type_digit}{region}{body}{organization_code_check_character(body)}"
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return first17 + ALPHABET[(31 - total % 31) % 31]
