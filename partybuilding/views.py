"""Staff pages of the Party-building app: the ledger, its download, joint-branch suggestions.
Thin: the scope form filters what organizations_visible_to allows, selectors compute."""

from django.contrib import admin
from django.http import FileResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.access import can_import, can_read_party_building, staff_page
from audit.downloads import export_response
from audit.services import request_ip
from core.identity import phone_for_display
from core.pagination import LargeTablePaginator
from registry.bureau import bureau
from registry.id_number_search import id_number_lookups_record
from registry.selectors import organizations_visible_to

from .coverage.selectors import coverage_figures, joint_branch_suggestions
from .exports import cell_text, display_labels, ledger_columns, prepare_row, write_ledger
from .forms import LedgerFilterForm, ScopeFilterForm
from .ledger.pages import LedgerSegments
from .ledger.selectors import ledger_queryset, ledger_rows

LEDGER_PAGE_SIZE = 100


def scoped_organizations(request, form_class=ScopeFilterForm):
    """The organizations the user may see, narrowed by the scope form in the query string."""
    form = form_class(request.GET)
    return form, form.filter(organizations_visible_to(request.user))


def ledger_filename(scope: str = "") -> str:
    stamp = timezone.localdate().strftime("%Y%m%d")
    title = bureau().ledger_title
    return f"{title}{'（' + scope + '）' if scope else ''}{stamp}.xlsx"


def ledger_response(organizations, *, request, scope: str = "") -> FileResponse:
    """The ledger of `organizations` as a download, audited (`audit.downloads`)."""
    title = bureau().ledger_title
    return export_response(
        request,
        write=lambda handle: write_ledger(
            handle,
            ledger_rows(organizations),
            title=title,
            summary=coverage_figures(organizations),
            user=request.user,
        ),
        filename=ledger_filename(scope),
        kind="ledger",
        object_type="registry.organization",
        what=title,
        filters={"selected": True, **request.GET.dict()},
    )


@staff_page(can_read_party_building)
def ledger(request):
    form, organizations = scoped_organizations(request, LedgerFilterForm)
    # A province's ledger is a million rows: a page at a time, counted only up to the cap.
    # The page is chosen on the sort keys alone, then its rows are read in full: sorting a
    # million rows with every ledger column and annotation costs several times more.
    # A scope the coverage aggregates answer is paged by their segments, counted exactly.
    copied = form.copied_conditions(request.user)
    if copied is not None:
        keys = LedgerSegments(organizations, copied)
    else:
        keys = ledger_queryset(organizations).values_list("pk", flat=True)
    page = LargeTablePaginator(keys, LEDGER_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(ledger_rows(organizations.filter(pk__in=list(page.object_list))))
    labels = display_labels()
    columns = ledger_columns()
    table = []
    for number, row in enumerate(page.object_list, start=page.start_index()):
        row = prepare_row(row, *labels)
        row["contact_phone"] = phone_for_display(row["contact_phone"], request.user)
        table.append(
            {
                "pk": row["pk"],
                "url": reverse("admin:registry_organization_change", args=[row["pk"]]),
                "warning": row["should_build_own_warning"],
                "status": row["party_building_status"],
                "cells": [number]
                + [cell_text(column, row.get(column.field)) for column in columns[1:]],
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partybuilding/ledger.html",
        {
            **admin.site.each_context(request),
            "title": bureau().ledger_title,
            "form": form,
            "page": page,
            "table": table,
            "columns": columns,
            "query": query.urlencode(),
        },
    )


@staff_page(can_read_party_building)
def joint_suggestions(request):
    form, organizations = scoped_organizations(request)
    return render(
        request,
        "partybuilding/joint_suggestions.html",
        {
            **admin.site.each_context(request),
            "title": gettext("Joint-branch suggestions"),
            "form": form,
            "suggestions": joint_branch_suggestions(organizations),
        },
    )


MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@staff_page(can_import)
def ledger_import(request):
    """Upload a ledger: everything is checked first; any error and nothing is written."""
    from .ledger_import import LedgerImportError, import_ledger
    from .ledger_import.archive import UPLOAD_LIMITS

    result = error = None
    if request.method == "POST":
        upload = request.FILES.get("ledger")
        dry_run = bool(request.POST.get("dry_run"))
        if upload is None:
            error = gettext("Choose the ledger file (.xlsx) to import.")
        elif upload.size > MAX_UPLOAD_BYTES:
            megabytes = MAX_UPLOAD_BYTES // 1024 // 1024
            error = gettext(
                "The file is larger than %(megabytes)s MB: import it in parts, or with the "
                "import_ledger command."
            ) % {"megabytes": megabytes}
        else:
            try:
                result = import_ledger(
                    upload,
                    by=request.user,
                    dry_run=dry_run,
                    ip_address=request_ip(request),
                    limits=UPLOAD_LIMITS,
                )
            except LedgerImportError as problem:
                error = str(problem)
            if result is not None:
                # R-ID-2: the result tells which of the file's numbers are on file already.
                id_number_lookups_record(
                    user=request.user,
                    where=gettext("Import the Party-building ledger"),
                    request=request,
                    dry_run=dry_run,
                    ok=result.ok,
                    rows=result.rows,
                )
    return render(
        request,
        "partybuilding/ledger_import.html",
        {
            **admin.site.each_context(request),
            "title": gettext("Import the Party-building ledger"),
            "result": result,
            "error": error,
        },
        status=400 if error or (result and not result.ok) else 200,
    )
