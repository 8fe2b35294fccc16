"""A worksheet's rows as records (field → value), read in flat memory, in this process or by a
spawned one while this process works on the rows already read.

`records` gives the rows of named columns below a header row, blank ones skipped. `ReadAhead`
gives the same records in batches, read by a child process started with the "spawn" method: a
fresh interpreter (never a fork: a forked copy of a process with threads can deadlock on a lock
one of them held), which imports only this module and `core.xlsx_reader` (no Django), opens the
workbook again by its path and sends the batches through a bounded pipe, so that memory stays flat
whatever the sheet's size. The reading (unzipping, the XML, the cells) and the caller's work
then run on two CPUs instead of one after the other.

The caller checks the archive first (zip bombs, entities …) in its own process, on its open
file, and only then asks the child for a sheet (the child may be started before, to have its
start-up behind it: it opens no file until asked); the child reads only that same file (device,
inode, size and modification time equal), not one put in its place meanwhile."""

from __future__ import annotations

import multiprocessing
import os
from itertools import islice

from .xlsx_reader import XlsxFormatError, XlsxReader, XlsxXmlError

try:
    import fcntl
except ImportError:  # not a POSIX system: the pipe keeps its size
    fcntl = None

#: The pipe the batches go through (Linux's default limit for an unprivileged process): about
#: four batches of 1,000 ledger rows; the child is at most this far ahead of the caller.
PIPE_BYTES = 1 << 20
_ROWS, _DONE, _ERROR, _CHANGED, _FAILED = "rows", "done", "error", "changed", "failed"


class FileChanged(Exception):
    """The file at the path is no longer the one the caller opened (and checked)."""


def records(worksheet, columns: dict[str, int], header_row: int, last_row: int):
    """(Excel row number, field → value) of the rows after `header_row` up to `last_row`,
    reading only `columns` (field → 0-based index of its column). Rows empty in every column
    read (a blank line, a footer note in an ignored column) are skipped. NUL characters are
    removed from text: no ledger has them (Excel writes one as _x0000_), and PostgreSQL
    refuses them in text."""
    columns = list(columns.items())
    for number, values in worksheet.rows({index for _name, index in columns}):
        if number <= header_row:
            continue
        if number > last_row:
            break
        width = len(values)
        row = {}
        blank = True
        for name, index in columns:
            value = values[index] if index < width else None
            if value.__class__ is str:
                if "\x00" in value:
                    value = value.replace("\x00", "")
                if blank and value.strip():
                    blank = False
            elif value is not None:
                blank = False
            row[name] = value
        if not blank:
            yield number, row


class ReadAhead:
    """A spawned child process that reads the sheets it is asked for, one after the other.

    Started early (before the caller's archive checks, which its start-up then overlaps: it
    opens nothing until asked); `batches()` asks it for a sheet; `close()` ends it. A sheet
    left before its end (an error, too many errors) ends the child: a later sheet starts
    another."""

    def __init__(self):
        self._context = multiprocessing.get_context("spawn")
        self._child = None
        self._start()

    def _start(self) -> None:
        self._orders, orders = self._context.Pipe()
        self._batches, batches = self._context.Pipe(duplex=False)
        _enlarge(self._batches)
        self._child = self._context.Process(target=_serve, args=(orders, batches), daemon=True)
        self._child.start()
        orders.close()  # the child's ends: a child that ends closes the pipes
        batches.close()

    def batches(
        self, path, handle, sheet: str, columns: dict, header_row: int, last_row: int, size: int
    ):
        """The `records` of `sheet` in lists of `size`, read by the child from the workbook at
        `path`, which must still be the file open as `handle` (else `FileChanged`). The
        reader's errors (`XlsxFormatError`, `XlsxXmlError`) are raised here, where the batch
        would have come."""
        if self._child is None:
            self._start()
        order = (os.fspath(path), _identity(handle), sheet, columns, header_row, last_row, size)
        finished = False
        try:
            kind, payload = self._ask(order)
            while kind is None or kind == _ROWS:
                if kind == _ROWS:
                    yield payload
                kind, payload = self._next()
            finished = kind != _FAILED
            if kind == _DONE:
                return
            if kind == _CHANGED:
                raise FileChanged(path)
            if kind == _ERROR:
                xml, message = payload
                raise (XlsxXmlError if xml else XlsxFormatError)(message)
            raise RuntimeError(f"the reading process failed: {payload}")
        finally:
            if not finished:  # still reading, or gone: not asked again
                self.close()

    def _ask(self, order):
        """(None, None) once the child has the order; a child gone already is a failure."""
        try:
            self._orders.send(order)
        except OSError:
            self._child.join(timeout=5)
            return _FAILED, f"exit code {self._child.exitcode}"
        return None, None

    def _next(self):
        """The child's next message; a child that ended without one (killed) is an error, not
        a wait forever."""
        try:
            return self._batches.recv()
        except (EOFError, OSError):
            self._child.join(timeout=5)
            return _FAILED, f"exit code {self._child.exitcode}"

    def close(self) -> None:
        """End the child (at once: what it was still reading is not wanted) and wait for it."""
        child, self._child = self._child, None
        if child is None:
            return
        if child.is_alive():
            child.terminate()
        child.join()
        self._orders.close()
        self._batches.close()


def _enlarge(connection) -> None:
    """The batches' pipe made able to hold several batches (about 250 kB each) on Linux: the
    child then writes a batch whole, and this process reads it whole, without each waiting for
    the other to be scheduled every 64 kB (a 1,000-row batch took four such hand-overs on a
    busy machine). Elsewhere, or past the system's limit, the pipe stays as it is."""
    try:
        fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (AttributeError, OSError):
        pass


def _identity(handle) -> tuple:
    status = os.fstat(handle.fileno())
    return status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns


def _serve(orders, batches) -> None:
    """The child: read each sheet asked for, until the caller closes its end."""
    while True:
        try:
            order = orders.recv()
        except EOFError:
            return
        _read(*order, batches)


def _read(path, identity, sheet, columns, header_row, last_row, size, batches) -> None:
    """Read one sheet and send its batches (each send waits while the pipe is full: the child
    is at most a pipe's worth ahead), then say how it ended."""
    try:
        with open(path, "rb") as handle:
            if _identity(handle) != identity:
                batches.send((_CHANGED, None))
                return
            with XlsxReader(handle) as workbook:
                rows = records(workbook.sheet(sheet), columns, header_row, last_row)
                while batch := list(islice(rows, size)):
                    batches.send((_ROWS, batch))
        batches.send((_DONE, None))
    except XlsxFormatError as error:
        batches.send((_ERROR, (isinstance(error, XlsxXmlError), str(error))))
    except Exception as error:  # noqa: BLE001 (said to the caller, which raises it)
        batches.send((_FAILED, repr(error)))
