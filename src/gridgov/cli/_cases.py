"""``gridgov cases``: check an event log against its workflow templates, and compute its rates.

Commands::

    gridgov cases check LOG [--template T ...] [--format text|json] [--lang en|zh]
        exit 0 every case conforms, 1 deviations found, 2 the log cannot be read or is invalid
    gridgov cases rates LOG|--store URL [--by grid] [--period 2024-06] [--structure PATH]
                            [--template T ...] [--format text|json] [--lang en|zh]

LOG is a Parquet, CSV or NDJSON file with the event-log columns (:mod:`gridgov.service.schema`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from gridgov.cli._app import EXIT_PROBLEMS, _dump_json
from gridgov.cli._privacy import privacy_options, suppress_rate_table

if TYPE_CHECKING:
    from gridgov.org.privacy import Privacy

__all__ = ["cases"]

_LANG = click.Choice(["en", "zh"])
_FORMAT = click.Choice(["text", "json"])

#: Rate columns of ``gridgov cases rates``: (column, English header, Chinese header).
RATE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("filed", "filed", "立案数"),
    ("due", "due", "应结案数"),
    ("closing_rate", "closed %", "结案率"),
    ("on_time_closing_rate", "on time %", "按期结案率"),
    ("rework_rate", "rework %", "返工率"),
    ("timely_dispatch_rate", "timely dispatch %", "及时派遣率"),
    ("response_rate", "response %", "响应率"),
    ("resolution_rate", "resolution %", "解决率"),
    ("satisfaction_rate", "satisfaction %", "满意率"),
)


@click.group()
def cases() -> None:
    """Service cases (四单, 吹哨报到, 12345, urban management): conformance and rates."""


_TEMPLATE = click.option(
    "--template",
    "templates",
    multiple=True,
    help="A template name (four_lists, four_lists:huanan…) or file; repeat for several. "
    "Default: the shipped templates the log names.",
)


@cases.command("check")
@click.argument("log", type=click.Path(dir_okay=False, path_type=Path))
@_TEMPLATE
@click.option("--format", "fmt", type=_FORMAT, default="text", show_default=True)
@click.option("--lang", type=_LANG, default="en", show_default=True)
def check(*, log: Path, templates: tuple[str, ...], fmt: str, lang: str) -> None:
    """Replay LOG against its workflow templates; print every deviation.

    Exit status 0 when every case conforms, 1 when deviations are found, 2 when LOG cannot be
    read or fails validation.
    """
    from gridgov.service.conformance import conformance
    from gridgov.service.log import read_events

    events = read_events(log)
    found = conformance(events, _templates(templates))
    n_cases = events.get_column("case_id").n_unique()
    if fmt == "json":
        click.echo(
            _dump_json(
                {
                    "log": str(log),
                    "events": events.height,
                    "cases": n_cases,
                    "conforms": found.height == 0,
                    "deviations": found.to_dicts(),
                }
            ),
            nl=False,
        )
    else:
        message = "message_zh" if lang == "zh" else "message"
        for r in found.iter_rows(named=True):
            click.echo(f"{log}:{r['row']}: case {r['case_id']}: [{r['code']}] {r[message]}")
        deviating = found.get_column("case_id").n_unique()
        if lang == "zh":
            click.echo(
                f"{n_cases} 件案件、{events.height} 条事件；{deviating} 件不合流程，"
                f"偏差 {found.height} 处"
            )
        else:
            click.echo(
                f"{n_cases} cases, {events.height} events; {deviating} deviate, "
                f"{found.height} deviation(s)"
            )
    if found.height:
        raise click.exceptions.Exit(EXIT_PROBLEMS)


@cases.command("rates")
@click.argument("log", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option("--store", "store", help="Read the events from this case store instead of LOG.")
@click.option(
    "--by",
    help="Group by: area, grid, community, street (need --structure), target, department, "
    "company. Default: the whole log.",
)
@click.option(
    "--period",
    default="month",
    show_default=True,
    help="month, quarter, year or all; or one period such as 2024-06, 2024-Q2, 2024.",
)
@click.option(
    "--structure",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The structure file, to roll areas up to grids, communities or streets.",
)
@_TEMPLATE
@click.option("--format", "fmt", type=_FORMAT, default="text", show_default=True)
@click.option("--lang", type=_LANG, default="en", show_default=True)
@privacy_options("cases rates")
def rates(
    *,
    log: Path | None,
    store: str | None,
    by: str | None,
    period: str,
    structure: Path | None,
    templates: tuple[str, ...],
    fmt: str,
    lang: str,
    privacy: Privacy,
) -> None:
    """Compute LOG's rates (立案数, 结案率, 按期结案率, 12345 三率 …) per group and period."""
    from gridgov.service.case_table import cases as case_table
    from gridgov.service.log import read_events

    struct = None
    if structure is not None:
        from gridgov.io import load

        struct = load(structure)
    if (log is None) == (store is None):
        raise click.UsageError("give LOG or --store URL (one of them)")
    if log is None:
        from gridgov.cli._store import store_events

        events = store_events(str(store))
    else:
        events = read_events(log, struct)
    table = case_table(events, _templates(templates))
    wide = rate_table(table, by=by, period=period, structure=struct)
    if privacy.level == "public":
        wide = suppress_rate_table(wide, [*([] if by is None else [by]), "period"], privacy.k)
    public = privacy.level == "public"
    if fmt == "json":
        doc = {"log": str(log or store), "by": by, "period": period, "rows": wide.to_dicts()}
        doc |= {"privacy": privacy.level, "suppressed_below": privacy.k if public else None}
        click.echo(_dump_json(doc), nl=False)
        return
    mark = f"{'＜' if lang == 'zh' else '<'}{privacy.k}" if public else ""
    click.echo(render(wide, by, lang, mark))


def rate_table(table: Any, *, by: str | None, period: str, structure: Any) -> Any:
    """Every rate of ``gridgov cases rates`` in one frame: the group, ``period``, the rates."""
    import polars as pl

    from gridgov.service import rates as r

    kw = {"by": by, "period": period, "structure": structure}
    keys = [*([] if by is None else [by]), "period"]
    parts: list[pl.DataFrame] = [
        r.filed_count(table, **kw).rename({"count": "filed"}),
        r.due_count(table, **kw).rename({"count": "due"}),
    ]
    for column, _, _ in RATE_COLUMNS[2:]:
        frame = getattr(r, column)(table, **kw)
        parts.append(frame.select(*keys, pl.col("rate").alias(column)))
    out = parts[0]
    for p in parts[1:]:
        out = out.join(p, on=keys, how="full", coalesce=True, nulls_equal=True)
    return out.sort(*keys, nulls_last=True).select(*keys, *(c for c, _, _ in RATE_COLUMNS))


def render(wide: Any, by: str | None, lang: str, mark: str = "") -> str:
    """The rate table as aligned text; rates in percent with two decimals.

    ``mark`` prints a suppressed count (``<5`` at ``--privacy public``); a hidden rate is ``-``.
    """
    keys = [*([] if by is None else [by]), "period"]
    zh = lang == "zh"
    head = [("period" if not zh else "周期") if k == "period" else k for k in keys]
    head += [(h_zh if zh else h_en) for _, h_en, h_zh in RATE_COLUMNS]
    rows = []
    for rec in wide.iter_rows(named=True):
        cells = [str(rec[k]) if rec[k] is not None else "-" for k in keys]
        for column, _, _ in RATE_COLUMNS:
            v = rec[column]
            if v is None:
                cells.append(mark if mark and column in ("filed", "due") else "-")
            elif column in ("filed", "due"):
                cells.append(str(v))
            else:
                cells.append(f"{100 * v:.2f}")
        rows.append(cells)
    widths = [max(_width(x) for x in col) for col in zip(head, *rows, strict=False)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)) for r in [head, *rows]]
    if not rows:
        lines.append("(no cases)" if not zh else "(无案件)")
    return "\n".join(lines)


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _templates(names: tuple[str, ...]) -> list[str] | None:
    return list(names) or None
