from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyBuildingConfig(AppConfig):
    name = "partybuilding"
    verbose_name = _("Party building")

    def ready(self):
        from django.db.models.signals import (
            m2m_changed,
            post_delete,
            post_migrate,
            post_save,
            pre_delete,
            pre_save,
        )

        from core.backups import database_restored
        from registry.models import Organization
        from registry.signals import (
            deregistration_blockers,
            organization_changed,
            organization_registered,
            organization_registration_ended,
            organizations_changed_in_bulk,
        )

        from . import receivers, signals
        from .coverage import aggregates
        from .models import Coverage, Dispatch, PartyMember, PartyOrganization, Standing

        signals.party_organization_founded.connect(
            receivers.end_dispatches_on_founding,
            dispatch_uid="partybuilding.end_dispatches_on_founding",
        )
        organization_registered.connect(
            receivers.file_member_form_on_registration,
            dispatch_uid="partybuilding.file_member_form_on_registration",
        )

        organization_changed.connect(
            receivers.file_change_notices,
            dispatch_uid="partybuilding.file_change_notices",
        )
        # R-DEREG-5, R-DEREG-7: asked before, told after, an organization's registration ends.
        deregistration_blockers.connect(
            receivers.answer_deregistration_blockers,
            dispatch_uid="partybuilding.deregistration_blockers",
        )
        organization_registration_ended.connect(
            receivers.leave_coverages_at_registration_end,
            dispatch_uid="partybuilding.leave_coverages_at_registration_end",
        )
        # R-NTF-5, R-NTF-6: the daily reminders this app owns the dates of.
        from notifications.signals import reminders_wanted

        from .reminders import reminders

        reminders_wanted.connect(reminders, dispatch_uid="partybuilding.reminders")

        # Every write to what the Party-building figures count refreshes the stored standing:
        # bulk writes once, when they end; saves one by one.
        organizations_changed_in_bulk.connect(
            receivers.refresh_standings_after_bulk_write,
            dispatch_uid="partybuilding.standing.organizations_in_bulk",
        )
        signals.party_records_changed_in_bulk.connect(
            receivers.refresh_standings_after_bulk_write,
            dispatch_uid="partybuilding.standing.party_records_in_bulk",
        )
        for model in (PartyMember, Dispatch, Coverage):
            label = model.__name__
            pre_save.connect(
                receivers.remember_previous_organization,
                sender=model,
                dispatch_uid=f"partybuilding.previous_organization.{label}",
            )
            for signal in (post_save, post_delete):
                signal.connect(
                    receivers.refresh_organization_standing,
                    sender=model,
                    dispatch_uid=f"partybuilding.standing.{label}.{signal is post_save}",
                )
        post_save.connect(
            receivers.refresh_own_standing,
            sender=Organization,
            dispatch_uid="partybuilding.standing.organization",
        )
        post_save.connect(
            receivers.refresh_covered_standings,
            sender=PartyOrganization,
            dispatch_uid="partybuilding.standing.party_organization",
        )
        m2m_changed.connect(
            receivers.refresh_standings_on_coverage_change,
            sender=PartyOrganization.organizations.through,
            dispatch_uid="partybuilding.standing.coverages",
        )
        # A standing deleted (its organization deleted) takes its figures out of the aggregates.
        pre_delete.connect(
            aggregates.standing_deleted,
            sender=Standing,
            dispatch_uid="partybuilding.aggregates.standing_deleted",
        )
        database_restored.connect(
            receivers.recount_aggregates_after_restore,
            dispatch_uid="partybuilding.aggregates.restored",
        )
        post_migrate.connect(
            receivers.fill_standings_after_migrate,
            sender=self,
            dispatch_uid="partybuilding.fill_standings_after_migrate",
        )
