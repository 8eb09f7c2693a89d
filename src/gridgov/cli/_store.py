"""``gridgov cases ingest`` and ``gridgov cases open``: an event log kept in a case store.

Commands::

    gridgov cases ingest LOG [--store URL] [--batch N] [--lang en|zh]
        append LOG's events (validated first) in batches of N, one transaction each; a progress
        bar on standard error when it is a terminal; re-running it adds nothing (idempotent)
    gridgov cases open [--store URL] [--overdue] [--as-of TIME] [--format text|json]
        the cases not yet closed, with the time each is due; exit 1 with --overdue if any is
    gridgov cases rates --store URL ...   (in gridgov.cli._cases) rates from a store

URL is ``sqlite:///path/cases.db`` (or a path) or ``postgresql://…``; without ``--store`` the
store is ``cases.db`` beside LOG (ingest) or ``.gridgov/cases.db`` here (open), see
:func:`gridgov.service.store.default_store_url`.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from gridgov.cli._app import EXIT_PROBLEMS, _dump_json

__all__ = ["ingest", "open_cases", "register", "store_events"]

STORE = click.option(
    "--store",
    "url",
    help="Store URL: sqlite:///path/cases.db (or a path) or postgresql://user@host/db. "
    "Default: cases.db beside LOG (ingest), .gridgov/cases.db here (open).",
)
_LANG = click.Choice(["en", "zh"])


@click.command("ingest")
@click.argument("log", type=click.Path(dir_okay=False, path_type=Path))
@STORE
@click.option("--batch", type=click.IntRange(min=1), default=50_000, show_default=True)
@click.option("--lang", type=_LANG, default="en", show_default=True)
def ingest(*, log: Path, url: str | None, batch: int, lang: str) -> None:
    """Append LOG's events to a case store (validated, idempotent, one transaction per batch).

    Batches already stored are skipped, so an interrupted ingest is finished by running it
    again. A batch the workflow templates refuse stops the ingest with the reason (exit 2);
    the batches before it stay stored.
    """
    from gridgov.service.log import read_events
    from gridgov.service.store import open_store

    events = read_events(log)
    added = skipped = 0
    with (
        open_store(url, near=log if url is None else None) as store,
        click.progressbar(
            length=events.height,
            label="ingest",
            file=sys.stderr,
            hidden=not sys.stderr.isatty(),
            show_eta=True,
        ) as bar,
    ):
        for start in range(0, events.height, batch):
            part = events.slice(start, batch)
            result = store.append(part)
            added += result.added
            skipped += result.duplicates
            bar.update(part.height)
        where = store.url.split("@")[-1]
    if lang == "zh":
        click.echo(f"{where}: 新增 {added} 条事件, {skipped} 条已存在")
    else:
        click.echo(f"{where}: {added} events added, {skipped} already stored")


@click.command("open")
@STORE
@click.option("--overdue", is_flag=True, help="Only cases past their due time; exit 1 if any.")
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]),
    help="Time to judge against (Asia/Shanghai). Default: now.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--lang", type=_LANG, default="en", show_default=True)
def open_cases(
    *, url: str | None, overdue: bool, as_of: dt.datetime | None, fmt: str, lang: str
) -> None:
    """List the open cases of a store with the time each is due to close."""
    from zoneinfo import ZoneInfo

    from gridgov.service.schema import TIMEZONE
    from gridgov.service.store import open_store

    when = None if as_of is None else as_of.replace(tzinfo=ZoneInfo(TIMEZONE))
    with open_store(url) as store:
        table = store.open_cases(as_of=when, overdue=overdue)
    if fmt == "json":
        rows = table.with_columns(
            table.select("opened_at", "due_at").select(
                c.dt.to_string("%Y-%m-%dT%H:%M:%S%z") for c in _cols()
            )
        ).to_dicts()
        click.echo(_dump_json({"overdue_only": overdue, "cases": rows}), nl=False)
    else:
        zh = lang == "zh"
        head = (
            ("案件", "模板", "区域", "状态", "应结时间", "")
            if zh
            else ("case", "template", "area", "state", "due", "")
        )
        lines = ["\t".join(head)]
        for r in table.iter_rows(named=True):
            due = "-" if r["due_at"] is None else r["due_at"].strftime("%Y-%m-%d %H:%M")
            late = ("超期" if zh else "OVERDUE") if r["overdue"] else ""
            lines.append("\t".join((r["case_id"], r["template"], r["area"], r["state"], due, late)))
        n_late = int(table["overdue"].sum())
        lines.append(
            f"{table.height} 件未结, {n_late} 件超期"
            if zh
            else f"{table.height} open case(s), {n_late} overdue"
        )
        click.echo("\n".join(lines))
    if overdue and table.height:
        raise click.exceptions.Exit(EXIT_PROBLEMS)


def _cols() -> list[Any]:
    import polars as pl

    return [pl.col("opened_at"), pl.col("due_at")]


def store_events(url: str) -> Any:
    """Every event of the store at ``url``, for ``gridgov cases rates --store``."""
    from gridgov.service.store import open_store

    with open_store(url) as store:
        return store.events()


def register(group: click.Group) -> None:
    """Add ``ingest`` and ``open`` to the ``gridgov cases`` group."""
    group.add_command(ingest)
    group.add_command(open_cases)
