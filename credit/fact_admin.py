"""The facts credit supervision reads that no other app records, entered by the clerk (R-CR-3
items 3, 5 and 6, R-CR-4, R-CR-12): administrative penalties, rectification notices and the
letters that came back unsigned. The supervisory unit and the committee read those of the
organizations they see. The rules of their values are `credit.rules`'; the history rows (and
through them the audit log) are written by the save as for every model with history."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import BaseHistoryAdmin
from core.admin_widgets import SafeAutocompleteAdminMixin
from registry.selectors import organizations_visible_to

from . import rules
from .models import Penalty, RectificationNotice, ReturnedLetter


class FactForm(forms.ModelForm):
    """A fact's form: its rule (a function of `credit.rules` over the form's values) puts its
    messages beside the fields they are about."""

    rule = None
    rule_fields: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        values = {name: cleaned.get(name) for name in self.rule_fields}
        for field, message in type(self).rule(**values).items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned


PENALTY_FIELDS = (
    "organization",
    "kind",
    "amount_yuan",
    "department",
    "decision_number",
    "decided_on",
    "effective_on",
    "facts",
    "basis",
)
NOTICE_FIELDS = ("organization", "notice_number", "matter", "issued_on", "due_on", "completed_on")
# The models' "decided on" and "issued on" read 评定日期 and 发证日期 elsewhere (evaluations,
# certificates): here they are a penalty's decision and a notice's date.
DECIDED_ON = _("date of the penalty decision")
ISSUED_ON = _("date the notice was issued")
LETTER_FIELDS = ("organization", "address", "tracking_number", "sent_on", "returned_on")


class PenaltyForm(FactForm):
    rule = staticmethod(rules.penalty_problems)
    rule_fields = ("kind", "amount_yuan", "decided_on", "effective_on")

    class Meta:
        model = Penalty
        fields = PENALTY_FIELDS
        labels = {"decided_on": DECIDED_ON}


class RectificationNoticeForm(FactForm):
    rule = staticmethod(rules.rectification_notice_problems)
    rule_fields = ("issued_on", "due_on", "completed_on")

    class Meta:
        model = RectificationNotice
        fields = NOTICE_FIELDS
        labels = {"issued_on": ISSUED_ON}


class ReturnedLetterForm(FactForm):
    rule = staticmethod(rules.returned_letter_problems)
    rule_fields = ("sent_on", "returned_on")

    class Meta:
        model = ReturnedLetter
        fields = LETTER_FIELDS


class FactAdmin(SafeAutocompleteAdminMixin, BaseHistoryAdmin):
    """Scoped to the organizations the user sees (registry.selectors), the organization picked
    by autocomplete among them; nobody deletes a fact (a wrong one is corrected, its history
    kept)."""

    autocomplete_fields = ("organization",)
    list_select_related = ("organization",)
    # The organization's page links here for its own rows.
    linked_lookups = ("organization__id__exact",)
    list_per_page = 50

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(organization__in=organizations_visible_to(request.user).values("pk"))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization":
            kwargs["queryset"] = organizations_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Penalty)
class PenaltyAdmin(FactAdmin):
    form = PenaltyForm
    list_display = (
        "organization",
        "kind",
        "amount_yuan",
        "department",
        "decision_number",
        "decided",
        "effective_on",
    )
    list_filter = ("kind", "effective_on")
    search_fields = ("organization__name", "organization__credit_code", "decision_number")
    date_hierarchy = "effective_on"
    fields = PENALTY_FIELDS

    @admin.display(description=DECIDED_ON, ordering="decided_on")
    def decided(self, penalty):
        return penalty.decided_on


@admin.register(RectificationNotice)
class RectificationNoticeAdmin(FactAdmin):
    form = RectificationNoticeForm
    list_display = ("organization", "notice_number", "issued", "due_on", "completed_on")
    list_filter = (("completed_on", admin.EmptyFieldListFilter), "due_on")
    search_fields = ("organization__name", "organization__credit_code", "notice_number")
    fields = NOTICE_FIELDS

    @admin.display(description=ISSUED_ON, ordering="issued_on")
    def issued(self, notice):
        return notice.issued_on


@admin.register(ReturnedLetter)
class ReturnedLetterAdmin(FactAdmin):
    form = ReturnedLetterForm
    list_display = ("organization", "tracking_number", "address", "sent_on", "returned_on")
    list_filter = ("returned_on",)
    search_fields = ("organization__name", "organization__credit_code", "tracking_number")
    fields = LETTER_FIELDS
