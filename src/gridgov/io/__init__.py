"""Files in and out: JSON and YAML structures, tables beside them, ledgers, JSON Schema.

``load(path)`` and ``save(structure, path)`` are the library's file contract (also
``gridgov.load`` / ``gridgov.save``); the format follows the suffix (``.json``, ``.yaml``,
``.yml``) and saving is atomic. See :mod:`gridgov.io.json_yaml` for which error each failure
raises, :mod:`gridgov.io.tables` for tables beside the main file (NDJSON, CSV, Parquet),
:mod:`gridgov.io.ledger` for household ledgers (台账), :mod:`gridgov.io.schema` for the JSON
Schema and :mod:`gridgov.io.safety` for the bounds on untrusted input.
"""

from gridgov.io.json_yaml import (
    FORMATS,
    SaveLayout,
    format_of,
    from_data,
    load,
    save,
    saved_layout,
    to_data,
)
from gridgov.io.ledger import LEDGER_COLUMNS, import_ledger
from gridgov.io.safety import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DEPTH,
    neutralise_cell,
    restore_cell,
)
from gridgov.io.schema import SCHEMA_ID, structure_schema, write_schema
from gridgov.io.tables import TABLE_FIELDS, TABLE_FORMATS

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
    "FORMATS",
    "LEDGER_COLUMNS",
    "SCHEMA_ID",
    "TABLE_FIELDS",
    "TABLE_FORMATS",
    "SaveLayout",
    "format_of",
    "from_data",
    "import_ledger",
    "load",
    "neutralise_cell",
    "restore_cell",
    "save",
    "saved_layout",
    "structure_schema",
    "to_data",
    "write_schema",
]
