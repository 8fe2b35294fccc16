"""Year-bound annual-check pages follow the data's years (issue 19): the results download and the
revocation review offer every year with data and open on the latest reported one, not on an
empty current year."""

import datetime

import pytest
from django.urls import reverse

from annualcheck.models import AnnualCheck
from annualcheck.selectors import default_year, years_reported
from tests.annualcheck.test_admin_review import _reviewed
from tests.annualcheck.test_exports import rows_by_name, workbook_of
from tests.annualcheck.test_rules import direct_organization

pytestmark = pytest.mark.django_db


def test_default_year_is_last_year_when_it_has_data_else_the_latest_before_it():
    today = datetime.date(2026, 12, 7)
    assert default_year([2025, 2017], today=today) == 2025
    assert default_year([2017, 2016], today=today) == 2017
    assert default_year([2027], today=today) == 2025  # a year not yet reportable is skipped
    assert default_year([], today=today) == 2025


def test_the_changelist_offers_every_reported_year_and_downloads_the_latest(client, clerk):
    older, newer = direct_organization(name="长春市二〇一五年检协会"), direct_organization()
    _reviewed(older, 2015, "qualified", clerk)
    _reviewed(newer, 2017, "qualified", clerk)
    assert years_reported(AnnualCheck.objects.all()) == [2017, 2015]
    client.force_login(clerk)
    response = client.get(reverse("admin:annualcheck_annualcheck_changelist"))
    assert response.context["result_years"] == [2017, 2015]
    assert response.context["result_year"] == 2017
    page = response.content.decode()
    assert '<option value="2015">2015</option>' in page
    assert '<option value="2017" selected>2017</option>' in page

    response = client.get(reverse("annualcheck:results_download"))
    sheet = workbook_of(b"".join(response.streaming_content)).active
    assert sheet["A1"].value == "2017年度社会组织年检结果"
    assert len(rows_by_name(sheet)) == 1

    response = client.get(reverse("annualcheck:results_download"), {"year": 2015})
    sheet = workbook_of(b"".join(response.streaming_content)).active
    assert set(rows_by_name(sheet)) == {"长春市二〇一五年检协会"}


def test_the_revocation_review_picker_reaches_every_year_with_data(client, clerk):
    organization = direct_organization()
    _reviewed(organization, 2015, "unqualified", clerk)
    _reviewed(organization, 2016, "unqualified", clerk)
    client.force_login(clerk)
    response = client.get(reverse("annualcheck:revocation_review"))
    assert response.context["year"] == 2016
    assert response.context["years"] == [2016, 2015]
    assert [row["organization"].pk for row in response.context["rows"]] == [organization.pk]
