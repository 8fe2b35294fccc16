from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("public disclosure")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from annualcheck.models import AnnualCheck
        from credit.models import ListEntry, Penalty
        from evaluation.models import Evaluation
        from registry.models import ChangeApplication

        from .receivers import on_profile_record_saved

        # R-PUB-4: a save of anything the public profile shows gives it a new cache key (the
        # organization's own saves move its version and updated_at, which the key holds).
        for model in (AnnualCheck, Evaluation, ListEntry, Penalty, ChangeApplication):
            post_save.connect(
                on_profile_record_saved,
                sender=model,
                dispatch_uid=f"disclosure-{model._meta.label}-save",
            )
            post_delete.connect(
                on_profile_record_saved,
                sender=model,
                dispatch_uid=f"disclosure-{model._meta.label}-delete",
            )
