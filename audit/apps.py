from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.contrib.auth.signals import (
            user_logged_in,
            user_logged_out,
            user_login_failed,
        )
        from django.db.models.signals import m2m_changed
        from simple_history.signals import post_create_historical_record

        from . import receivers
        from .choices import AuditAction

        user_logged_in.connect(receivers.on_logged_in, dispatch_uid="audit_logged_in")
        user_logged_out.connect(receivers.on_logged_out, dispatch_uid="audit_logged_out")
        user_login_failed.connect(receivers.on_login_failed, dispatch_uid="audit_login_failed")
        post_create_historical_record.connect(
            receivers.on_history_created, dispatch_uid="audit_history_created"
        )
        User = get_user_model()
        relations = [
            (User.groups.through, AuditAction.ROLE_CHANGE, "groups", "user_set"),
            (
                User.user_permissions.through,
                AuditAction.PERMISSION_CHANGE,
                "user_permissions",
                "user_set",
            ),
            (Group.permissions.through, AuditAction.PERMISSION_CHANGE, "permissions", "group_set"),
        ]
        for through, kind, relation, reverse_relation in relations:
            m2m_changed.connect(
                receivers.m2m_receiver(
                    kind=kind, relation=relation, reverse_relation=reverse_relation
                ),
                sender=through,
                weak=False,
                dispatch_uid=f"audit_{through._meta.label_lower}",
            )
