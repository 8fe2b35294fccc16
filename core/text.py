"""Text as people paste it."""

# Full-width ASCII (U+FF01–U+FF5E) to half-width, and the ideographic space to a space.
_FULL_WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH_TABLE[0x3000] = 0x20


def normalize_pasted_code(value: str) -> str:
    """A code as typed or pasted (a credit code, a login name made of one): full-width
    letters/digits become half-width, all whitespace (including full-width spaces) is dropped
    and letters are upper-cased."""
    if value.__class__ is str and value.isascii() and value.isalnum():
        return value.upper()  # nothing to translate or drop: most codes, pasted or read
    text = str(value).translate(_FULL_WIDTH_TABLE)
    return "".join(text.split()).upper()
