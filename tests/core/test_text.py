"""`core.text.normalize_pasted_code`: its shortcut for plain ASCII codes gives what the full
normalization gives."""

import pytest

from core.text import _FULL_WIDTH_TABLE, normalize_pasted_code


def slow(value) -> str:
    return "".join(str(value).translate(_FULL_WIDTH_TABLE).split()).upper()


@pytest.mark.parametrize(
    "value",
    [
        "51220100MJ0123456X",
        "51220100mj0123456x",
        " 5122 0100 ",
        "５１２２ＡＢ",
        "ab\u3000cd",
        "",
        12,
        "ß1",
    ],
)
def test_the_shortcut_agrees_with_the_full_normalization(value):
    assert normalize_pasted_code(value) == slow(value)
