from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedIdNumberField, IdNumberDigestField, IdNumberQuerySet
from core.id_numbers import id_number_digest
from core.identity import normalize_id_number, sex_of, validate_id_number
from core.validators import validate_phone

from ..choices import MemberRole, MemberStatus, Relationship, Sex

# What is copied from a member form's row to the Party member it becomes, and shown of either:
# every field of MemberDetails but the digest, which follows the ID number.
MEMBER_DETAIL_FIELDS = (
    "name",
    "sex",
    "id_number",
    "status",
    "full_membership_due_on",
    "joined_party_on",
    "role",
    "relationship",
    "certificate_letter_on",
    "certificate_letter_issuer",
    "phone",
)


class MemberDetails(models.Model):
    """What is known of a Party member, the same on the registration member form and on the
    Party-building record it becomes, with the checks both need (R-ID-2, R-PB-1's inputs)."""

    name = models.CharField(_("full name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    # Encrypted at rest; equality and uniqueness go through the digest (core/id_numbers.py).
    id_number = EncryptedIdNumberField(_("resident ID number"), validators=[validate_id_number])
    id_number_digest = IdNumberDigestField(_("resident ID number digest"), db_index=True)
    status = models.CharField(_("member status"), max_length=20, choices=MemberStatus.choices)
    full_membership_due_on = models.DateField(
        _("becomes a full member on"),
        null=True,
        blank=True,
        help_text=_("For probationary members: the end of the probation year."),
    )
    joined_party_on = models.DateField(_("joined the Party on"), null=True, blank=True)
    role = models.CharField(
        _("role in the organization"), max_length=30, choices=MemberRole.choices
    )
    relationship = models.CharField(
        _("Party relationship"), max_length=20, choices=Relationship.choices
    )
    certificate_letter_on = models.DateField(_("certificate letter dated"), null=True, blank=True)
    certificate_letter_issuer = models.CharField(
        _("certificate letter issued by"), max_length=100, blank=True
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])

    objects = IdNumberQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def clean_fields(self, exclude=None):
        self.id_number = normalize_id_number(self.id_number)
        # Fresh before the unique checks that follow in full_clean() compare it.
        self.id_number_digest = id_number_digest(self.id_number) if self.id_number else ""
        super().clean_fields(exclude=exclude)

    def validate_unique(self, exclude=None):
        with _digest_errors_on_id_number():
            super().validate_unique(exclude=_digest_follows_number(exclude))

    def validate_constraints(self, exclude=None):
        with _digest_errors_on_id_number():
            super().validate_constraints(exclude=_digest_follows_number(exclude))

    def clean(self):
        errors = self.member_errors()
        if errors:
            raise ValidationError(errors)

    def member_errors(self) -> dict:
        """Checks across fields; fills sex from the ID number when it was left empty."""
        errors = {}
        try:
            number = validate_id_number(self.id_number)
        except ValidationError:
            number = None  # clean_fields has already reported it
        if number:
            if self.sex and self.sex != sex_of(number):
                errors["sex"] = _("The sex does not match the ID number (its 17th digit).")
            elif not self.sex:
                self.sex = sex_of(number)
        if (
            self.relationship != Relationship.TRANSFERRED
            and self.certificate_letter_on is None
            and self.certificate_letter_issuer
        ):
            errors["certificate_letter_on"] = _("Give the date of the certificate letter.")
        if self.status == MemberStatus.PROBATIONARY and not self.full_membership_due_on:
            errors["full_membership_due_on"] = _(
                "Give the date this probationary member becomes a full member."
            )
        return errors


def _digest_follows_number(exclude):
    """A form has the number, never the digest: checking the number means checking its digest."""
    exclude = set(exclude or ())
    if "id_number" not in exclude:
        exclude.discard("id_number_digest")
    return exclude


@contextmanager
def _digest_errors_on_id_number():
    """Report a clash of digests on the number, the field the user can see and correct."""
    try:
        yield
    except ValidationError as error:
        errors = error.update_error_dict({})
        if "id_number_digest" not in errors:
            raise
        errors.setdefault("id_number", []).extend(errors.pop("id_number_digest"))
        raise ValidationError(errors) from None
