"""The evidence of a list entry: stored as structured JSON (`ListEntry.evidence`, a list of
{"kind": ..., "date": "YYYY-MM-DD", "params": {...}}) and rendered here in the reader's
language, so no page shows a raw code. The daily job (credit.services.proposals) writes it
through `item`; every page reads it through `evidence_lines`."""

import datetime

from django.utils.translation import gettext, pgettext

from core.calendar import long_date

from .choices import Ground, PenaltyKind

ANNUAL_REPORT = "annual_report_missing"
NO_PARTY_ORGANIZATION = "no_party_organization"
CHECK_RECTIFICATION = "annual_check_rectification"
RECTIFICATION_NOTICE = "rectification_notice"
PENALTY = "penalty"
REPEATED_PENALTIES = "penalties_repeated"
RETURNED_LETTERS = "returned_letters"
ABNORMAL_TERM = "abnormal_term"
CLERK_NOTE = "clerk_note"


def item(evidence_kind: str, date: datetime.date | None, /, **params) -> dict:
    """One piece of evidence, JSON-ready (dates as ISO strings)."""
    return {
        "kind": evidence_kind,
        "date": date.isoformat() if date else None,
        "params": {key: _plain(value) for key, value in params.items()},
    }


def _plain(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value if value is None or isinstance(value, int | float | bool) else str(value)


def _date(value) -> str:
    if not value:
        return ""
    try:
        return long_date(datetime.date.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value)


def _penalty(params: dict) -> str:
    kinds = dict(PenaltyKind.choices)
    text = gettext("%(kind)s by %(department)s, decision %(number)s, effective %(date)s") % {
        "kind": kinds.get(params.get("kind"), gettext("penalty")),
        "department": params.get("department", ""),
        "number": params.get("decision_number", ""),
        "date": _date(params.get("effective_on")),
    }
    if params.get("amount_yuan"):
        text += gettext(" (fine of %(amount)s yuan)") % {"amount": params["amount_yuan"]}
    return text


def _line(kind: str, params: dict) -> str:
    if kind == ANNUAL_REPORT:
        return gettext(
            "No annual work report for %(year)s was submitted by the deadline, %(deadline)s."
        ) % {"year": params.get("year", ""), "deadline": _date(params.get("deadline"))}
    if kind == NO_PARTY_ORGANIZATION:
        return gettext(
            "Has %(members)s counted Party members and no Party organization (should build but "
            "has not) since %(since)s, longer than the %(days)s days allowed."
        ) % {
            "members": params.get("counted_members", ""),
            "since": _date(params.get("since")),
            "days": params.get("grace_days", ""),
        }
    if kind == CHECK_RECTIFICATION:
        return gettext(
            "Rectification item of the %(year)s annual check not closed by %(due)s: %(problem)s"
        ) % {
            "year": params.get("year", ""),
            "due": _date(params.get("due_on")),
            "problem": params.get("problem", ""),
        }
    if kind == RECTIFICATION_NOTICE:
        return gettext(
            "Rectification notice %(number)s not complied with by %(due)s: %(matter)s"
        ) % {
            "number": params.get("notice_number", ""),
            "due": _date(params.get("due_on")),
            "matter": params.get("matter", ""),
        }
    if kind == PENALTY:
        return _penalty(params)
    if kind == REPEATED_PENALTIES:
        lines = "; ".join(_penalty(p) for p in params.get("penalties", []))
        return gettext("%(count)s light penalties within %(years)s years: %(penalties)s") % {
            "count": len(params.get("penalties", [])),
            "years": params.get("window_years", ""),
            "penalties": lines,
        }
    if kind == RETURNED_LETTERS:
        return gettext(
            "Two letters to the registered residence came back unsigned: sent %(first_sent)s "
            "(%(first_number)s) and %(second_sent)s (%(second_number)s), %(days)s days apart."
        ) % {
            "first_sent": _date(params.get("first_sent_on")),
            "first_number": params.get("first_tracking_number", ""),
            "second_sent": _date(params.get("second_sent_on")),
            "second_number": params.get("second_tracking_number", ""),
            "days": params.get("days_apart", ""),
        }
    if kind == ABNORMAL_TERM:
        grounds = dict(Ground.choices)
        return gettext(
            "On the abnormal-activity list since %(since)s, %(years)s years or more (grounds: "
            "%(grounds)s)."
        ) % {
            "since": _date(params.get("term_starts_on")),
            "years": params.get("years", ""),
            "grounds": pgettext("list separator", ", ").join(
                str(grounds.get(code, gettext("another ground")))
                for code in params.get("grounds", [])
            ),
        }
    if kind == CLERK_NOTE:
        return str(params.get("text", ""))
    return gettext("Other evidence")


def evidence_lines(evidence) -> list[dict]:
    """[{"date": "2019年06月01日", "text": ...}, …] for a page, in the reader's language."""
    lines = []
    for entry in evidence or []:
        if not isinstance(entry, dict):
            continue
        lines.append(
            {
                "date": _date(entry.get("date")),
                "text": _line(entry.get("kind", ""), entry.get("params") or {}),
            }
        )
    return lines
