"""Where finished exports live: MEDIA_ROOT/exports/, with no URL. Ledgers list every
organization's contacts, so a file is only ever handed out by the permission-checked download
view, never by static or media serving."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible(path="exports.storage.ExportStorage")
class ExportStorage(FileSystemStorage):
    def __init__(self):
        super().__init__(base_url=None)

    @cached_property
    def base_location(self):
        # Read on use (and reset when MEDIA_ROOT changes, see FileSystemStorage), so tests and
        # deployments that move MEDIA_ROOT move the exports with it.
        return os.path.join(settings.MEDIA_ROOT, "exports")

    def url(self, name):
        raise ValueError("Exports have no URL; use the exports:download view.")


export_storage = ExportStorage()
