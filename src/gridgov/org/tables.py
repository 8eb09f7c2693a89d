"""Columnar tables for the many small things: areas, households, linked households.

Why columns
-----------
A city holds a million households, a hundred thousand units and as many linked-household
pairs. Measured on a 2-core machine (docs/design.md §4), a list of pydantic models costs 6.8 s and
~1 200 B per household to validate; a polars frame with vectorised checks costs 0.5 s and
~58 B. So a table keeps its rows in a :class:`polars.DataFrame` with a fixed schema, validates
them with whole-column expressions (every bad cell is reported with its row and column, not
just the first), and materialises the row's pydantic model only when one row is asked for
(:meth:`Table.row`, :meth:`Table.get`, iteration).

Inside a pydantic model a table field accepts a table, a polars frame, a mapping of columns
or a sequence of row dicts or models, and dumps to a list of row dicts, so
``model_dump`` → ``model_validate`` is lossless.

Examples
--------
>>> t = HouseholdTable.from_rows([{"id": "H1", "parent": "U1", "residents": 3},
...                               {"id": "H2", "parent": "U1"}])
>>> len(t), t.get("H2").residents
(2, 1)
>>> HouseholdTable.from_rows([{"id": "H 1", "parent": "U1", "residents": -1}])
Traceback (most recent call last):
...
gridgov.errors.TableError: households: 2 problem(s):
  - households row 1, column id: [bad-id] must be 1-64 characters without white space
  - households row 1, column residents: [out-of-range] out of range: must be between 0 and 100

Conventions of the problems reported
------------------------------------
Rows are counted from 1, spreadsheet style: ``households row 1`` is the first row (a
document path such as ``posts[0].kind`` is a different thing: a 0-based list index, as in
JSON Pointer). Problem codes are kebab-case (``bad-id``, ``out-of-range``). Every bad cell is
listed in ``.problems``; only the error's message is shortened (``… and N more``).
An integer too large for its column (``10**30`` residents) is ``out-of-range`` with the
range stated, not ``bad-type``. Id cells are normalised to Unicode NFC and refused when they
hold invisible characters or mix look-alike scripts (:mod:`gridgov.org._ids`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar

from pydantic import BaseModel, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from gridgov.errors import Problem, TableError
from gridgov.org._base import GridgovModel
from gridgov.org._ids import id_problem_masks
from gridgov.org.areas import AREA_CLASSES, Area, Household
from gridgov.org.relations import LinkedHousehold
from gridgov.org.vocab import AreaLevel

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import polars as pl

    from gridgov.org._index import AreaIndex
    from gridgov.org._keys import KeyIndex

__all__ = ["AreaTable", "Column", "HouseholdTable", "LinkTable", "Table"]

RowT = TypeVar("RowT", bound=GridgovModel)

_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
_KIND_NAMES = {
    "id": "an id (text)",
    "str": "text",
    "level": "an area level",
    "int": "a whole number",
    "date": "a date (YYYY-MM-DD)",
    "float": "a number",
}


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table: name, type tag and constraints.

    ``kind`` is ``"id"`` (1–64 characters, no white space), ``"str"``, ``"int"``,
    ``"float"``, ``"date"`` or ``"level"`` (an :class:`~gridgov.org.vocab.AreaLevel` code).
    """

    name: str
    kind: str
    required: bool = False
    nullable: bool = True
    low: int | None = None
    high: int | None = None
    default: object = None


def _dtype(kind: str) -> pl.DataType:
    import polars as pl

    return {
        "id": pl.String(),
        "str": pl.String(),
        "level": pl.String(),
        "int": pl.Int32(),
        "float": pl.Float64(),
        "date": pl.Date(),
    }[kind]


class Table(Generic[RowT]):
    """Rows of one model held as a polars frame with a fixed schema; immutable.

    Subclasses set :attr:`name`, :attr:`columns` and :attr:`row_model`, and optionally
    :attr:`key` (the column rows are looked up by). Uniqueness of keys is an integrity
    question answered by :class:`~gridgov.org.Structure`, with every other problem.
    """

    name: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    row_model: ClassVar[type[GridgovModel]]
    key: ClassVar[str | None] = None

    __slots__ = ("_frame", "_index")

    def __init__(self, frame: pl.DataFrame | None = None) -> None:
        """Wrap ``frame`` after validating it; ``None`` gives an empty table."""
        self._frame = self._validate_frame(self._empty() if frame is None else frame)
        self._index: KeyIndex | None = None

    # -- construction -------------------------------------------------------------------
    @classmethod
    def _empty(cls) -> pl.DataFrame:
        import polars as pl

        return pl.DataFrame(schema={c.name: _dtype(c.kind) for c in cls.columns})

    @classmethod
    def from_rows(cls, rows: Sequence[Mapping[str, Any] | BaseModel]) -> Self:
        """Build from row dicts or models, checking every cell."""
        import polars as pl

        known = {c.name for c in cls.columns}
        if all(type(r) is dict for r in rows):  # plain rows (as parsed JSON): nothing to check
            dicts: Sequence[Any] = rows
        else:
            dicts = [r.model_dump() if isinstance(r, BaseModel) else r for r in rows]
            for i, row in enumerate(dicts):
                if not isinstance(row, Mapping):
                    raise TableError(
                        [Problem("bad-row", f"{cls.name} row {i + 1}", "must be a mapping")],
                        table=cls.name,
                    )
        keys = set().union(*dicts) if dicts else set()
        unknown = sorted(str(k) for k in keys - known)
        if unknown:
            raise TableError(
                [
                    Problem("unknown-column", f"{cls.name} column {k}", "not a field")
                    for k in unknown
                ],
                table=cls.name,
            )
        data = {c.name: [row.get(c.name, c.default) for row in dicts] for c in cls.columns}
        try:
            frame = pl.DataFrame(data, strict=False)
        except (TypeError, ValueError, pl.exceptions.PolarsError) as exc:
            raise TableError(
                [Problem("bad-value", cls.name, f"cannot form columns: {exc}")], table=cls.name
            ) from None
        return cls(frame)

    @classmethod
    def from_columns(cls, columns: Mapping[str, Sequence[Any]]) -> Self:
        """Build from a mapping of column name to values."""
        import polars as pl

        try:
            frame = pl.DataFrame(dict(columns), strict=False)
        except (TypeError, ValueError, pl.exceptions.PolarsError) as exc:
            raise TableError(
                [Problem("bad-value", cls.name, f"cannot form columns: {exc}")], table=cls.name
            ) from None
        return cls(frame)

    @classmethod
    def coerce(cls, value: object) -> Self:
        """Accept a table, a polars frame, a mapping of columns or a sequence of rows."""
        import polars as pl

        if isinstance(value, cls):
            return value
        if isinstance(value, pl.DataFrame):
            return cls(value)
        if isinstance(value, Mapping):
            return cls.from_columns(value)
        if isinstance(value, Sequence) and not isinstance(value, str | bytes):
            return cls.from_rows(value)
        raise TableError(
            [
                Problem(
                    "bad-table", cls.name, f"expected rows or columns, got {type(value).__name__}"
                )
            ],
            table=cls.name,
        )

    # -- validation ---------------------------------------------------------------------
    @classmethod
    def _validate_frame(cls, frame: pl.DataFrame) -> pl.DataFrame:
        shape = cls._shape_problems(frame)
        if shape:
            raise TableError(shape, table=cls.name)
        result, problems, _ = cls._check_cells(frame)
        if problems:
            raise TableError(_sorted(problems), table=cls.name)
        return result

    @classmethod
    def _shape_problems(cls, frame: pl.DataFrame) -> list[Problem]:
        where = cls.name
        known = {c.name for c in cls.columns}
        problems = [
            Problem("unknown-column", f"{where} column {name}", "not a field")
            for name in frame.columns
            if name not in known
        ]
        problems.extend(
            Problem("missing-column", f"{where} column {c.name}", "required")
            for c in cls.columns
            if c.required and c.name not in frame.columns
        )
        return problems

    @classmethod
    def _check_cells(cls, frame: pl.DataFrame) -> tuple[pl.DataFrame, list[Problem], pl.Series]:
        """Cast and check every cell of a frame with the right columns.

        Returns the typed frame, a problem per bad cell (every one, rows counted from 1) and
        the mask of rows holding at least one bad cell.
        """
        import polars as pl

        problems: list[Problem] = []
        where = cls.name
        height = frame.height
        missing = [c for c in cls.columns if c.name not in frame.columns]
        frame = frame.with_columns(
            pl.lit(c.default, dtype=_dtype(c.kind)).alias(c.name) for c in missing
        )
        out: dict[str, pl.Series] = {}
        bad_rows = _falses(height)

        def flag(col: Column, mask: pl.Series, code: str, message: str) -> None:
            nonlocal bad_rows
            mask = mask.fill_null(False)
            problems.extend(_cell_problems(where, col, mask, code, message))
            bad_rows = bad_rows | mask

        for col in cls.columns:
            series, bad, huge = _cast(frame.get_column(col.name), col)
            flag(col, bad, "bad-type", f"must be {_KIND_NAMES[col.kind]}")
            if col.kind == "int":
                lo = _INT32_MIN if col.low is None else col.low
                hi = _INT32_MAX if col.high is None else col.high
                flag(col, huge | (series < lo) | (series > hi), "out-of-range",
                     f"out of range: must be between {lo} and {hi}")  # fmt: skip
            if col.kind == "float" and (col.low is not None or col.high is not None):
                low = -math.inf if col.low is None else float(col.low)
                high = math.inf if col.high is None else float(col.high)
                flag(col, ~series.is_finite() | (series < low) | (series > high), "out-of-range",
                     f"out of range: must be between {low:g} and {high:g}")  # fmt: skip
            if not col.nullable:
                flag(col, series.is_null() & ~bad & ~huge, "missing", "required")
            if col.kind == "id":
                series, wrong, masks = _id_cells(series)
                flag(col, wrong, "bad-id", "must be 1-64 characters without white space")
                for mask, message in masks:
                    flag(col, mask & ~wrong.fill_null(False), "bad-id", message)
            if col.kind == "level":
                levels = [lvl.value for lvl in AreaLevel if lvl is not AreaLevel.HOUSEHOLD]
                flag(col, ~series.is_in(levels), "bad-level", f"must be one of {', '.join(levels)}")
            out[col.name] = series
        result = pl.DataFrame(list(out.values()))
        assert result.height == height
        return result, problems, bad_rows

    @classmethod
    def salvage(cls, value: object) -> tuple[Self, set[str]]:
        """The rows of ``value`` that validate, and the keys of the rows that do not.

        Used to check the integrity of everything else when some cells are bad (the bad cells
        are reported as field problems). Rows that are not mappings and unknown columns are
        dropped; a table missing a required column salvages to an empty table.
        """
        import polars as pl

        try:
            return cls.coerce(value), set()
        except TableError:
            pass
        frame: pl.DataFrame | None = None
        if isinstance(value, pl.DataFrame):
            frame = value
        elif isinstance(value, Mapping):
            try:
                frame = pl.DataFrame(dict(value), strict=False)
            except (TypeError, ValueError, pl.exceptions.PolarsError):
                frame = None
        elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
            rows = [r.model_dump() if isinstance(r, BaseModel) else r for r in value]
            rows = [r for r in rows if isinstance(r, Mapping)]
            data = {c.name: [r.get(c.name, c.default) for r in rows] for c in cls.columns}
            try:
                frame = pl.DataFrame(data, strict=False)
            except (TypeError, ValueError, pl.exceptions.PolarsError):
                frame = None
        if frame is None or any(c.required and c.name not in frame.columns for c in cls.columns):
            return cls(), set()
        frame = frame.select(c.name for c in cls.columns if c.name in frame.columns)
        checked, _, bad = cls._check_cells(frame)
        dropped: set[str] = set()
        if cls.key is not None:
            raw = frame.get_column(cls.key).filter(bad)
            if raw.dtype == pl.String:
                dropped = {v for v in raw.str.normalize("NFC").to_list() if v}
        new = object.__new__(cls)
        new._frame = checked.filter(~bad)
        new._index = None
        return new, dropped

    # -- access -------------------------------------------------------------------------
    @property
    def frame(self) -> pl.DataFrame:
        """The rows as a polars frame (do not mutate; polars frames are copy-on-write)."""
        return self._frame

    def __len__(self) -> int:
        return self._frame.height

    def __iter__(self) -> Iterator[RowT]:
        for row in self._frame.iter_rows(named=True):
            yield self._materialise(row)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Table) or type(other) is not type(self):
            return NotImplemented
        return self._frame.equals(other._frame)

    __hash__ = None  # type: ignore[assignment]  # mutable-looking container: unhashable

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} rows)"

    def _materialise(self, row: dict[str, Any]) -> RowT:
        model: Any = self.row_model.model_validate(row)
        return model  # type: ignore[no-any-return]  # row_model is the RowT of the subclass

    def row(self, i: int) -> RowT:
        """Row ``i`` as its pydantic model."""
        return self._materialise(self._frame.row(i, named=True))

    def ids(self) -> list[str]:
        """Values of the key column."""
        if self.key is None:
            raise TypeError(f"{self.name} has no key column")
        values: list[str] = self._frame.get_column(self.key).to_list()
        return values

    @property
    def key_index(self) -> KeyIndex:
        """The sorted index over the key column (built on first use, then kept)."""
        if self._index is None:
            if self.key is None:
                raise TypeError(f"{self.name} has no key column")
            from gridgov.org._keys import KeyIndex

            self._index = KeyIndex(self._frame.get_column(self.key))
        return self._index

    def position(self, key: str) -> int | None:
        """Row number of the (first) row whose key is ``key``, or ``None``.

        Looked up in a sorted hash index (:class:`~gridgov.org._keys.KeyIndex`, 12 B a row),
        not a dict of every key.
        """
        return self.key_index.position(key)

    def get(self, key: str) -> RowT | None:
        """The row whose key is ``key``, or ``None``."""
        i = self.position(key)
        return None if i is None else self.row(i)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.position(key) is not None

    def to_rows(self) -> list[dict[str, Any]]:
        """Rows as plain dicts (dates as :class:`datetime.date`)."""
        return self._frame.to_dicts()

    def filter(self, mask: pl.Series | pl.Expr) -> Self:
        """A table of the rows where ``mask`` holds (already valid: not re-validated)."""
        new = object.__new__(type(self))
        new._frame = self._frame.filter(mask)
        new._index = None
        return new

    # -- pydantic integration -----------------------------------------------------------
    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.coerce,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda t: t.to_rows(), when_used="always"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        row = handler(cls.row_model.__pydantic_core_schema__)
        return {"type": "array", "items": row}


def _cast(series: pl.Series, col: Column) -> tuple[pl.Series, pl.Series, pl.Series]:
    """Cast ``series`` to the column's type.

    Also returns the mask of cells that are not of the type, and (for integers) the mask of
    whole numbers too large for the column's 32-bit storage, which are out of range rather
    than of the wrong type.
    """
    import polars as pl

    target = _dtype(col.kind)
    if isinstance(series.dtype, pl.Enum | pl.Categorical):  # StrEnum members arrive as pl.Enum
        series = series.cast(pl.String)
    was_null = series.is_null()
    huge = _falses(len(series))
    if col.kind == "date" and series.dtype == pl.String:
        cast = series.str.to_date("%Y-%m-%d", strict=False)
    elif col.kind == "date" and series.dtype == pl.Object:
        cast = pl.Series(series.name, [_as_date(v) for v in series], dtype=pl.Date)
    elif col.kind == "date" and isinstance(series.dtype, pl.Datetime):
        cast = series.dt.date()
    elif col.kind == "date" and series.dtype not in {pl.Date, pl.Null}:
        # a number is not a date: cast, polars reads it as days since 1970 and a large one
        # gives a date out of range that panics when read back (fuzz, issue 8)
        cast = pl.Series(series.name, [None] * len(series), dtype=pl.Date)
    elif col.kind in {"id", "str", "level"} and series.dtype not in {pl.String, pl.Null}:
        cast = pl.Series(series.name, [None] * len(series), dtype=pl.String)
    elif col.kind == "int" and series.dtype == pl.Boolean:
        cast = pl.Series(series.name, [None] * len(series), dtype=pl.Int32)
    elif col.kind == "int" and (series.dtype.is_numeric() or series.dtype == pl.String):
        number = series
        if series.dtype == pl.String:
            number = series.str.strip_chars().cast(pl.Float64, strict=False)
        if number.dtype.is_float():
            whole = (number == number.round(0)).fill_null(False) & number.is_finite()
            number = number.scatter((~whole & number.is_not_null()).arg_true(), None)
        huge = ((number < _INT32_MIN) | (number > _INT32_MAX)).fill_null(False)
        cast = number.scatter(huge.arg_true(), None).cast(pl.Int32, strict=False)
    else:
        cast = series.cast(target, strict=False)
    bad = cast.is_null() & ~was_null & ~huge
    return cast.alias(col.name), bad, huge


def _falses(n: int) -> pl.Series:
    """An all-false boolean column of ``n`` rows (built in Rust, not from a Python list)."""
    import polars as pl

    return pl.repeat(False, n, dtype=pl.Boolean, eager=True)


#: An id cell matching this holds something other than printable, non-space ASCII: only
#: such a cell can need NFC normalisation, hold white space or an invisible character, or mix
#: scripts (ASCII letters are all Latin).
_UNUSUAL_ID = r"[^\x21-\x7e]"


def _id_cells(series: pl.Series) -> tuple[pl.Series, pl.Series, list[tuple[pl.Series, str]]]:
    """An id column in NFC, its cells of a wrong length or with white space, its other problems.

    The other problems are the masks of :func:`~gridgov.org._ids.id_problem_masks`. One
    regular-expression pass finds the cells that are not plain printable ASCII (usually
    none); only those are normalised and checked for white space, invisible characters and
    mixed scripts. Every other cell is ASCII, so its length in bytes is its length in
    characters and none of those problems can occur. The result is the one of checking every
    cell the full way (tests/org/test_tables.py compares the two on generated columns).
    """
    unusual = series.str.contains(_UNUSUAL_ID).fill_null(False)
    lengths = series.str.len_bytes()
    wrong = (lengths < 1) | (lengths > 64)
    if not unusual.any():
        falses = _falses(len(series))
        return series, wrong, [(falses, message) for _, message in id_problem_masks(series[:0])]
    rows = unusual.arg_true()
    odd = series.gather(rows).str.normalize("NFC")
    series = series.clone().scatter(rows, odd)
    odd_lengths = odd.str.len_chars()
    odd_wrong = (odd_lengths < 1) | (odd_lengths > 64) | odd.str.contains(r"\s")
    wrong = wrong.clone().scatter(rows, odd_wrong)
    masks = [
        (_falses(len(series)).scatter(rows, mask), message)
        for mask, message in id_problem_masks(odd)
    ]
    return series, wrong, masks


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _cell_problems(
    where: str, col: Column, mask: pl.Series, code: str, message: str
) -> list[Problem]:
    rows = mask.arg_true().to_list()
    return [Problem(code, f"{where} row {r + 1}, column {col.name}", message) for r in rows]


def _sorted(problems: list[Problem]) -> list[Problem]:
    """By location, numbers compared as numbers (row 2 before row 10)."""

    def key(p: Problem) -> list[tuple[int, int | str]]:
        return [(0, int(t)) if t.isdigit() else (1, t) for t in re.split(r"(\d+)", p.location)]

    return sorted(problems, key=key)


class AreaTable(Table[Area]):
    """Areas above the household (district … unit); a row materialises as its level's class."""

    name = "areas"
    key = "id"
    columns = (
        Column("id", "id", required=True, nullable=False),
        Column("level", "level", required=True, nullable=False),
        Column("parent", "id"),
        Column("name", "str", default=""),
        Column("code", "str"),
        Column("start", "date"),
        Column("end", "date"),
    )
    row_model = Area

    def _materialise(self, row: dict[str, Any]) -> Area:
        return AREA_CLASSES[AreaLevel(row["level"])].model_validate(row)


class HouseholdTable(Table[Household]):
    """Households: id, enclosing area, number of residents, period."""

    name = "households"
    key = "id"
    columns = (
        Column("id", "id", required=True, nullable=False),
        Column("parent", "id", required=True, nullable=False),
        Column("residents", "int", nullable=False, low=0, high=100, default=1),
        Column("start", "date"),
        Column("end", "date"),
    )
    row_model = Household

    __slots__ = ("_under",)

    def area_index(self, areas: AreaTable) -> AreaIndex:
        """The dense index of ``areas`` and these households (built once, then kept).

        It depends on the two tables only, and both are immutable, so it is kept here: a
        structure made of the same two tables finds it built (a loader builds it off the
        main thread while the rest of a document is read; a derived structure shares it).
        """
        kept: tuple[AreaTable, AreaIndex] | None = getattr(self, "_under", None)
        if kept is None or kept[0] is not areas:
            from gridgov.org._index import AreaIndex

            kept = (areas, AreaIndex(areas, self))
            self._under = kept
        return kept[1]


class LinkTable(Table[LinkedHousehold]):
    """Linked households (党员联系户): party member, household, period."""

    name = "linked_households"
    columns = (
        Column("member", "id", required=True, nullable=False),
        Column("household", "id", required=True, nullable=False),
        Column("start", "date"),
        Column("end", "date"),
    )
    row_model = LinkedHousehold

    __slots__ = ("_rows_in",)

    def household_rows(self, households: HouseholdTable) -> npt.NDArray[np.int32]:
        """Row of each link's household in ``households`` (``-1`` where absent); kept.

        Looked up once in the households' key index and kept (4 B a link: a table has fewer
        than 2**31 rows), as :meth:`HouseholdTable.area_index` is.
        """
        import numpy as np

        kept: tuple[HouseholdTable, npt.NDArray[np.int32]] | None
        kept = getattr(self, "_rows_in", None)
        if kept is None or kept[0] is not households:
            found = households.key_index.positions(self._frame.get_column("household"))
            kept = (households, found.astype(np.int32))
            self._rows_in = kept
        return kept[1]
