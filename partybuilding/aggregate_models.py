"""The coverage aggregates' tables (`partybuilding.coverage.aggregates` moves and reads them),
apart from the records in `models` so that each module reads in one sitting."""

from django.db import models

# The coverage aggregates (`coverage.aggregates`): the dashboard's figures summed by the
# dimensions its filters use, moved with every write of a standing. Keys never hold NULL (an
# upsert would not find a NULL key again): 0 is "none", -1 "any" (the dimension summed over).
AGGREGATE_FIGURES = (
    "organizations",
    "eligible",
    "standalone_condition",
    "joint_candidates",
    "needs_dispatch",
    "should_build_not_built",
    "should_build_own_warning",
    "organization_coverage",
    "work_coverage",
    "open_dispatches",
)


class CoverageGroup(models.Model):
    """The figures of the organizations of one (supervisory unit or -1 for all, status,
    registered_by, district, industry). `registered_by` is the organization's registration date
    when it was in the future on the day the standing was computed, 0001-01-01 when it was
    past, 9999-12-31 when it has none: the figures' `registered_on <= today` as one condition."""

    supervisory_unit_key = models.IntegerField()
    status = models.CharField(max_length=20)
    registered_by = models.DateField()
    district_key = models.IntegerField()
    industry_key = models.IntegerField()
    organizations = models.BigIntegerField(default=0)
    eligible = models.BigIntegerField(default=0)
    standalone_condition = models.BigIntegerField(default=0)
    joint_candidates = models.BigIntegerField(default=0)
    needs_dispatch = models.BigIntegerField(default=0)
    should_build_not_built = models.BigIntegerField(default=0)
    should_build_own_warning = models.BigIntegerField(default=0)
    organization_coverage = models.BigIntegerField(default=0)
    work_coverage = models.BigIntegerField(default=0)
    open_dispatches = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "supervisory_unit_key",
                    "status",
                    "registered_by",
                    "district_key",
                    "industry_key",
                ],
                name="coverage_group_key",
            )
        ]

    def __str__(self):
        return f"{self.supervisory_unit_key}/{self.district_key}/{self.industry_key}"


class PartyOrganizationGroup(models.Model):
    """How many active Party organizations of `formation_mode` cover at least one active,
    registered organization of (supervisory unit, district, industry), each -1 for any: one row
    answers the dashboard's count by mode for any combination of those filters."""

    supervisory_unit_key = models.IntegerField()
    district_key = models.IntegerField()
    industry_key = models.IntegerField()
    formation_mode = models.CharField(max_length=20)
    party_organizations = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["supervisory_unit_key", "district_key", "industry_key", "formation_mode"],
                name="party_organization_group_key",
            )
        ]

    def __str__(self):
        return f"{self.formation_mode}: {self.party_organizations}"


class PartyOrganizationReach(models.Model):
    """One active Party organization's coverage of one active, registered organization, with
    the keys it was counted under in `PartyOrganizationGroup`: what a change takes back out."""

    party_organization_id = models.BigIntegerField(db_index=True)
    organization_id = models.BigIntegerField(db_index=True)
    formation_mode = models.CharField(max_length=20)
    supervisory_unit_key = models.IntegerField()
    district_key = models.IntegerField()
    industry_key = models.IntegerField()

    def __str__(self):
        return f"{self.party_organization_id} → {self.organization_id}"
