"""The department sharing API (部门共享, issue 18.3; R-API-1..8): read-only JSON for supervisory
units and the Party working committee, on django-ninja. Each call runs as its token's holder
through the selectors the admin uses (`sharing.selectors`); each list is a keyset page
(`sharing.pagination`); each call, answered or refused, is audited (`sharing.urls` wraps the
views, `sharing.services.call_record`)."""

import datetime

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, NinjaAPI, Query, Router, Schema
from ninja.errors import AuthenticationError, Throttled, ValidationError
from ninja.openapi.docs import Swagger
from ninja.security.http import HttpAuthBase
from ninja.throttling import AuthRateThrottle

from . import schemas as s
from . import selectors
from .pagination import CursorError, keyset_page
from .services import sharing_settings, token_check

API_DESCRIPTION = gettext_lazy(
    "Read-only data for the business supervisory units and the Party working committee. "
    "Send the token the security administrator issued as `Authorization: Bearer <token>`. "
    "Every call sees exactly what the token's holder sees in the admin, and is recorded in "
    "the audit log. Lists are paged by cursor: pass `next_cursor` as `cursor` until it is "
    "empty."
)


class TokenAuth(HttpAuthBase):
    """`Authorization: Bearer <token>`; the check and its outcome are kept on the request for
    the audit record (sharing.urls)."""

    openapi_scheme = "bearer"

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        scheme, _space, presented = header.partition(" ")
        checked = token_check(presented if scheme.lower() == "bearer" else None)
        request.sharing_checked = checked
        if checked.refusal:
            return None
        request.sharing_holder = checked.token.holder
        return checked.token


class TokenThrottle(AuthRateThrottle):
    """SHARING["CALLS_PER_MINUTE"] calls a minute per token (keyed by its prefix), the setting
    read at each call."""

    scope = "sharing"

    def __init__(self):
        super().__init__("1/m")

    def allow_request(self, request):
        self.num_requests = sharing_settings()["CALLS_PER_MINUTE"]
        return super().allow_request(request)


api = NinjaAPI(
    title=gettext_lazy("Department sharing API"),
    version="1",
    description=API_DESCRIPTION,
    urls_namespace="sharing_api",
    auth=TokenAuth(),
    throttle=[TokenThrottle()],
    docs=Swagger(settings={"supportedSubmitMethods": ["get"]}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error(request, status: int, code: str, detail: str):
    return api.create_response(request, {"detail": detail, "code": code}, status=status)


REFUSAL_MESSAGES = {
    "missing": gettext_lazy("No API token: send it as Authorization: Bearer <token>."),
    "invalid": gettext_lazy("The API token is not valid."),
    "revoked": gettext_lazy("The API token has been revoked."),
    "expired": gettext_lazy("The API token has expired."),
    "holder_inactive": gettext_lazy(
        "The API token's holder account is disabled or no longer holds a role the API serves."
    ),
    "holder_locked": gettext_lazy("The API token's holder account is locked."),
}


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    checked = getattr(request, "sharing_checked", None)
    refusal = checked.refusal if checked else "missing"
    response = error(request, 401, refusal, str(REFUSAL_MESSAGES[refusal]))
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def not_found(request, exc):
    return error(request, 404, "not_found", _("Not found, or not within this token's scope."))


@api.exception_handler(ValidationError)
def invalid(request, exc):
    fields = sorted({".".join(str(part) for part in e.get("loc", ())) for e in exc.errors})
    return error(
        request,
        422,
        "invalid_parameters",
        _("Some parameters are not valid: %(fields)s") % {"fields": ", ".join(fields)},
    )


@api.exception_handler(CursorError)
def bad_cursor(request, exc):
    return error(request, 400, "invalid_cursor", _("The cursor is not valid; start again."))


@api.exception_handler(Throttled)
def throttled(request, exc):
    response = error(request, 429, "throttled", _("Too many calls; wait a minute and retry."))
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response


# What a code or a credit code parameter may look like; anything else is a 422.
CODE = r"^[a-z_]{1,30}$"
CREDIT_CODE = r"^[0-9A-Za-z]{18}$"


class PageQuery(Schema):
    cursor: str | None = Field(
        None, description=gettext_lazy("The `next_cursor` of the last page.")
    )
    limit: int = Field(
        sharing_settings()["PAGE_LIMIT_DEFAULT"],
        ge=1,
        le=sharing_settings()["PAGE_LIMIT_MAX"],
        description=gettext_lazy("Rows per page."),
    )


def paged(request, queryset, page: PageQuery, row):
    rows, next_cursor = keyset_page(queryset, cursor=page.cursor, limit=page.limit)
    request.sharing_rows = len(rows)
    return {"items": [row(record) for record in rows], "next_cursor": next_cursor}


def holder(request):
    return request.sharing_holder


router = Router(tags=[gettext_lazy("department sharing")])


class OrganizationFilters(PageQuery):
    status: str | None = Field(
        None, pattern=CODE, description=gettext_lazy("Registration status code.")
    )
    district: int | None = Field(None, description=gettext_lazy("District identifier."))
    industry: int | None = Field(None, description=gettext_lazy("Industry identifier."))
    updated_since: datetime.datetime | None = Field(
        None, description=gettext_lazy("Only organizations changed at or after this time.")
    )


@router.get(
    "/organizations",
    response={200: s.page_of(s.Organization), 401: s.Error, 422: s.Error},
    summary=gettext_lazy("List organizations"),
    description=gettext_lazy(
        "The organizations the holder sees, with today's Party-building standing."
    ),
)
def organizations(request, filters: Query[OrganizationFilters]):
    queryset = selectors.api_organizations(
        holder(request),
        status=filters.status,
        district=filters.district,
        industry=filters.industry,
        updated_since=filters.updated_since,
    )
    return paged(request, queryset, filters, s.organization_row)


@router.get(
    "/organizations/{credit_code}",
    response={200: s.Organization, 401: s.Error, 404: s.Error},
    summary=gettext_lazy("One organization"),
    description=gettext_lazy("By its credit code; 404 when unknown or not in scope alike."),
)
def organization(request, credit_code: str):
    return s.organization_row(_one_in_scope(request, credit_code))


@router.get(
    "/organizations/{credit_code}/party-building",
    response={200: s.PartyBuilding, 401: s.Error, 404: s.Error},
    summary=gettext_lazy("An organization's Party-building standing"),
    description=gettext_lazy("Counts and coverage only: never members' names or ID numbers."),
)
def party_building(request, credit_code: str):
    return s.party_building_row(_one_in_scope(request, credit_code))


def _one_in_scope(request, credit_code: str):
    """The holder's organization with `credit_code`; 404 alike when unknown or out of scope."""
    found = selectors.api_organization(holder(request), credit_code)
    if found is None:
        raise Http404
    request.sharing_rows = 1
    return found


class OfOrganization(PageQuery):
    credit_code: str | None = Field(
        None,
        pattern=CREDIT_CODE,
        description=gettext_lazy("Only this organization's (credit code)."),
    )
    year: int | None = Field(None, description=gettext_lazy("Only this year's."))


@router.get(
    "/annual-checks",
    response={200: s.page_of(s.AnnualCheck), 401: s.Error, 422: s.Error},
    summary=gettext_lazy("List annual checks"),
)
def annual_checks(request, filters: Query[OfOrganization]):
    queryset = selectors.api_annual_checks(
        holder(request), year=filters.year, credit_code=filters.credit_code
    )
    return paged(request, queryset, filters, s.annual_check_row)


@router.get(
    "/evaluations",
    response={200: s.page_of(s.Evaluation), 401: s.Error, 422: s.Error},
    summary=gettext_lazy("List grade evaluations"),
)
def evaluations(request, filters: Query[OfOrganization]):
    queryset = selectors.api_evaluations(
        holder(request), year=filters.year, credit_code=filters.credit_code
    )
    return paged(request, queryset, filters, s.evaluation_row)


class CreditFilters(PageQuery):
    credit_code: str | None = Field(
        None,
        pattern=CREDIT_CODE,
        description=gettext_lazy("Only this organization's (credit code)."),
    )
    credit_list: str | None = Field(None, pattern=CODE, description=gettext_lazy("List code."))
    status: str | None = Field(None, pattern=CODE, description=gettext_lazy("Entry status code."))


@router.get(
    "/credit-entries",
    response={200: s.page_of(s.CreditEntry), 401: s.Error, 422: s.Error},
    summary=gettext_lazy("List credit list entries"),
)
def credit_entries(request, filters: Query[CreditFilters]):
    queryset = selectors.api_credit_entries(
        holder(request),
        credit_list=filters.credit_list,
        status=filters.status,
        credit_code=filters.credit_code,
    )
    return paged(request, queryset, filters, s.credit_entry_row)


class CopyFilters(PageQuery):
    credit_code: str | None = Field(
        None,
        pattern=CREDIT_CODE,
        description=gettext_lazy("Only this organization's (credit code)."),
    )
    pending: bool = Field(
        True, description=gettext_lazy("Only those awaiting acknowledgement (the default).")
    )


@router.get(
    "/member-form-copies",
    response={200: s.page_of(s.MemberFormCopy), 401: s.Error, 422: s.Error},
    summary=gettext_lazy("Member-form copies addressed to the holder"),
)
def member_form_copies(request, filters: Query[CopyFilters]):
    queryset = selectors.api_member_form_copies(
        holder(request), pending=filters.pending, credit_code=filters.credit_code
    )
    return paged(request, queryset, filters, s.member_form_copy_row)


api.add_router("/", router)
