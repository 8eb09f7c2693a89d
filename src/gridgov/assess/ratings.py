"""Ratings: typed records of who rated which subject, when, with scores per item.

A ratings table is a polars frame in long form with :data:`RATING_COLUMNS`: ``rater_group``
(e.g. ``residents``), ``rater_id``, ``subject``, ``date``, ``item`` and ``score`` (a float;
a missing answer is null and is dropped, never scored as 0). :class:`Rating` is one record
as a pydantic model. :func:`read_ratings` loads a questionnaire file — CSV (UTF-8 or GB 18030)
or XLSX — with one row per returned questionnaire and one column per item, through the same
safe readers as the ledger import (:mod:`gridgov.io.safety`: size bound, no formulas), and
reports *every* bad cell by row and column at once.

Examples
--------
>>> frame = validate_ratings({"rater_group": ["residents"], "rater_id": ["r1"],
...     "subject": ["O-PM001"], "date": ["2024-12-01"], "item": ["overall"], "score": [88]})
>>> frame.get_column("score").to_list()
[88.0]
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from pydantic import BaseModel, ConfigDict, Field

from gridgov.errors import DataFileError, LedgerError, Problem

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

__all__ = ["ID_COLUMNS", "RATING_COLUMNS", "Rating", "read_ratings", "validate_ratings"]

#: Columns of a ratings table, in order.
RATING_COLUMNS: Final = ("rater_group", "rater_id", "subject", "date", "item", "score")
#: Columns of a questionnaire file other than the item columns.
ID_COLUMNS: Final = ("rater_group", "rater_id", "subject", "date")


class Rating(BaseModel):
    """One questionnaire: a rater of a group rated a subject on a date, item by item.

    Examples
    --------
    >>> r = Rating(rater_group="owners_committee", rater_id="OC-1", subject="O-PM001",
    ...            date=dt.date(2024, 12, 1), scores={"overall": 92.0})
    >>> r.scores["overall"]
    92.0
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    rater_group: str = Field(min_length=1)
    rater_id: str = Field(min_length=1)
    subject: str = Field(min_length=1)
    date: dt.date
    scores: dict[str, float | None]


def _schema() -> dict[str, Any]:
    import polars as pl

    return {
        "rater_group": pl.String,
        "rater_id": pl.String,
        "subject": pl.String,
        "date": pl.Date,
        "item": pl.String,
        "score": pl.Float64,
    }


def validate_ratings(
    ratings: pl.DataFrame | Mapping[str, Any] | Sequence[Rating], *, source: str = "<ratings>"
) -> pl.DataFrame:
    """A ratings table with the documented columns and types, or every problem at once.

    Accepts a frame or mapping of columns (``date`` as dates or ISO strings) or a sequence of
    :class:`Rating`. Null scores (no answer) are dropped.

    Raises
    ------
    LedgerError
        Missing columns, empty ids, unparseable dates, non-finite or negative scores, a rater
        rating the same subject and item twice on one date — naming the rows.
    """
    import polars as pl

    if isinstance(ratings, list | tuple) and (not ratings or isinstance(ratings[0], Rating)):
        rows = [
            (r.rater_group, r.rater_id, r.subject, r.date, item, score)
            for r in ratings
            if isinstance(r, Rating)
            for item, score in r.scores.items()
        ]
        frame = pl.DataFrame(rows, schema=_schema(), orient="row")
    else:
        frame = ratings if isinstance(ratings, pl.DataFrame) else pl.DataFrame(dict(ratings))  # type: ignore[arg-type]
    missing = [c for c in RATING_COLUMNS if c not in frame.columns]
    if missing:
        raise LedgerError(
            [Problem("missing-column", source, f"missing column(s) {', '.join(missing)} / 缺少列")],
            source=source,
        )
    frame = frame.select(RATING_COLUMNS).with_row_index("_row", offset=1)
    problems: list[Problem] = []
    if frame.schema["date"] != pl.Date:
        parsed = frame.get_column("date").cast(pl.String).str.to_date(strict=False)
        bad = frame.filter(parsed.is_null() & frame.get_column("date").is_not_null())
        problems += [
            Problem(
                "bad-date", f"{source}:{r}:date", f"{v!r} is not a date (YYYY-MM-DD) / 日期格式错误"
            )
            for r, v in bad.select("_row", "date").iter_rows()
        ]
        frame = frame.with_columns(date=parsed)
    score = frame.get_column("score").cast(pl.Float64, strict=False)
    bad_score = frame.filter(
        (score.is_null() & frame.get_column("score").is_not_null())
        | score.is_nan()
        | score.is_infinite()
        | (score < 0)
    )
    problems += [
        Problem(
            "bad-score",
            f"{source}:{r}:score",
            f"{v!r} is not a non-negative number / 评分应为非负数",
        )
        for r, v in bad_score.select("_row", "score").iter_rows()
    ]
    frame = frame.with_columns(score=score)
    for col in ("rater_group", "rater_id", "subject", "item"):
        empty = frame.filter(pl.col(col).cast(pl.String).str.strip_chars().fill_null("") == "")
        problems += [
            Problem("empty-id", f"{source}:{r}:{col}", f"{col} is empty / {col}为空")
            for r in empty.get_column("_row").to_list()
        ]
    dup = frame.filter(
        pl.struct("rater_group", "rater_id", "subject", "item", "date").is_duplicated()
    )
    problems += [
        Problem("duplicate", f"{source}:{r}", f"rater {g}/{i} rated {s} on {it!r} twice / 重复评分")
        for r, g, i, s, it in dup.select(
            "_row", "rater_group", "rater_id", "subject", "item"
        ).iter_rows()
    ]
    if problems:
        raise LedgerError(problems, source=source)
    return frame.drop("_row").cast(_schema()).filter(pl.col("score").is_not_null())  # type: ignore[arg-type]


def _rows(path: Path, sheet: str | None, max_bytes: int) -> list[tuple[Any, ...]]:
    from gridgov.io.safety import read_bounded, read_xlsx_rows

    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx_rows(path, sheet=sheet, max_bytes=max_bytes)
    if suffix == ".csv":
        raw = read_bounded(path, max_bytes)
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes almost anything
            raise DataFileError(f"{path}: neither UTF-8 nor GB 18030 text")
        try:
            return [tuple(r) for r in csv.reader(io.StringIO(text, newline=""))]
        except csv.Error as exc:
            raise DataFileError(f"{path}: not a readable CSV file: {exc}") from exc
    raise DataFileError(
        f"{path}: a questionnaire file is .csv or .xlsx, not {suffix or 'no suffix'!r}"
    )


def read_ratings(
    path: str | os.PathLike[str], *, sheet: str | None = None, max_bytes: int = 512 * 2**20
) -> pl.DataFrame:
    """Read a questionnaire file into a ratings table (long form, :data:`RATING_COLUMNS`).

    The header row has :data:`ID_COLUMNS` (any order) and one column per item; a blank item
    cell is "no answer". A long-form file (with ``item`` and ``score`` columns) is read as is.

    Raises
    ------
    LedgerError
        Every bad cell, by file, row and column; nothing is returned.
    UnsafeInputError
        A workbook with formulas, or a file too large.
    DataFileError
        A file that is not CSV/XLSX or cannot be read.
    """
    import polars as pl

    p = Path(path)
    rows = _rows(p, sheet, max_bytes)
    if not rows:
        raise DataFileError(f"{p}: empty questionnaire file / 问卷文件为空")
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    missing = [c for c in ID_COLUMNS if c not in header]
    if missing:
        raise LedgerError(
            [
                Problem(
                    "missing-column",
                    f"{p.name}:1",
                    f"missing column(s) {', '.join(missing)} / 缺少列",
                )
            ],
            source=str(p),
        )
    body = [list(r) + [None] * (len(header) - len(r)) for r in rows[1:]]
    columns = {h: [r[k] for r in body] for k, h in enumerate(header) if h}
    as_text = {
        h: [None if v is None or str(v).strip() == "" else str(v).strip() for v in vs]
        for h, vs in columns.items()
    }
    wide = pl.DataFrame(as_text, schema=dict.fromkeys(as_text, pl.String)).with_row_index(
        "_line", offset=2
    )
    if "item" in header and "score" in header:
        long = wide
    else:
        items = [h for h in as_text if h not in ID_COLUMNS]
        long = wide.unpivot(
            index=["_line", *ID_COLUMNS], on=items, variable_name="item", value_name="score"
        )
        long = long.filter(pl.col("score").is_not_null())
    try:
        return validate_ratings(long.drop("_line"), source=p.name)
    except LedgerError as exc:
        # the rows named are positions in the long table; name the file lines instead
        lines = long.get_column("_line").to_list()
        fixed = []
        for pr in exc.problems:
            parts = pr.location.split(":")
            if len(parts) >= 2 and parts[1].isdigit():
                parts[1] = str(lines[int(parts[1]) - 1])
            fixed.append(Problem(pr.code, ":".join(parts), pr.message))
        raise LedgerError(fixed, source=str(p)) from None
