"""Files in and out: JSON and YAML structures, tables beside them, ledgers, JSON Schema.

``load(path)`` and ``save(structure, path)`` are the library's file contract (also
``gridgov.load`` / ``gridgov.save``); the format follows the suffix (``.json``, ``.yaml``,
``.yml``) and saving is atomic. See :mod:`gridgov.io.json_yaml` for which error each failure
raises, :mod:`gridgov.io.tables` for tables beside the main file (NDJSON, CSV, Parquet),
:mod:`gridgov.io.ledger` for household ledgers (台账), :mod:`gridgov.io.schema` for the JSON
Schema, :mod:`gridgov.io.safety` for the bounds on untrusted input,
:mod:`gridgov.io.privacy` for the privacy levels every export takes (``public``,
``research``, ``internal``, ``full``), :mod:`gridgov.io.popolo` for Popolo JSON and
:mod:`gridgov.io.jsonld` for JSON-LD on the W3C Organization Ontology.

Where a message points
----------------------
Every problem the io layer reports is a :class:`~gridgov.errors.Problem` whose ``code`` is
kebab-case (``unknown-area``, ``bad-type``, ``extra-forbidden``; pydantic's snake_case error
types are converted) and whose ``location`` names the file, then the row and the column:

* **Rows are 1-based, as the person sees them in their tool.** CSV and XLSX: the spreadsheet
  row (the header is row 1, the first record row 2; title rows above a ledger's header
  count). NDJSON: the line number (blank lines count). Parquet: the record's position,
  first = 1. A table written inline in a JSON or YAML file: the element's position in its
  array, first = 1 (``city.json households row 1, column residents``).
* **Columns** are named by their header (ledgers add the spreadsheet letter:
  ``台账.csv row 3, column D (人口数)``).
* **Paths** into a JSON or YAML document that are not table rows are written as paths with
  0-based indices, as JSONPath (RFC 9535) and Python do: ``posts[0].kind`` for a field,
  ``$.areas[2]`` for an object with a duplicate key. A YAML problem also gives its line.
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
from gridgov.io.jsonld import to_jsonld
from gridgov.io.ledger import LEDGER_COLUMNS, import_ledger
from gridgov.io.popolo import from_popolo, to_popolo, validate_popolo
from gridgov.io.privacy import LEVELS as PRIVACY_LEVELS
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
    "PRIVACY_LEVELS",
    "SCHEMA_ID",
    "TABLE_FIELDS",
    "TABLE_FORMATS",
    "SaveLayout",
    "format_of",
    "from_data",
    "from_popolo",
    "import_ledger",
    "load",
    "neutralise_cell",
    "restore_cell",
    "save",
    "saved_layout",
    "structure_schema",
    "to_data",
    "to_jsonld",
    "to_popolo",
    "validate_popolo",
    "write_schema",
]
