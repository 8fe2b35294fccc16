from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import MemberRole, MemberStatus, Relationship, Sex
from ..identity import normalize_id_number, sex_of, validate_id_number
from ..validators import validate_phone


class MemberDetails(models.Model):
    """What is known of a Party member, the same on the registration member form and on the
    Party-building record it becomes, with the checks both need (R-ID-2, R-PB-1's inputs)."""

    name = models.CharField(_("full name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    id_number = models.CharField(
        _("resident ID number"), max_length=18, validators=[validate_id_number]
    )
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

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def clean_fields(self, exclude=None):
        self.id_number = normalize_id_number(self.id_number)
        super().clean_fields(exclude=exclude)

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
