"""The ledger import (台账导入): `import_ledger` reads a ledger workbook back into the registry
and the Party members. Its modules, in the order a file meets them:

- `archive`: the checks of the .xlsx archive, before any reader opens it;
- `reader`: the one place the workbook is opened and its rows read (`ledger_sheets`);
- `cells`: headers, labels and how a typed cell becomes a value;
- `rows`: the checks of one row, through the models' own rules (`registry.rules`, clean());
- `fields`: the model's field checks compiled once, and new rows built without `__init__`;
- `seen`: the keys already read, in a temporary table;
- `importer`: batches, the transaction, and the writes through the bulk-write services
  (`registry.services.bulk`, `partybuilding.bulk`);
- `audit`: the import's own record in the audit log; `result`: what it reports."""

from .cells import NO_HEADER, NOT_A_WORKBOOK
from .importer import import_ledger
from .reader import LedgerImportError
from .result import ImportResult, RowError

__all__ = [
    "NO_HEADER",
    "NOT_A_WORKBOOK",
    "ImportResult",
    "LedgerImportError",
    "RowError",
    "import_ledger",
]
