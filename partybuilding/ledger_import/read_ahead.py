"""The sheet read in a child process while the import checks and writes: the reading (unzipping,
the sheet's XML, the cells) and the writing (the row checks, SQLite's B-trees) then run on two
CPUs instead of one after the other. The archive checks have run before, in the parent; the
child reads the same file again by its path and sends batches of rows over a bounded queue, so
memory stays flat whatever the sheet's size."""

from __future__ import annotations

import multiprocessing
import os
from itertools import islice

from django.utils.translation import gettext_lazy as _

from core.xlsx_reader import XlsxReader

from .reader import LedgerImportError, Sheet

#: Batches waiting in the queue at most: the child is at most this far ahead of the writer.
QUEUE_BATCHES = 4
CHANGED = _("The file changed while it was being imported; import it again.")
_DONE = "done"
_ERROR = "error"


def read_ahead(path: str, handle, sheet: Sheet, size: int):
    """The batches of `sheet.rows()` of the workbook at `path`, read by a child process.
    A `LedgerImportError` in the child is raised here, where the batch would have come. The
    child reads only the file the archive checks read (`handle`, the parent's open file: same
    inode, size and modification time), not one put in its place meanwhile."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=QUEUE_BATCHES)
    child = context.Process(
        target=_read,
        args=(path, _identity(handle), sheet.title, sheet.columns, sheet.header_row, size, queue),
        daemon=True,
    )
    child.start()
    try:
        while True:
            kind, payload = queue.get()
            if kind == _DONE:
                return
            if kind == _ERROR:
                raise LedgerImportError(payload)
            yield payload
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        queue.close()


def _identity(handle) -> tuple:
    status = os.fstat(handle.fileno())
    return status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns


def _read(path, identity, title, columns, header_row, size, queue) -> None:
    try:
        with open(path, "rb") as handle:
            if _identity(handle) != identity:
                raise LedgerImportError(str(CHANGED))
            workbook = XlsxReader(handle)
            rows = Sheet(title, columns, workbook.sheet(title), header_row).rows()
            while batch := list(islice(rows, size)):
                queue.put(("rows", batch))
        queue.put((_DONE, None))
    except LedgerImportError as error:
        queue.put((_ERROR, str(error)))
    except BaseException as error:  # noqa: BLE001 (said to the parent, which raises it)
        queue.put((_ERROR, repr(error)))
    queue.close()
    queue.join_thread()
