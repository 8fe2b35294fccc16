"""The API tokens in the admin (R-API-2): the security administrator issues them (the add form,
which shows the secret once) and revokes them (an action); nobody else opens these pages, the
superuser, the clerk and the holder included. A token is never edited or deleted."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import BaseAdmin

from .models import ApiToken
from .services import default_expiry, eligible_holders, may_manage_tokens, token_issue, token_revoke


class ApiTokenIssueForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ("holder", "name", "purpose", "expires_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "holder" in self.fields:  # the issue form; a token's page shows it read-only
            self.fields["holder"].queryset = eligible_holders()
            self.fields["expires_at"].initial = default_expiry

    def clean_expires_at(self):
        from django.utils import timezone

        expires_at = self.cleaned_data.get("expires_at")
        if expires_at is not None and expires_at <= timezone.now():
            raise ValidationError(_("The expiry must be in the future."))
        return expires_at


class TokenStateFilter(admin.SimpleListFilter):
    title = _("token state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("usable", _("usable tokens")), ("revoked", _("revoked tokens"))]

    def queryset(self, request, queryset):
        if self.value() == "usable":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(BaseAdmin):
    form = ApiTokenIssueForm
    list_display = (
        "name",
        "holder",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_select_related = ("holder",)
    list_filter = (TokenStateFilter,)
    search_fields = ("name", "prefix", "holder__username")
    actions = ("revoke",)
    readonly_fields = (
        "holder",
        "name",
        "purpose",
        "prefix",
        "created_by",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )

    # Only the security administrator, whatever else a user's permissions say.
    def has_view_permission(self, request, obj=None):
        return may_manage_tokens(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return may_manage_tokens(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return may_manage_tokens(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ApiTokenIssueForm.Meta.fields

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing of a token is edited; revoking is the action
        try:
            issued, secret = token_issue(
                holder=form.cleaned_data["holder"],
                name=form.cleaned_data["name"],
                purpose=form.cleaned_data["purpose"],
                expires_at=form.cleaned_data["expires_at"],
                by=request.user,
            )
        except ValidationError as error:
            raise PermissionDenied(error.messages[0]) from error
        obj.pk = issued.pk
        obj.__dict__.update(
            {key: value for key, value in issued.__dict__.items() if not key.startswith("_")}
        )
        request.sharing_issued_secret = secret

    def response_add(self, request, obj, post_url_continue=None):
        """The secret, this once, in the page answering the POST: never in a URL, a session or
        a message that could show again."""
        secret = getattr(request, "sharing_issued_secret", None)
        if secret is None:
            return super().response_add(request, obj, post_url_continue)
        response = TemplateResponse(
            request,
            "admin/sharing/apitoken/issued.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("API token issued"),
                "token": obj,
                "secret": secret,
            },
        )
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        revoked = sum(token_revoke(token=token, by=request.user) for token in queryset)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )
