"""The registry's columns of the ledger as they stood on an earlier day (R-CHG-4): an
organization changed since (a new name, legal representative, residence, supervisory unit …)
shows on a ledger "as of" a day before the change the values it had that day, read from its
history rows. Today's ledger reads nothing here."""

import datetime

from django.utils import timezone

from registry.models import District, Industry, Organization, Street, SupervisoryUnit

# Ledger field → (history column, the table whose name it shows, or None for the value itself).
HISTORICAL_FIELDS = {
    "name": ("name", None),
    "credit_code": ("credit_code", None),
    "organization_type": ("organization_type", None),
    "industry__name": ("industry_id", Industry),
    "supervisory_unit__name": ("supervisory_unit_id", SupervisoryUnit),
    "legal_representative": ("legal_representative", None),
    "contact_person": ("contact_person", None),
    "contact_phone": ("contact_phone", None),
    "district__name": ("district_id", District),
    "street__name": ("street_id", Street),
    "full_time_staff": ("full_time_staff", None),
    "established_on": ("established_on", None),
    "registered_on": ("registered_on", None),
}


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first moment after `day` in the bureau's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def values_as_of(organization_ids: list[int], as_of: datetime.date) -> dict[int, dict]:
    """{organization id: {ledger field: value on `as_of`}} for the organizations among
    `organization_ids` whose record changed after `as_of` (the others are as they are now):
    at most two queries, and a small one per reference table named by a changed row."""
    if not organization_ids:
        return {}
    history = Organization.history.model
    cutoff = end_of_day(as_of)
    changed = set(
        history.objects.filter(id__in=organization_ids, history_date__gte=cutoff)
        .values_list("id", flat=True)
        .distinct()
    )
    if not changed:
        return {}
    columns = [column for column, _model in HISTORICAL_FIELDS.values()]
    rows = (
        history.objects.filter(id__in=changed, history_date__lt=cutoff)
        .order_by("id", "-history_date", "-history_id")
        .values("id", *columns)
    )
    latest = {}
    for row in rows:
        latest.setdefault(row["id"], row)
    names = {}
    for column, model in HISTORICAL_FIELDS.values():
        if model is not None:
            ids = {row[column] for row in latest.values() if row[column] is not None}
            names[column] = dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))
    values = {}
    for pk, row in latest.items():
        values[pk] = {
            field: (names[column].get(row[column]) if model is not None else row[column])
            for field, (column, model) in HISTORICAL_FIELDS.items()
        }
    return values
