"""``gridgov assess``: a scheme's scores, grades and red/black lists for a structure.

Command::

    gridgov assess STRUCTURE [--events LOG] [--ratings FILE] [--records FILE]
                             [--scheme NAME|FILE] [--period 2024] [--format text|md|json]
                             [--lang en|zh] [--top N] [--explain SUBJECT]

STRUCTURE is a structure file, or the name of a bundled example (``bozhou``, ``youyi``,
``huanan``): then the example's own events, ratings and credit records are used unless given.
The red and black lists come first, as a short table, then the ranking. Exit status 0 once
the assessment is printed; 2 when an input cannot be read or the scheme does not apply.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from gridgov.cli._app import InputError, _dump_json, _emit
from gridgov.cli._privacy import privacy_options, redact_assessment
from gridgov.cli._ui import say

if TYPE_CHECKING:
    from gridgov.org.privacy import Privacy

__all__ = ["assess"]

_BUNDLED = ("bozhou", "huanan", "youyi")


def _inputs(
    structure: str, events: Path | None, ratings: Path | None, records: Path | None
) -> tuple[Any, Any, Any, Any]:
    import polars as pl

    from gridgov import datasets
    from gridgov.assess import read_ratings
    from gridgov.io import load
    from gridgov.service.log import read_events

    bundled = structure in _BUNDLED and not Path(structure).exists()
    built = datasets.load(structure) if bundled else load(structure)
    log = (
        read_events(events)
        if events is not None
        else datasets.events(structure)
        if bundled
        else None
    )
    if log is None:
        raise InputError("--events LOG is needed for a structure file / 需要 --events 事件日志")
    rated = (
        read_ratings(ratings)
        if ratings is not None
        else datasets.ratings(structure)
        if bundled
        else None
    )
    recs = None
    if records is not None:
        recs = pl.read_csv(records, try_parse_dates=True)
    elif bundled:
        recs = datasets.credit_records(structure)
    return built, log, rated, recs


def run_assessment(  # noqa: PLR0917  # the command's options, in its order
    structure: str,
    events: Path | None,
    ratings: Path | None,
    records: Path | None,
    scheme: str | None,
    period: str | None,
) -> tuple[Any, Any, Any]:
    """Load the inputs (a bundled example's own when not given) and assess; warnings to stderr.

    Returns the structure, the event log and the :class:`~gridgov.assess.Assessment`; a
    :class:`~gridgov.errors.GridgovError` becomes a usage error (exit status 2).
    """
    from gridgov.assess import AssessWarning
    from gridgov.assess import assess as run_assess
    from gridgov.errors import GridgovError

    try:
        built, log, rated, recs = _inputs(structure, events, ratings, records)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", AssessWarning)
            result = run_assess(
                built, log, rated, scheme or _default_scheme(structure), period, records=recs
            )
    except GridgovError as exc:
        raise InputError.of(exc) from None
    for w in caught:
        say(f"gridgov: warning: {w.message}")
    return built, log, result


def _default_scheme(structure: str) -> str:
    return {
        "bozhou": "bozhou_property_redblack",
        "youyi": "youyi_grid_service",
        "huanan": "huanan_grid_service",
    }.get(structure, "bozhou_property_redblack")


def _lists_text(result: Any, lang: str) -> str:
    zh = lang == "zh"
    lines: list[str] = []
    for name, label in (("red", ("red list", "红榜")), ("black", ("black list", "黑榜"))):
        members = result.members(name)
        lines.append(f"{label[1] if zh else label[0]} ({len(members)})")
        for sid in members:
            row = result._row(sid)
            lines.append(
                f"  {row['rank']:>4}  {sid:<12} {row['name']}  {row['score']:.1f}  {row['grade']}"
            )
    return "\n".join(lines)


def _ranking_text(result: Any, lang: str, top: int) -> str:
    zh = lang == "zh"
    cols = [i.id for i in result.indicators]
    names = [i.name("zh" if zh else "en") for i in result.indicators]
    lines = [
        "排名" if zh else "ranking",
        "  rank  subject      " + "  ".join(names) + "  score  grade",
    ]
    for r in result.to_frame().sort("rank").head(top).iter_rows(named=True):
        vals = "  ".join("—" if r[c] is None else f"{r[c]:.3g}" for c in cols)
        lines.append(f"  {r['rank']:>4}  {r['subject']:<12} {vals}  {r['score']:.1f}  {r['grade']}")
    return "\n".join(lines)


@click.command("assess")
@click.argument("structure")
@click.option(
    "--events",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Event log (Parquet, CSV or NDJSON).",
)
@click.option(
    "--ratings",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Questionnaire file (CSV or XLSX).",
)
@click.option(
    "--records", type=click.Path(dir_okay=False, path_type=Path), help="Credit records (CSV)."
)
@click.option(
    "--scheme", default=None, help="A shipped scheme (gridgov.assess.schemes()) or a .toml file."
)
@click.option("--period", default=None, help="A year such as 2024 (default: the whole log).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True
)
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@click.option(
    "--top", type=click.IntRange(min=1), default=20, show_default=True, help="Rows of the ranking."
)
@click.option("--explain", "explain", default=None, help="Also explain this subject.")
@click.option("--output", "-o", default=None, help="Write to this file instead of printing.")
@privacy_options("assess")
def assess(
    *,
    structure: str,
    events: Path | None,
    ratings: Path | None,
    records: Path | None,
    scheme: str | None,
    period: str | None,
    fmt: str,
    lang: str,
    top: int,
    explain: str | None,
    output: str | None,
    privacy: Privacy,
) -> None:
    """Assess STRUCTURE under a scheme: scores, ranks, credit grades, red and black lists."""
    from gridgov.errors import GridgovError, PrivacyError

    _, _, result = run_assessment(structure, events, ratings, records, scheme, period)
    redacted = redact_assessment(result, privacy)
    if redacted is not result and explain:
        raise PrivacyError(
            "--explain names one person's evidence: not at --privacy research / "
            "research 级别不可解释单个人员"
        )
    result = redacted
    try:
        text_explain = result.explain(explain, lang) if explain else None
    except GridgovError as exc:
        raise InputError.of(exc) from None
    if fmt == "json":
        doc = result.to_dict()
        if text_explain is not None:
            doc["explanation"] = text_explain
        _emit(_dump_json(doc), output)
        return
    if fmt == "md":
        text = result.to_markdown(lang, top=top)
    else:
        title = result.scheme.label_zh if lang == "zh" else result.scheme.label_en
        parts = [title]
        if result.credit is not None:
            parts.append(_lists_text(result, lang))
        parts.append(_ranking_text(result, lang, top))
        text = "\n\n".join(parts) + "\n"
    if text_explain is not None:
        text += "\n" + text_explain + "\n"
    _emit(text, output)
