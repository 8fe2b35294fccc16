"""The columns that open every workbook listing organizations' records (annual-check results,
evaluations): the running number, then who the organization is. The row gives the
organization's fields through `organization__…` and its type's label as
`organization_type_label`."""

from django.utils.translation import gettext_lazy as _

from core.spreadsheets import Column

ORGANIZATION_COLUMNS = [
    Column(_("No."), None, 6, "number"),
    Column(_("name of the social organization"), "organization__name", 34),
    Column(_("unified social credit code"), "organization__credit_code", 21),
    Column(_("organization type"), "organization_type_label", 14),
    Column(_("industry"), "organization__industry__name", 9),
]
