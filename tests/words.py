"""What a person reads on a page: the text between tags, without scripts, styles, comments or
attribute values (issue 19: no raw codes, English or rule ids on pages)."""

import html
import re

RULE_ID = re.compile(r"R-[A-Z]+-\d")


def visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<!--.*?-->", " ", page)
    page = re.sub(r"(?s)<[^>]*>", "\n", page)
    lines = (html.unescape(line).strip() for line in page.splitlines())
    return "\n".join(line for line in lines if line)
