"""The checks of one ledger row: an organization (R-ID-1) or a Party member (R-ID-2, R-PB-1).

A mixin of the importer: each check reads the prefetched reference data and the batch's stored
rows, reports every problem of the row through `self.error`, and returns the model instance to
write (new or changed) or None. No queries here: the importer fetches per batch."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.id_numbers import id_number_digest
from core.identity import normalize_id_number, validate_id_number
from registry.bureau import bureau
from registry.choices import OrganizationType
from registry.credit_codes import normalize_credit_code, validate_credit_code
from registry.divisions import DistrictMatcher, StreetMatcher, region_prefixes
from registry.divisions import normalize as normalize_division_text
from registry.models import District, Organization, Street, SupervisoryUnit
from registry.rules import (
    names_a_civil_affairs_unit,
    registered_before_established,
    street_outside_district,
)

from ..choices import MemberStatus
from ..models import PartyMember
from .cells import (
    MEMBER_CHECKED,
    MEMBER_HEADERS,
    MEMBER_ROLES,
    MEMBER_STATUSES,
    NO_SUPERVISORY_UNIT,
    ORGANIZATION_CHECKED,
    ORGANIZATION_ERROR_HEADERS,
    ORGANIZATION_REQUIRED,
    ORGANIZATION_TYPES,
    RELATIONSHIPS,
    SEXES,
    TYPE_OF_DIGIT,
    _CellError,
    _compact,
    _date,
    _differs,
    _halfwidth,
    _integer,
    _lookup_key,
    _messages,
    _text,
)
from .fields import FieldChecks
from .result import Plan

#: The labels a member's status, role and relationship may have, for the message naming a wrong one.
EXPECTED_STATUS = _("full member or probationary member")
EXPECTED_ROLE = _("full-time staff, part-time staff, service recipient or volunteer")
EXPECTED_RELATIONSHIP = _(
    "transferred in, floating member (not transferred) or held elsewhere (relationship outside)"
)


#: District and street texts whose match is remembered, at most: memory stays flat.
MATCHES_REMEMBERED = 20_000
_UNSEEN = object()


def _read_before(rows_read: dict, key: str, number: int) -> int | None:
    """The row `key` (a credit code, an ID number's digest) was first read on, when the file
    has it twice; otherwise None, and `key` is remembered as read on row `number`."""
    first = rows_read.setdefault(key, number)
    return first if first != number else None


class RowChecks:
    def _organization(self, sheet, number: int, row: dict, stored: dict) -> Plan | None:
        errors_before = len(self.result.errors)

        def fail(name: str, message: str) -> None:
            self.error(sheet, number, ORGANIZATION_ERROR_HEADERS.get(name, ""), message)

        present = sheet.columns  # field → column: only its keys are asked
        values = {}

        code = normalize_credit_code(_text(row.get("credit_code")))
        if not code:
            fail("credit_code", gettext("Must not be empty."))
        elif first := _read_before(self.organization_rows, code, number):
            fail(
                "credit_code",
                gettext("Same unified social credit code %(code)s as row %(row)s.")
                % {"code": code, "row": first},
            )
        existing = stored.get(code) if code else None
        creating = existing is None

        for name in ("name", "legal_representative", "contact_person", "contact_phone"):
            if name in present:
                text = _text(row.get(name))
                if text:
                    values[name] = text
                else:
                    fail(name, gettext("Must not be empty."))

        organization_type = None
        if "organization_type" in present and _compact(row.get("organization_type")):
            label = _compact(row.get("organization_type"))
            organization_type = ORGANIZATION_TYPES.get(label) or (
                label if label in OrganizationType.values else None
            )
            if organization_type is None:
                fail(
                    "organization_type",
                    gettext(
                        "Unknown organization type “%(label)s”: it should be a social group, a "
                        "private non-enterprise unit (social service agency) or a foundation."
                    )
                    % {"label": label},
                )
        elif "organization_type" in present or creating:
            # R-ID-1: position 2 of the code is the type (1 社会团体, 2 民办非企业单位, 3 基金会).
            organization_type = TYPE_OF_DIGIT.get(code[1:2])
        else:
            organization_type = existing.organization_type
        if organization_type:
            values["organization_type"] = organization_type

        if code:
            try:
                # R-ID-1: both check characters, the civil-affairs authority, and the type.
                values["credit_code"] = validate_credit_code(
                    code, organization_type=organization_type
                )
            except ValidationError as error:
                for message in error.messages:
                    fail("credit_code", message)

        if "industry" in present:
            text = _text(row.get("industry"))
            industry = self.industries.get(_lookup_key(text))
            if not text:
                fail("industry", gettext("Must not be empty."))
            elif industry is None:
                names = "、".join(dict.fromkeys(i.name for i in self.industries.values()))
                fail(
                    "industry",
                    gettext("Unknown industry “%(value)s”; the choices: %(choices)s.")
                    % {"value": text, "choices": names},
                )
            else:
                values["industry"] = industry

        if "supervisory_unit" in present:
            text = _text(row.get("supervisory_unit"))
            if _compact(text) in NO_SUPERVISORY_UNIT:
                values["supervisory_unit"] = None  # direct registration (直接登记)
            else:
                unit = self._supervisory_unit(text)
                message = self._unsaved_error(unit)
                if message:
                    fail("supervisory_unit", message)
                else:
                    values["supervisory_unit"] = unit
                    self.first_use.setdefault(id(unit), (sheet, number, "supervisory_unit"))

        district = existing.district if existing else None
        if "district" in present:
            text = _text(row.get("district"))
            district = self._district_of(text)
            if not text:
                fail("district", gettext("Must not be empty."))
            elif district is None:
                allowed = self._district_matcher().allowed()
                fail(
                    "district",
                    gettext("Unknown district “%(value)s”; the choices: %(choices)s.")
                    % {"value": text, "choices": allowed},
                )
            else:
                values["district"] = district
        if "street" in present:
            text = _text(row.get("street"))
            if not text:
                values["street"] = None
            elif district is not None:
                street = self._street(district, text)
                message = self._unsaved_error(street) if street is not None else ""
                if street is None:
                    fail(
                        "street",
                        gettext("%(district)s has no street (township) with the code “%(code)s”.")
                        % {"district": district.name, "code": text},
                    )
                elif message:
                    fail("street", message)
                else:
                    values["street"] = street
                    self.first_use.setdefault(id(street), (sheet, number, "street"))

        if "full_time_staff" in present and _text(row.get("full_time_staff")):
            try:
                values["full_time_staff"] = _integer(row.get("full_time_staff"))
            except _CellError as error:
                fail("full_time_staff", str(error))
        elif creating:
            values["full_time_staff"] = 0  # empty: nobody counted yet; an update keeps the figure

        for name in ("established_on", "registered_on"):
            if name in present:
                if not _text(row.get(name)):
                    fail(name, gettext("Must not be empty."))
                    continue
                try:
                    values[name] = _date(row.get(name), self.epoch)
                except _CellError as error:
                    fail(name, str(error))

        if "address" in present and _text(row.get("address")):
            values["address"] = _text(row.get("address"))
        elif creating and values.get("district"):
            # The ledger has no address column but the model requires one: the district and
            # street are true as far as they go, and the note tells the clerk to complete it.
            street = values.get("street")
            place = values["district"].name + (street.name if street else "")
            values["address"] = self._address_note() % {"place": place}

        if creating:
            for name in ORGANIZATION_REQUIRED:
                if name not in values and name not in present and name != "credit_code":
                    if (
                        name == "organization_type"
                        and code
                        and len(self.result.errors) > errors_before
                    ):
                        continue  # the code's own error says more
                    fail(
                        name,
                        gettext("A new organization needs this (the file has no such column)."),
                    )

        if len(self.result.errors) > errors_before:
            return None
        checks = self._field_checks(Organization, ORGANIZATION_CHECKED)
        instance = existing
        try:
            if existing:
                values = {name: v for name, v in values.items() if _differs(existing, name, v)}
                for name, value in values.items():
                    setattr(existing, name, value)
                checks.check_instance(existing)
            else:
                instance = checks.new(values, party_building_body_id=self.body_id)
        except ValidationError as error:
            for name, message in _messages(error):
                fail(name, message)
        # What Organization.clean() adds to the checks above, through the same rules
        # (registry.rules; its R-ID-1 check is made above; bureau_managed is set by the bulk
        # write, once a new supervisory unit has its key).
        street = values.get("street", existing.street if existing else None)
        district = values.get("district", existing.district if existing else None)
        if street is not None and district is not None:
            message = street_outside_district(
                street_district_id=street.district_id, district_id=district.pk
            )
            if message:
                fail("street", message)
        dates = {
            name: values[name] if name in values else getattr(existing, name, None)
            for name in ("established_on", "registered_on")
        }
        message = registered_before_established(**dates)
        if message:
            fail("registered_on", message)
        if len(self.result.errors) > errors_before:
            return None
        return Plan(sheet, number, instance, existing, values)

    def _address_note(self) -> str:
        """The address of a row without one, translated once per import, not once a row."""
        note = self.__dict__.get("_address_to_complete")
        if note is None:
            note = gettext("%(place)s (detailed address to be completed)")
            self._address_to_complete = note
        return note

    def _field_checks(self, model, exclude) -> FieldChecks:
        """The model's field checks, compiled once per import (`fields`)."""
        compiled = self.__dict__.setdefault("_compiled_checks", {})
        checks = compiled.get(model)
        if checks is None:
            checks = compiled[model] = FieldChecks(model, exclude)
        return checks

    def _supervisory_unit(self, name: str) -> SupervisoryUnit:
        key = _lookup_key(name)
        unit = self.units.get(key) or self.new_units.get(key)
        if unit is None:
            # A unit first met in a ledger gets the flag a clerk would give it (registry.rules).
            unit = SupervisoryUnit(name=name, is_civil_affairs=names_a_civil_affairs_unit(name))
            self.new_units[key] = unit
        return unit

    def _district_matcher(self) -> DistrictMatcher:
        """The prefetched districts by code, full or short name, with or without the region's
        names before them (南关区, 南关, 长春市南关区, 220102). Built on first use: the region's
        names cost two queries once per import."""
        matcher = getattr(self, "_districts_by_any_name", None)
        if matcher is None:
            matcher = self._districts_by_any_name = DistrictMatcher(
                self.districts.values(), prefixes=region_prefixes(bureau().region_code)
            )
        return matcher

    def _district_of(self, text: str) -> District | None:
        """`_district_matcher().match(text)`, each text matched once (the matchers do not
        change during an import, and a ledger names a few dozen districts)."""
        matches = self.__dict__.setdefault("_district_matches", {})
        district = matches.get(text, _UNSEEN)
        if district is _UNSEEN:
            district = self._district_matcher().match(text)
            if len(matches) < MATCHES_REMEMBERED:
                matches[text] = district
        return district

    def _street(self, district: District, name: str) -> Street | None:
        """The street by its code or full or short name (南岭街道, 南岭, 220102001000); a name
        the district does not have yet is a new street, an unknown code is None."""
        matcher = getattr(self, "_streets_by_any_name", None)
        if matcher is None:
            matcher = self._streets_by_any_name = StreetMatcher(self.streets.values())
        key = (district.pk, name)
        matches = self.__dict__.setdefault("_street_matches", {})
        street = matches.get(key, _UNSEEN)
        if street is _UNSEEN:
            street = matcher.match(district, name)
            if len(matches) < MATCHES_REMEMBERED:
                matches[key] = street
        if street is not None:
            return street
        if normalize_division_text(name).isdigit():
            return None
        key = (district.pk, _lookup_key(name))
        street = self.new_streets.get(key)
        if street is None:
            # Bureaus add streets as organizations appear in them; an unknown street in a known
            # district is new, not a typo to refuse.
            street = Street(district=district, name=name)
            self.new_streets[key] = street
        return street

    @staticmethod
    def _unsaved_error(instance) -> str:
        """The first problem of a supervisory unit or street the import would create."""
        if instance.pk is not None:
            return ""
        try:
            instance.clean_fields(exclude=["district"])
        except ValidationError as error:
            return _messages(error)[0][1]
        return ""

    def _member(
        self, sheet, number: int, row: dict, stored: dict, organizations: dict
    ) -> Plan | None:
        errors_before = len(self.result.errors)

        def fail(name: str, message: str) -> None:
            self.error(sheet, number, MEMBER_HEADERS.get(name, ""), message)

        present = sheet.columns  # field → column: only its keys are asked
        values = {}

        id_number = normalize_id_number(_halfwidth(_text(row.get("id_number"))))
        existing = None
        if not id_number:
            fail("id_number", gettext("Must not be empty."))
        else:
            try:
                id_number = validate_id_number(id_number)  # R-ID-2
            except ValidationError as error:
                for message in error.messages:
                    fail("id_number", message)
            else:
                values["id_number"] = id_number
                digest = id_number_digest(id_number)  # the key of the rows read and `stored`
                if first := _read_before(self.member_rows, digest, number):
                    # The number itself stays out of the report (R-ID-2: sensitive).
                    fail(
                        "id_number",
                        gettext("Same ID number as row %(row)s.") % {"row": first},
                    )
                existing = stored.get(digest)
        creating = existing is None

        name = _text(row.get("name"))
        if name:
            values["name"] = name
        else:
            fail("name", gettext("Must not be empty."))

        code = normalize_credit_code(_text(row.get("organization")))
        if not code:
            fail("organization", gettext("Must not be empty."))
        elif code not in self.organization_rows and code not in organizations:
            fail(
                "organization",
                gettext(
                    "No organization has the unified social credit code %(code)s (neither in "
                    "the system nor in this file)."
                )
                % {"code": code},
            )

        # R-PB-1: status, role and relationship decide whether the member counts.
        choices = (
            ("status", MEMBER_STATUSES, EXPECTED_STATUS),
            ("role", MEMBER_ROLES, EXPECTED_ROLE),
            ("relationship", RELATIONSHIPS, EXPECTED_RELATIONSHIP),
        )
        for field_name, labels, expected in choices:
            if field_name not in present:
                if creating:
                    fail(
                        field_name,
                        gettext("A new Party member needs this (the file has no such column)."),
                    )
                continue
            label = _compact(row.get(field_name))
            if not label:
                fail(field_name, gettext("Must not be empty."))
            elif label not in labels:
                header = MEMBER_HEADERS[field_name]
                fail(
                    field_name,
                    gettext("Unknown %(header)s “%(label)s”; it should be %(expected)s.")
                    % {"header": header, "label": label, "expected": expected},
                )
            else:
                values[field_name] = labels[label]

        for field_name in ("certificate_letter_on", "joined_party_on", "full_membership_due_on"):
            if field_name not in present:
                continue
            if not _text(row.get(field_name)):
                values[field_name] = None
                continue
            try:
                values[field_name] = _date(row.get(field_name), self.epoch)
            except _CellError as error:
                fail(field_name, str(error))

        if "sex" in present:
            label = _compact(row.get("sex"))
            if label and label not in SEXES:
                fail("sex", gettext("“%(label)s” should be male or female.") % {"label": label})
            elif label:
                values["sex"] = SEXES[label]
            # Empty: the model takes it from the ID number (its 17th digit).
        if "phone" in present:
            values["phone"] = _text(row.get("phone"))

        status = values.get("status") or (existing.status if existing else None)
        if status == MemberStatus.FULL:
            # The model keeps the date only while the probation runs; a full member's past
            # conversion date is not stored.
            values["full_membership_due_on"] = None
        # A probationary member without the date is refused by the model's own rule
        # (MemberDetails.member_errors, run by clean() below), under 转正日期.

        if len(self.result.errors) > errors_before:
            return None
        # None only while nothing is written: an organization of this file that has errors.
        target = organizations.get(code)
        if existing:
            values = {k: v for k, v in values.items() if _differs(existing, k, v)}
            if target is None or target.pk != existing.organization_id:
                values["organization"] = target
                # The organization the member leaves changes its Party-building figures too.
                self.organizations_left.add(existing.organization_id)
            instance = existing
            for key, value in values.items():
                setattr(instance, key, value)
        else:
            instance = PartyMember(**values, organization=target)
        try:
            instance.clean_fields(exclude=MEMBER_CHECKED)
            instance.clean()
        except ValidationError as error:
            for key, message in _messages(error):
                fail(key, message)
        if len(self.result.errors) > errors_before:
            return None
        return Plan(sheet, number, instance, existing, values)

    # Writing ------------------------------------------------------------------------------
