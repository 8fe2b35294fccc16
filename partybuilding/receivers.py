from .member_forms.services import member_form_file
from .services import dispatches_end_for_founding


def end_dispatches_on_founding(
    sender, *, party_organization, organizations, founded_on, by, **kwargs
):
    """R-PB-11: "待组建完毕派驻支部和指导员撤销" — founding ends the open dispatch that day."""
    dispatches_end_for_founding(
        organizations=organizations,
        party_organization=party_organization,
        ended_on=founded_on,
        by=by,
    )


def file_member_form_on_registration(sender, *, organization, application=None, by=None, **kwargs):
    """R-REG-3: members created from the member form, the form filed in triplicate. Runs in the
    approval's transaction: if filing fails, the approval does not happen either."""
    if application is not None:
        member_form_file(organization=organization, application=application, by=by)


def file_change_notices(
    sender, *, organization, change, changed, by=None, previous_party_building_body=None, **kwargs
):
    """R-CHG-6: an approved change of supervisory unit, district or industry is copied to the
    committee (and a new unit). Runs in the approval's transaction."""
    from .change_notices import change_notices_file

    change_notices_file(
        organization=organization,
        change=change,
        changed=changed,
        by=by,
        previous_party_building_body=previous_party_building_body,
    )


def _refresh(*organization_ids):
    from .standings.services import standings_refresh

    ids = {pk for pk in organization_ids if pk is not None}
    if ids:
        standings_refresh(ids)


def remember_previous_organization(sender, instance, raw=False, **kwargs):
    """A member or dispatch moved to another organization changes the old one's figures too."""
    if raw or instance.pk is None:
        return
    instance._previous_organization_id = (
        sender.objects.filter(pk=instance.pk).values_list("organization_id", flat=True).first()
    )


def refresh_organization_standing(sender, instance, raw=False, **kwargs):
    """Members, coverages and dispatches saved or deleted one by one."""
    if raw:
        return
    _refresh(instance.organization_id, getattr(instance, "_previous_organization_id", None))


def refresh_covered_standings(sender, instance, raw=False, **kwargs):
    """A Party organization's mode, name or dates change every organization it covers."""
    if raw or instance.pk is None:
        return
    from .models import Coverage

    _refresh(
        *Coverage.objects.filter(party_organization_id=instance.pk).values_list(
            "organization_id", flat=True
        )
    )


def refresh_standings_on_coverage_change(sender, instance, action, reverse, pk_set, **kwargs):
    """`party_organization.organizations.add/remove/clear` bypass Coverage.save()."""
    from .models import Coverage

    if action == "pre_clear":
        filter_by = "organization_id" if reverse else "party_organization_id"
        instance._cleared_organization_ids = list(
            Coverage.objects.filter(**{filter_by: instance.pk}).values_list(
                "organization_id", flat=True
            )
        )
    elif action in ("post_add", "post_remove"):
        _refresh(*([instance.pk] if reverse else pk_set or ()))
    elif action == "post_clear":
        _refresh(
            *([instance.pk] if reverse else getattr(instance, "_cleared_organization_ids", ()))
        )


def refresh_own_standing(sender, instance, raw=False, **kwargs):
    """An organization saved (created, moved, deregistered …): its standing and the copies of
    its fields there."""
    if not raw:
        _refresh(instance.pk)


def fill_standings_after_migrate(sender, **kwargs):
    """Organizations without a standing (a database migrated from before standings existed,
    or rows written around the ORM) get theirs."""
    from registry.models import Organization

    from .standings.services import standings_refresh

    using = kwargs.get("using")
    missing = Organization.objects.using(using).filter(party_building_standing__isnull=True)
    if missing.exists():
        standings_refresh(missing.values_list("pk", flat=True))


#: Organizations refreshed per call after a bulk write: one call for 100,000 organizations held
#: 40 MB more at its peak.
BULK_REFRESH_SLICE = 5000


def refresh_standings_after_bulk_write(sender, *, organization_ids, **kwargs):
    """Bulk writes (`registry.services.bulk`, `partybuilding.bulk`) skip save() and the
    receivers above: the figures of the organizations they changed (`Standing`, with its
    copies of the organization's status, dates, district and industry) are refreshed here,
    once, in the write's transaction."""
    from .standings.services import standings_refresh

    ids = sorted(organization_ids)
    for start in range(0, len(ids), BULK_REFRESH_SLICE):
        standings_refresh(ids[start : start + BULK_REFRESH_SLICE])


def recount_aggregates_after_restore(sender, **kwargs):
    """A restored database's coverage aggregates are recounted from its standings."""
    from .coverage.aggregates import aggregates_rebuild

    aggregates_rebuild()


def answer_deregistration_blockers(sender, *, organization, on, **kwargs) -> list[str]:
    """R-DEREG-5: the registry asks before an organization's registration ends."""
    from .services import deregistration_blockers

    return deregistration_blockers(organization=organization, on=on)


def leave_coverages_at_registration_end(sender, *, organization, on, by=None, **kwargs):
    """R-DEREG-7: a deregistered or revoked organization leaves the Party organizations that
    still cover it, in the deciding transaction."""
    from .services import coverages_end_at_registration_end

    coverages_end_at_registration_end(organization=organization, on=on, by=by)
