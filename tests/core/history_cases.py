"""One record of each model whose admin shows django-simple-history's pages, for the history
tests (tests/core/test_history_pages.py). `RECORDS` must name every such model: a test fails
for a history admin registered later without a maker here."""

import datetime

from credit.models import Penalty, RectificationNotice, ReturnedLetter
from partybuilding.models import Dispatch, IndustryLead, PartyMember, PartyOrganization
from registry.models import (
    BureauProfile,
    District,
    Industry,
    Organization,
    PartyBuildingBody,
    RegistrationTemplate,
    Street,
    SupervisoryUnit,
)
from registry.services.bureau import bureau_profile_save
from tests.factories import (
    DistrictFactory,
    IndustryFactory,
    OrganizationFactory,
    PartyMemberFactory,
    PenaltyFactory,
    RectificationNoticeFactory,
    ReturnedLetterFactory,
    StreetFactory,
    SupervisoryUnitFactory,
    found_party_organization,
)


def _dispatch(organization):
    return Dispatch.objects.create(
        organization=organization,
        dispatched_branch="市民政局机关党委",
        instructor_name="刘指导",
        instructor_unit="市民政局",
        instructor_phone="13943210007",
        started_on=datetime.date(2018, 1, 2),
    )


def _industry_lead(organization):
    lead = IndustryLead.objects.create(
        industry=organization.industry,
        lead_organization=organization,
        designated_on=datetime.date(2019, 5, 1),
    )
    lead.driven_organizations.add(OrganizationFactory(industry=organization.industry))
    return lead


def _registration_template(organization):
    template = RegistrationTemplate.objects.first()
    if template is None:  # made by a data migration; a flushed database lacks it
        clause = "本团体成立中国共产党的组织，开展党的活动。"
        template = RegistrationTemplate.objects.create(
            charter_template=f"第一章 总则\n{clause}",
            party_building_clause=clause,
            pledge_text="承诺",
        )
    else:  # the data migration's row has no history entry yet
        template.save()
    return template


# model -> a record of it tied (where the model is scoped) to `organization`.
RECORDS = {
    Organization: lambda organization: organization,
    PartyMember: lambda organization: PartyMemberFactory(
        organization=organization, phone="13943210008"
    ),
    PartyOrganization: lambda organization: found_party_organization(organization),
    Dispatch: _dispatch,
    IndustryLead: _industry_lead,
    Industry: lambda organization: IndustryFactory(code="history_case", name="历史测试行业"),
    District: lambda organization: DistrictFactory(name="历史测试区", code="220199"),
    Street: lambda organization: StreetFactory(
        district=DistrictFactory(name="历史测试区", code="220199"), name="历史测试街道"
    ),
    SupervisoryUnit: lambda organization: SupervisoryUnitFactory(name="历史测试业务主管单位"),
    PartyBuildingBody: lambda organization: PartyBuildingBody.objects.create(name="历史测试党委"),
    RegistrationTemplate: _registration_template,
    BureauProfile: lambda organization: bureau_profile_save(
        by=None, authority_name="长春市民政局"
    )[0],
    # Credit supervision's facts (R-CR-3, R-CR-4, R-CR-12).
    Penalty: lambda organization: PenaltyFactory(organization=organization),
    RectificationNotice: lambda organization: RectificationNoticeFactory(organization=organization),
    ReturnedLetter: lambda organization: ReturnedLetterFactory(organization=organization),
}

# The models whose records a supervisory unit sees only for its own organizations.
SCOPED = (
    Organization,
    PartyMember,
    PartyOrganization,
    Dispatch,
    Penalty,
    RectificationNotice,
    ReturnedLetter,
)
