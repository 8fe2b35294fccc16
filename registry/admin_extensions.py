"""What higher apps add to the organization's admin pages (credit supervision's 信用状态 filter
and its listings), registered from their AppConfig.ready(): the registry never imports them.
Importing this module registers no admin page."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeString


@dataclass(frozen=True)
class OrganizationAdminExtension:
    """`list_filters`: list filters added after the registry's own on the organization list
    (they must keep its query count constant). `panel(organization, user)`: the HTML shown
    under the change page's fields headed `panel_title`, or "" to show nothing."""

    key: str
    list_filters: tuple = ()
    panel_title: str = ""
    panel: Callable[[object, object], SafeString | str] | None = None


ORGANIZATION_ADMIN_EXTENSIONS: list[OrganizationAdminExtension] = []


def register_organization_admin_extension(extension: OrganizationAdminExtension) -> None:
    if all(existing.key != extension.key for existing in ORGANIZATION_ADMIN_EXTENSIONS):
        ORGANIZATION_ADMIN_EXTENSIONS.append(extension)


def extension_list_filters() -> tuple:
    return tuple(f for extension in ORGANIZATION_ADMIN_EXTENSIONS for f in extension.list_filters)


def extension_panels(organization, user) -> list[tuple[str, str]]:
    """(title, HTML) of every registered panel with something to show for `organization`."""
    panels = []
    for extension in ORGANIZATION_ADMIN_EXTENSIONS:
        if extension.panel is None:
            continue
        html = extension.panel(organization, user)
        if html:
            panels.append((extension.panel_title, html))
    return panels
