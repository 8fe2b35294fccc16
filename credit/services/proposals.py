"""The daily job (R-CR-3, R-CR-4, R-CR-10..12): proposals from data, for a clerk to confirm or
dismiss, and the removals at the end of a term.

Every reading is set-based — one query per ground (or per slice of its candidates), never one
per organization — so a province's million organizations cost the same few statements as a
city's hundred. Each proposal names its fact in `evidence_key` ("annual_report:2018",
"penalty:17"…); the unique constraint (organization, list, evidence_key) and the reading of the
keys already stored make the job idempotent, and a dismissed proposal is never made again.
Organizations whose registration ended (R-DEREG-10) are not proposed, but for the revocation
itself (R-CR-12: a revoked organization is listed from the day the penalty takes effect)."""

import datetime
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q

from annualcheck.models import AnnualCheck, Rectification
from annualcheck.rules import exemption_cutoff, month_day
from annualcheck.selectors import overdue_condition
from audit.bulk import BulkWrite
from partybuilding.choices import PartyBuildingStatus
from partybuilding.standings.selectors import with_party_building
from registry.models import Organization
from registry.selectors import registered_on_day

from .. import evidence, rules
from ..choices import (
    GROUNDS_NEEDING_CORRECTION,
    LIST_OF_GROUND,
    ON_LIST_STATUSES,
    CreditList,
    EntryStatus,
    Ground,
    PenaltyKind,
)
from ..choices import RemovalPath as P
from ..models import (
    ListEntry,
    ListEntryEvent,
    NoPartyOrganizationSpell,
    Penalty,
    RectificationNotice,
    ReturnedLetter,
)
from ..signals import entry_decided
from ..workflow import ENTRY_WORKFLOW

CHUNK = 2000
G = Ground


@dataclass
class Proposal:
    organization_id: int
    ground: str
    evidence_key: str
    evidence: list = field(default_factory=list)

    @property
    def credit_list(self) -> str:
        return LIST_OF_GROUND[self.ground]


@dataclass
class Outcome:
    """What one run did: proposals made per ground, entries removed at their term's end."""

    proposed: dict = field(default_factory=dict)
    expired: int = 0

    @property
    def total(self) -> int:
        return sum(self.proposed.values())


def registered(today: datetime.date) -> Q:
    """Organizations whose registration stands today (R-DEREG-8, R-DEREG-10)."""
    return registered_on_day(today) & Q(registered_on__lte=today)


def _organizations(today, prefix: str = "organization__") -> Q:
    """`registered(today)` seen from a model pointing at the organization."""
    return Q(
        Q(**{f"{prefix}status": "active"}) | Q(**{f"{prefix}registration_ended_on__gt": today}),
        **{f"{prefix}registered_on__lte": today},
    )


# --- (a) the annual work report (R-CR-3 item 1, R-AC-2) ----------------------------------------


def report_year(today: datetime.date) -> int:
    """The latest year whose annual check's deadline to the registration authority is past."""
    year = today.year - 1
    return year if today > report_deadline(year) else year - 1


def report_deadline(year: int) -> datetime.date:
    return month_day(year + 1, settings.ANNUAL_CHECK["AUTHORITY_DEADLINE"])


def annual_report_proposals(today):
    """Organizations due to file `year`'s check (not exempt, R-AC-2) that submitted none by the
    registration authority's deadline."""
    year = report_year(today)
    deadline = report_deadline(year)
    on_time = AnnualCheck.objects.filter(
        organization=OuterRef("pk"), year=year, submitted_on__lte=deadline
    )
    organizations = (
        Organization.objects.filter(registered(today), registered_on__lte=exemption_cutoff(year))
        .filter(~Exists(on_time))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    proof = [evidence.item(evidence.ANNUAL_REPORT, deadline, year=year, deadline=deadline)]
    for organization_id in organizations.iterator(chunk_size=CHUNK):
        yield Proposal(organization_id, G.ANNUAL_REPORT, f"annual_report:{year}", proof)


# --- (b) no Party organization where one is required (R-CR-3 item 2, R-PB-6) ------------------


def no_party_organization_proposals(today):
    """Keeps the spells the job has seen (credit.models.NoPartyOrganizationSpell) and proposes
    the organizations 应建未建 for longer than the grace period, once per spell."""
    should_build = (
        with_party_building(Organization.objects.filter(registered(today)), as_of=today)
        .filter(party_building_status=PartyBuildingStatus.SHOULD_BUILD)
        .order_by()
    )
    ids = should_build.values("pk")
    NoPartyOrganizationSpell.objects.exclude(organization_id__in=ids).delete()
    new = should_build.filter(no_party_organization_spell__isnull=True).values_list("pk", flat=True)
    batch = []
    for organization_id in new.iterator(chunk_size=CHUNK):
        batch.append(NoPartyOrganizationSpell(organization_id=organization_id, since=today))
        if len(batch) == CHUNK:
            NoPartyOrganizationSpell.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    NoPartyOrganizationSpell.objects.bulk_create(batch, ignore_conflicts=True)
    grace = settings.CREDIT["NO_PARTY_ORGANIZATION_GRACE_DAYS"]
    proposed_in_spell = ListEntry.objects.filter(
        organization_id=OuterRef("organization_id"),
        ground=G.NO_PARTY_ORGANIZATION,
        proposed_on__gte=OuterRef("since"),
    )
    due = (
        NoPartyOrganizationSpell.objects.filter(since__lte=today - datetime.timedelta(days=grace))
        .filter(~Exists(proposed_in_spell))
        .order_by("organization_id")
    )
    counted = dict(
        should_build.filter(pk__in=due.values("organization_id")).values_list(
            "pk", "counted_members"
        )
    )
    for organization_id, since in due.values_list("organization_id", "since"):
        if organization_id not in counted:
            continue
        proof = evidence.item(
            evidence.NO_PARTY_ORGANIZATION,
            since,
            since=since,
            counted_members=counted[organization_id],
            grace_days=grace,
        )
        yield Proposal(organization_id, G.NO_PARTY_ORGANIZATION, f"no_party_org:{since}", [proof])


# --- (c) rectifications past their deadline (R-CR-3 item 3, R-AC-5) ---------------------------


def rectification_proposals(today):
    items = (
        Rectification.objects.filter(overdue_condition(today))
        .filter(_organizations(today, "annual_check__organization__"))
        .order_by("pk")
        .values_list(
            "pk", "annual_check__organization_id", "annual_check__year", "due_on", "problem"
        )
    )
    for pk, organization_id, year, due_on, problem in items.iterator(chunk_size=CHUNK):
        proof = evidence.item(
            evidence.CHECK_RECTIFICATION, due_on, year=year, due_on=due_on, problem=problem
        )
        yield Proposal(organization_id, G.RECTIFICATION, f"ac_rectification:{pk}", [proof])
    notices = (
        RectificationNotice.objects.filter(due_on__lt=today)
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=F("due_on")))
        .filter(_organizations(today))
        .order_by("pk")
        .values_list("pk", "organization_id", "notice_number", "due_on", "matter")
    )
    for pk, organization_id, number, due_on, matter in notices.iterator(chunk_size=CHUNK):
        proof = evidence.item(
            evidence.RECTIFICATION_NOTICE,
            due_on,
            notice_number=number,
            due_on=due_on,
            matter=matter,
        )
        yield Proposal(organization_id, G.RECTIFICATION, f"rectification_notice:{pk}", [proof])


# --- (d) penalties (R-CR-3 item 5, R-CR-12) ----------------------------------------------------


def light_condition() -> Q:
    """A warning or a fine under the serious-list amount (R-CR-3 item 5)."""
    return Q(kind=PenaltyKind.WARNING) | Q(
        kind=PenaltyKind.FINE, amount_yuan__lt=settings.CREDIT["SERIOUS_FINE_YUAN"]
    )


def heavy_ground(kind: str, amount) -> str | None:
    """The serious-list ground a penalty makes by itself (R-CR-12), or None."""
    if kind == PenaltyKind.FINE and amount is not None:
        return G.HEAVY_FINE if amount >= settings.CREDIT["SERIOUS_FINE_YUAN"] else None
    return {
        PenaltyKind.SUSPENSION: G.SUSPENSION,
        PenaltyKind.CERTIFICATE_REVOKED: G.REVOKED,
        PenaltyKind.REGISTRATION_REVOKED: G.REVOKED,
    }.get(kind)


PENALTY_FIELDS = ("kind", "amount_yuan", "department", "decision_number", "effective_on")


def _penalty_params(row: dict) -> dict:
    return {name: row[name] for name in PENALTY_FIELDS}


def penalty_proposals(today):
    """Light penalties propose the abnormal list (only those whose term, R-CR-10, has not
    already run out), heavy ones the serious list (R-CR-12), and the REPEAT_COUNTth light one
    within the window a serious-list entry of its own."""
    config = settings.CREDIT
    recent = rules.add_months(today, -config["EXPIRY_MONTHS"])
    window_start = rules.add_years(today, -config["REPEAT_WINDOW_YEARS"])
    revoked_kinds = (PenaltyKind.CERTIFICATE_REVOKED, PenaltyKind.REGISTRATION_REVOKED)
    # R-CR-12: a revocation ends the registration it is listed for; other grounds need a
    # registration standing today.
    standing = _organizations(today) | Q(
        kind__in=revoked_kinds,
        organization__registration_ended_on__gte=F("effective_on"),
    )
    penalties = (
        Penalty.objects.filter(standing, effective_on__lte=today)
        .filter(Q(effective_on__gt=window_start) | Q(kind__in=revoked_kinds))
        .order_by("organization_id", "effective_on", "pk")
        .annotate(light=ExpressionWrapper(light_condition(), output_field=BooleanField()))
        .values("pk", "organization_id", "light", *PENALTY_FIELDS)
    )
    earlier: dict[int, list[dict]] = {}
    for row in penalties.iterator(chunk_size=CHUNK):
        proof = evidence.item(evidence.PENALTY, row["effective_on"], **_penalty_params(row))
        key = f"penalty:{row['pk']}"
        if row["light"] and row["effective_on"] > window_start:
            if row["effective_on"] > recent:
                yield Proposal(row["organization_id"], G.LIGHT_PENALTY, key, [proof])
            within = [
                p
                for p in earlier.get(row["organization_id"], [])
                if p["effective_on"]
                > rules.add_years(row["effective_on"], -config["REPEAT_WINDOW_YEARS"])
            ]
            within.append(row)
            earlier[row["organization_id"]] = within
            if len(within) >= config["REPEAT_COUNT"]:
                repeated = evidence.item(
                    evidence.REPEATED_PENALTIES,
                    row["effective_on"],
                    window_years=config["REPEAT_WINDOW_YEARS"],
                    penalties=[_penalty_params(p) for p in within],
                )
                yield Proposal(
                    row["organization_id"], G.REPEATED_PENALTIES, f"repeat:{row['pk']}", [repeated]
                )
            continue
        ground = heavy_ground(row["kind"], row["amount_yuan"])
        if ground:
            yield Proposal(row["organization_id"], ground, key, [proof])


# --- (e) unreachable at the registered residence (R-CR-4) --------------------------------------


def unreachable_proposals(today):
    """Two returned letters sent within the interval settings of each other: the latest letter
    of an organization paired with the latest earlier one in the interval. Read once, letters
    only of organizations with two or more and no open proposal or listing for this ground."""
    config = settings.CREDIT
    low, high = config["LETTER_INTERVAL_MIN_DAYS"], config["LETTER_INTERVAL_MAX_DAYS"]
    open_unreachable = ListEntry.objects.filter(
        organization_id=OuterRef("organization_id"),
        ground=G.UNREACHABLE,
        status__in=(EntryStatus.PROPOSED, *ON_LIST_STATUSES),
    )
    several = (
        ReturnedLetter.objects.filter(returned_on__lte=today)
        .values("organization_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .values("organization_id")
    )
    letters = (
        ReturnedLetter.objects.filter(
            _organizations(today), returned_on__lte=today, organization_id__in=several
        )
        .filter(~Exists(open_unreachable))
        .order_by("organization_id", "-sent_on", "-pk")
        .only("pk", "organization_id", "sent_on", "returned_on", "tracking_number")
    )
    by_organization: dict[int, list] = {}
    for letter in letters.iterator(chunk_size=CHUNK):
        by_organization.setdefault(letter.organization_id, []).append(letter)
    for organization_id, mine in by_organization.items():
        pair = _pair(mine, low, high)
        if pair is None:
            continue
        first, second = pair
        proof = evidence.item(
            evidence.RETURNED_LETTERS,
            second.returned_on,
            first_sent_on=first.sent_on,
            first_tracking_number=first.tracking_number,
            second_sent_on=second.sent_on,
            second_tracking_number=second.tracking_number,
            days_apart=(second.sent_on - first.sent_on).days,
        )
        key = f"letters:{first.pk}-{second.pk}"
        yield Proposal(organization_id, G.UNREACHABLE, key, [proof])


def _pair(letters: list, low: int, high: int):
    """The latest (first, second) pair sent `low`..`high` days apart (letters latest first)."""
    for index, second in enumerate(letters):
        for first in letters[index + 1 :]:
            if low <= (second.sent_on - first.sent_on).days <= high:
                return first, second
    return None


# --- (f) escalation to the serious list (R-CR-11) ---------------------------------------------


def escalation_proposals(today):
    """Organizations on the abnormal list for the full term (counted from term_starts_on, which
    R-CR-6 moves): one serious-list proposal each, for the clerk to confirm."""
    cutoff = rules.add_years(today, -settings.CREDIT["ABNORMAL_TERM_YEARS"])
    rows = (
        ListEntry.objects.filter(
            credit_list=CreditList.ABNORMAL,
            status__in=ON_LIST_STATUSES,
            term_starts_on__lte=cutoff,
        )
        .filter(_organizations(today))
        .order_by("organization_id", "term_starts_on", "pk")
        .values_list("organization_id", "ground", "term_starts_on")
    )
    grouped: dict[int, tuple] = {}
    for organization_id, ground, starts in rows.iterator(chunk_size=CHUNK):
        known = grouped.setdefault(organization_id, (starts, []))
        if ground not in known[1]:
            known[1].append(ground)
    for organization_id, (starts, grounds) in grouped.items():
        proof = evidence.item(
            evidence.ABNORMAL_TERM,
            starts,
            term_starts_on=starts,
            years=settings.CREDIT["ABNORMAL_TERM_YEARS"],
            grounds=grounds,
        )
        yield Proposal(organization_id, G.ABNORMAL_TERM, f"abnormal_term:{starts}", [proof])


# --- Writing them -----------------------------------------------------------------------------

SOURCES = (
    annual_report_proposals,
    no_party_organization_proposals,
    rectification_proposals,
    penalty_proposals,
    unreachable_proposals,
    escalation_proposals,
)


def _new_only(batch: list[Proposal]) -> list[Proposal]:
    """`batch` without the facts already proposed (one query for the slice)."""
    stored = set(
        ListEntry.objects.filter(
            organization_id__in={p.organization_id for p in batch},
            evidence_key__in={p.evidence_key for p in batch},
        ).values_list("organization_id", "credit_list", "evidence_key")
    )
    fresh, seen = [], set()
    for proposal in batch:
        key = (proposal.organization_id, proposal.credit_list, proposal.evidence_key)
        if key not in stored and key not in seen:
            seen.add(key)
            fresh.append(proposal)
    return fresh


def _write(batch: list[Proposal], today, writer: BulkWrite) -> list[Proposal]:
    fresh = _new_only(batch)
    entries = [
        ListEntry(
            organization_id=p.organization_id,
            credit_list=p.credit_list,
            ground=p.ground,
            status=EntryStatus.PROPOSED,
            evidence_key=p.evidence_key,
            # Written as JSON text: the bulk insert passes values through unadapted.
            evidence=json.dumps(p.evidence, ensure_ascii=False),
            proposed_on=today,
            proposed_by_job=True,
            decision_number="",
            decision_text="",
            dismissal_reason="",
            removal_path="",
            removal_reason="",
            version=0,
        )
        for p in fresh
    ]
    writer.insert(ListEntry, entries, key=("organization_id", "credit_list", "evidence_key"))
    ListEntryEvent.objects.bulk_create(
        ListEntryEvent(entry_id=entry.pk, actor=None, from_status="", to_status=entry.status)
        for entry in entries
    )
    return fresh


def expiries_remove(today) -> int:
    """R-CR-10: the entries whose term is over leave the list, moved by the job (actor None):
    the rule leaves the authority nothing to judge ("由登记管理机关将其移出")."""
    cutoff = rules.add_months(today, -settings.CREDIT["EXPIRY_MONTHS"])
    due = ListEntry.objects.filter(
        credit_list=CreditList.ABNORMAL,
        status__in=ON_LIST_STATUSES,
        term_starts_on__lte=cutoff,
    ).exclude(ground__in=GROUNDS_NEEDING_CORRECTION)
    removed = 0
    for pk in due.values_list("pk", flat=True).iterator(chunk_size=CHUNK):
        with transaction.atomic():
            entry = ListEntry.objects.select_for_update().get(pk=pk)
            if entry.status not in ON_LIST_STATUSES or rules.expiry_date(entry) > today:
                continue
            entry.removed_on = today
            entry.removal_path = P.EXPIRED
            entry.removal_reason = str(P.EXPIRED.label)
            ENTRY_WORKFLOW.move(entry, EntryStatus.REMOVED, None, reason=entry.removal_reason)
            entry_decided.send(
                sender=ListEntry,
                entry=entry,
                to_status=EntryStatus.REMOVED,
                by=None,
                reason=entry.removal_reason,
            )
            removed += 1
    return removed


def propose_entries(today: datetime.date) -> Outcome:
    """The daily job: every ground's new proposals, then the removals due (R-CR-10). Running it
    twice on a day proposes nothing the second time."""
    outcome = Outcome()
    for source in SOURCES:
        with transaction.atomic():
            writer = BulkWrite(by=None)
            batch: list[Proposal] = []
            for proposal in source(today):
                batch.append(proposal)
                if len(batch) == CHUNK:
                    _count(outcome, _write(batch, today, writer))
                    batch = []
            if batch:
                _count(outcome, _write(batch, today, writer))
            writer.record_changes()
    outcome.expired = expiries_remove(today)
    return outcome


def _count(outcome: Outcome, written: list[Proposal]) -> None:
    for proposal in written:
        outcome.proposed[proposal.ground] = outcome.proposed.get(proposal.ground, 0) + 1
