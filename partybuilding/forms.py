from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import PlainSelect
from registry.choices import OrganizationStatus
from registry.models import District, Industry, SupervisoryUnit
from registry.selectors import registered_on_day, sees_every_organization

from .choices import PartyBuildingStatus

# The filters that narrow by a field the stored standings copy (see copied_conditions).
COPIED_FILTERS = ("district", "industry", "supervisory_unit", "status")


class ScopeFilterForm(forms.Form):
    """The scope of a ledger or a dashboard: the same filters everywhere (GET parameters)."""

    district = forms.ModelChoiceField(
        District.objects.all(),
        required=False,
        label=_("district"),
        empty_label=_("all"),
        widget=PlainSelect,
    )
    industry = forms.ModelChoiceField(
        Industry.objects.all(),
        required=False,
        label=_("industry"),
        empty_label=_("all"),
        widget=PlainSelect,
    )
    supervisory_unit = forms.ModelChoiceField(
        SupervisoryUnit.objects.all(),
        required=False,
        label=_("business supervisory unit"),
        empty_label=_("all"),
        widget=PlainSelect,
    )
    # Figures are over active organizations (R-PB-7); the ledger may list the others on request.
    status = forms.ChoiceField(
        choices=list(OrganizationStatus.choices) + [("all", _("all"))],
        required=False,
        label=_("registration status"),
        widget=PlainSelect,
    )
    party_building_status = forms.ChoiceField(
        choices=[("", _("all"))] + list(PartyBuildingStatus.choices),
        required=False,
        label=_("Party-building status"),
        widget=PlainSelect,
    )

    def filter(self, organizations, *, as_of=None):
        """Narrow `organizations` (already limited to what the user may see) to the scope. The
        result is a plain queryset: callers annotate it as they need. With `as_of` (a ledger
        as of an earlier day), "active" means registered on that day (R-DEREG-8): an
        organization deregistered since is in it."""
        if not self.is_valid():
            return organizations.none()
        data = self.cleaned_data
        for name in ("district", "industry", "supervisory_unit"):
            if data.get(name):
                organizations = organizations.filter(**{name: data[name]})
        status = data.get("status") or OrganizationStatus.ACTIVE
        if status == OrganizationStatus.ACTIVE and as_of is not None:
            organizations = organizations.filter(registered_on_day(as_of))
        elif status != "all":
            organizations = organizations.filter(status=status)
        if data.get("party_building_status"):
            from .standings.selectors import with_party_building

            matching = with_party_building(organizations).filter(
                party_building_status=data["party_building_status"]
            )
            organizations = organizations.filter(pk__in=matching.values("pk"))
        return organizations

    def copied_conditions(self, user) -> dict | None:
        """The scope as conditions on the organization fields the stored standings copy
        (`coverage.selectors.standings_of`), when it is nothing else: every organization
        (`user` sees them all) narrowed by status, district, industry and supervisory unit
        alone. None when anything else narrows it (a status computed from the figures …)."""
        if not (self.is_valid() and sees_every_organization(user)):
            return None
        data = self.cleaned_data
        if any(data.get(name) for name in self.base_fields if name not in COPIED_FILTERS):
            return None
        conditions = {
            name: data[name].pk
            for name in ("district", "industry", "supervisory_unit")
            if data.get(name)
        }
        status = data.get("status") or OrganizationStatus.ACTIVE
        if status != "all":
            conditions["status"] = status
        return conditions

    def describe(self) -> str:
        """The scope in words, for titles: 朝阳区 · 养老."""
        if not self.is_valid():
            return ""
        parts = []
        for name, value in self.cleaned_data.items():
            if value:
                field = self.fields[name]
                parts.append(
                    str(dict(field.choices).get(value, value))
                    if isinstance(field, forms.ChoiceField)
                    and not isinstance(field, forms.ModelChoiceField)
                    else str(value)
                )
        return " · ".join(parts)


class LedgerFilterForm(ScopeFilterForm):
    """The ledger's scope plus a search by name or credit code (the clerk has one of the two
    on the paper in front of them)."""

    q = forms.CharField(required=False, max_length=100, label=_("name or credit code"), strip=True)
    field_order = ["q"]

    def filter(self, organizations, *, as_of=None):
        organizations = super().filter(organizations, as_of=as_of)
        term = (self.cleaned_data.get("q") or "") if self.is_valid() else ""
        if not term:
            return organizations
        from registry.credit_codes import credit_code_lookup

        lookup = credit_code_lookup(term)
        if lookup is not None:
            return organizations.filter(lookup)
        for word in term.split():
            # Three characters and more use the pg_trgm index (core.large_tables.TrigramSearch).
            organizations = organizations.filter(
                **{"name__icontains" if len(word) >= 3 else "name__contains": word}
            )
        return organizations
