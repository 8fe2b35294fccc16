from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin import BaseAdmin
from core.admin_widgets import SafeAutocompleteAdminMixin
from core.permission_labels import permission_label, product_permissions

from .duties import role_problems, staff_flag_refresh
from .forms import IssuedUserCreationForm, StaffAuthenticationForm
from .models import AccountLock, User
from .services import (
    account_changed,
    account_created,
    account_unlock,
    account_within_reach,
    password_set_by_administrator,
    roles_assign,
)
from .two_factor import two_factor_reset

# The staff login says until when a locked account stays locked.
admin.site.login_form = StaffAuthenticationForm

# django-otp's own device pages would show every user's secret key; devices are managed through
# the user's two-factor pages and the security administrator's reset action only.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)

ACCOUNT_FIELDS = (
    "username",
    "password",
    "first_name",
    "last_name",
    "email",
    "phone",
    "is_active",
    "supervisory_unit",
    "organization",
)
ROLE_FIELDS = ("groups", "user_permissions")
# Nobody edits these here: superusers come from createsuperuser at installation, admin access
# follows the roles (duties.staff_flag_refresh), and the dates are the system's.
ALWAYS_READ_ONLY = (
    "is_superuser",
    "is_staff",
    "password_change_required",
    "password_changed_at",
    "last_login",
    "date_joined",
)


def can_assign_roles(user) -> bool:
    return user.has_perm("accounts.assign_roles")


class ChinesePermissionsMixin:
    """The permission picker in Chinese, with this product's grantable permissions only
    (issue 19): the user page's `user_permissions`, the group page's `permissions`."""

    permissions_field: str

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == self.permissions_field:
            kwargs["queryset"] = product_permissions()
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == self.permissions_field and field is not None:
            field.label_from_instance = permission_label
        return field


@admin.register(User)
class UserAdmin(ChinesePermissionsMixin, SafeAutocompleteAdminMixin, BaseAdmin, DjangoUserAdmin):
    """One page, two duties: the system administrator edits the account (change_user), the
    security administrator its roles and rights (assign_roles); each sees the other's fields
    read-only. Accounts are deactivated, never deleted: the audit log names them."""

    list_display = (
        "username",
        "first_name",
        "organization",
        "supervisory_unit",
        "is_staff",
        "is_active",
    )
    list_select_related = ("organization", "supervisory_unit")
    list_filter = ("groups", "is_staff", "is_active", "two_factor_setup_needs_approval")
    search_fields = ("username", "first_name", "last_name", "organization__name")
    autocomplete_fields = ("supervisory_unit",)
    actions = ("reset_two_factor",)
    # The first password is the system administrator's: the user replaces it at first login.
    add_form = IssuedUserCreationForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (_("Scope"), {"fields": ("supervisory_unit", "organization")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Roles and permissions"), {"fields": ROLE_FIELDS}),
        (
            _("Password and sign-in"),
            {"fields": ("password_change_required", "password_changed_at", "last_login")},
        ),
        (_("Important dates"), {"fields": ("date_joined",)}),
    )

    def has_reset_two_factor_permission(self, request):
        return request.user.has_perm("accounts.reset_two_factor")

    @admin.action(
        description=_(
            "Reset two-factor authentication (a lost phone, or a password set by someone else)"
        ),
        permissions=["reset_two_factor"],
    )
    def reset_two_factor(self, request, queryset):
        users = list(queryset)
        for user in users:
            two_factor_reset(user=user, by=request.user, request=request)
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication reset for %(count)d account: it is set up again at "
                "the next login.",
                "Two-factor authentication reset for %(count)d accounts: they are set up again "
                "at the next login.",
                len(users),
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )

    def has_change_permission(self, request, obj=None):
        return self.can_edit_account(request, obj) or can_assign_roles(request.user)

    def can_edit_account(self, request, obj=None) -> bool:
        """The account's own details (activation, password, profile): the system administrator,
        but never on a superuser's or another administrator's account (issue 13)."""
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or account_within_reach(target=obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        read_only = list(ALWAYS_READ_ONLY)
        if not self.can_edit_account(request, obj):
            read_only += [f for f in ACCOUNT_FIELDS if f != "password"]
        # The organization link is made by the approval of a registration (R-REG-4), not here.
        read_only.append("organization")
        if not can_assign_roles(request.user):
            read_only += ROLE_FIELDS
        return read_only

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.can_edit_account(request, obj):
            return fieldsets
        # The password hash and its "change" link are the system administrator's.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
            for name, options in fieldsets
        ]

    permissions_field = "user_permissions"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            return form

        class SeparatedDutiesForm(form):
            def clean(self):
                cleaned = super().clean()
                if "groups" in self.fields and "groups" in cleaned:
                    problems = role_problems(
                        target=self.instance,
                        groups=cleaned["groups"],
                        permissions=list(cleaned.get("user_permissions") or ()),
                        by=request.user,
                    )
                    for problem in problems:
                        self.add_error("groups", problem)
                return cleaned

        return SeparatedDutiesForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            account_created(user=obj, by=request.user, request=request)
        else:
            fields = [name for name in form.changed_data if name not in ROLE_FIELDS]
            account_changed(user=obj, by=request.user, fields=fields, request=request)

    def save_related(self, request, form, formsets, change):
        # Roles go through roles_assign (one audit record for the whole change), not save_m2m.
        wanted = {name: form.cleaned_data.pop(name) for name in ROLE_FIELDS if name in form.fields}
        super().save_related(request, form, formsets, change)
        user = form.instance
        if wanted:
            roles_assign(
                user=user,
                groups=wanted.get("groups", user.groups.all()),
                permissions=wanted.get("user_permissions", user.user_permissions.all()),
                by=request.user,
                request=request,
            )
        staff_flag_refresh(user)

    def user_change_password(self, request, id, form_url=""):
        # Django asks only for "change": roles-only editors (security) must not set passwords,
        # and nobody but a superuser sets an administrator's or a superuser's (issue 13).
        target = self.get_object(request, unquote(id))
        if target is not None and target.pk == request.user.pk:
            # One's own password: on the page that asks for the current one (a borrowed
            # session must not be enough to set it).
            return redirect("admin:password_change")
        if target is not None and not self.can_edit_account(request, target):
            raise PermissionDenied
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302 and target is not None:
            target.refresh_from_db()
            password_set_by_administrator(user=target, by=request.user, request=request)
        return response


@admin.register(AccountLock)
class AccountLockAdmin(BaseAdmin):
    """Accounts locked after failed logins; the security administrator may lift a lock early."""

    list_display = ("username", "locked_at", "locked_until", "ip_address")
    search_fields = ("username",)
    ordering = ("-locked_until",)
    actions = ("unlock",)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("accounts.unlock_account")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_unlock_permission(self, request):
        return request.user.has_perm("accounts.unlock_account")

    @admin.action(description=_("Unlock now"), permissions=["unlock"])
    def unlock(self, request, queryset):
        lifted = sum(account_unlock(username=lock.username, by=request.user) for lock in queryset)
        self.message_user(
            request,
            ngettext("%(count)d account unlocked.", "%(count)d accounts unlocked.", lifted)
            % {"count": lifted},
            messages.SUCCESS,
        )


if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ChinesePermissionsMixin, BaseAdmin, DjangoGroupAdmin):
    """Django's group page, on the project's base like every admin (issue 13), with the
    permissions named in Chinese (issue 19), also where the security administrator only reads
    it."""

    readonly_fields = ("permissions_shown",)

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "permissions_shown"]
        if obj is not None and not self.has_change_permission(request, obj):
            return ["permissions_shown" if f == "permissions" else f for f in fields]
        return fields

    @admin.display(description=_("permissions"))
    def permissions_shown(self, group):
        permissions = group.permissions.select_related("content_type")
        return "、".join(sorted(permission_label(permission) for permission in permissions))

    permissions_field = "permissions"
