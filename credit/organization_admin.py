"""What credit supervision adds to the registry's organization admin (through
`registry.admin_extensions`, registered in CreditConfig.ready()): the 信用状态 list filter and,
on an organization's page, its listings in force and the facts entered about it."""

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from registry.admin_extensions import OrganizationAdminExtension

from .choices import CreditList
from .listings import listing_line, listings_of
from .models import ListEntry, Penalty, RectificationNotice, ReturnedLetter
from .selectors import on_list_condition


def _on_list(credit_list=None) -> Exists:
    return Exists(
        ListEntry.objects.filter(on_list_condition(credit_list), organization_id=OuterRef("pk"))
    )


class CreditStatusFilter(admin.SimpleListFilter):
    """On the abnormal-activity list, on the serious-violation list, or on neither (today). One
    EXISTS in the list's own query: no query of its own."""

    title = pgettext_lazy("listing", "credit status")
    parameter_name = "credit_status"

    def lookups(self, request, model_admin):
        return [
            ("abnormal", _("on the abnormal-activity list")),
            ("serious", _("on the serious-violation list")),
            ("neither", _("on neither list")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "abnormal":
            return queryset.filter(_on_list(CreditList.ABNORMAL))
        if value == "serious":
            return queryset.filter(_on_list(CreditList.SERIOUS))
        if value == "neither":
            return queryset.filter(~_on_list())
        return queryset


FACT_LISTS = (
    (Penalty, _("administrative penalties")),
    (RectificationNotice, _("rectification notices")),
    (ReturnedLetter, _("returned letters")),
)


def credit_panel(organization, user) -> str:
    """Its listings in force (or that it is on neither list) and links to the facts entered
    about it, for those who may read them."""
    lines = [listing_line(entry) for entry in listings_of(organization.pk)]
    listed = format_html_join(
        "", "<p>{}</p>", ((line,) for line in lines or [gettext("On neither list.")])
    )
    links = [
        (
            f"{reverse(f'admin:credit_{model._meta.model_name}_changelist')}"
            f"?organization__id__exact={organization.pk}",
            label,
        )
        for model, label in FACT_LISTS
        if user.has_perm(f"credit.view_{model._meta.model_name}")
    ]
    return format_html(
        '<div class="credit-listings" id="credit-listings">{}</div>{}',
        listed,
        format_html(
            '<p class="credit-facts">{}</p>',
            format_html_join(" · ", '<a href="{}">{}</a>', links),
        )
        if links
        else "",
    )


CREDIT_ADMIN = OrganizationAdminExtension(
    key="credit",
    list_filters=(CreditStatusFilter,),
    panel_title=pgettext_lazy("listing", "Credit status"),
    panel=credit_panel,
)
