"""The click application behind ``gridgov`` (see :mod:`gridgov.cli` for the commands)."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import click
from pydantic import ValidationError

from gridgov.errors import DataFileError, GridgovError, LedgerError, Problem, StructureError

__all__ = ["EXIT_INPUT", "EXIT_OK", "EXIT_PROBLEMS", "cli", "run"]

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_INPUT = 2
#: Above this many households, ``synth`` writes the tables beside the main file as Parquet.
SYNTH_TABLES_THRESHOLD = 100_000
_DEBUG_ENV = "GRIDGOV_DEBUG"

_LANG = click.Choice(["en", "zh"])
_FORMAT_TEXT_JSON = click.Choice(["text", "json"])
_FORMAT_REPORT = click.Choice(["text", "md", "json", "html"])


class InputError(click.ClickException):
    """An error in the user's input: one line, then every reason it carries; exit status 2."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, reasons: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.reasons = list(reasons)

    @classmethod
    def of(cls, exc: BaseException) -> InputError:
        """The input error for a library error: its first line, then each of its reasons."""
        return cls(one_line(exc), reasons(exc))

    def show(self, file: IO[Any] | None = None) -> None:
        """Print ``gridgov: error: <message>`` and ``  - <reason>`` lines on standard error."""
        click.echo(f"gridgov: error: {self.message}", err=True)
        for reason in self.reasons:
            click.echo(f"  - {reason}", err=True)


def one_line(exc: BaseException) -> str:
    """A one-line description of an error, for the command line."""
    if isinstance(exc, ValidationError):
        return f"invalid {exc.title}, {exc.error_count()} problem(s):"
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    if isinstance(exc, OSError) and not isinstance(exc, GridgovError):
        name = f"{exc.filename}: " if exc.filename else ""
        return f"{name}{exc.strerror or first}"
    return first


def reasons(exc: BaseException) -> list[str]:
    """Every reason an error gives beyond its first line (``.problems``, or its other lines).

    A rejected profile, structure or ledger names each problem; the command line prints them
    all, one per line, under the error's first line.
    """
    if isinstance(exc, ValidationError):
        return [
            f"{'.'.join(str(x) for x in e['loc']) or 'value'}: {e['msg']}"
            for e in exc.errors(include_url=False, include_input=False)
        ]
    problems = getattr(exc, "problems", None)
    if isinstance(problems, tuple | list) and problems:
        return [str(p) for p in problems]
    lines = str(exc).strip().splitlines()[1:]
    return [line.strip().removeprefix("- ") for line in lines if line.strip()]


class _Group(click.Group):
    """Turns gridgov's input errors into one line and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # click's own handling of a closed pipe applies
            raise
        except (GridgovError, OSError, ValidationError) as exc:
            if os.environ.get(_DEBUG_ENV):
                raise
            raise InputError.of(exc) from exc


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gridgov", prog_name="gridgov")
def cli() -> None:
    """gridgov: party-led grid governance structures (党建引领网格化治理).

    Exit status: 0 success (validate: valid), 1 problems found, 2 usage error or input that
    cannot be read.
    """


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status (what :func:`gridgov.cli.main` exits with).

    A closed pipe (``gridgov demo | head``) is handled by click, which exits with status 1.
    """
    try:
        status = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="gridgov",
            standalone_mode=False,
        )
    except click.ClickException as exc:
        exc.show()
        return int(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("gridgov: interrupted", err=True)
        return 130
    return status if isinstance(status, int) else EXIT_OK


def _emit(text: str, output: str | None) -> None:
    """Print ``text``, or write it atomically to ``output``."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    from gridgov.io._atomic import atomic_write

    atomic_write(output, lambda fh: fh.write(text.encode("utf-8")))
    click.echo(f"wrote {output}", err=True)


class Progress:
    """A one-line progress bar on standard error, drawn only when it is a terminal.

    ``step(label)`` moves to the next of ``total`` stages; the line is erased at the end, so
    nothing of it stays in the output. When standard error is not a terminal (a pipe, a file,
    CI) nothing at all is written.

    Examples
    --------
    >>> import io
    >>> with Progress(["loading", "checking"], stream=io.StringIO()) as bar:  # not a terminal
    ...     bar.step("loading")
    """

    _WIDTH = 24

    def __init__(self, stages: Sequence[str], *, stream: IO[str] | None = None) -> None:
        self.total = len(stages)
        self.done = -1
        self.started = time.perf_counter()
        out = sys.stderr if stream is None else stream
        self.stream: IO[str] | None = out if _is_terminal(out) else None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.stream is not None and self.done >= 0:
            self.stream.write("\r\x1b[2K")  # erase the line
            self.stream.flush()

    def step(self, label: str) -> None:
        """Show that stage ``label`` (the next one) has started."""
        self.done += 1
        if self.stream is None:
            return
        filled = self._WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (self._WIDTH - filled)
        seconds = time.perf_counter() - self.started
        self.stream.write(
            f"\r\x1b[2Kgridgov [{bar}] {self.done + 1}/{self.total} {label} ({seconds:.1f} s)"
        )
        self.stream.flush()


@contextlib.contextmanager
def _bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while a structure is loaded and checked.

    A million-household structure is millions of new objects, none of them garbage; with the
    collector on, its passes over them cost about a quarter of the load (measured on the
    synthetic city). Afterwards the objects are handed to the oldest generation in one step
    (``freeze`` then ``unfreeze``), so the young generations do not scan them either.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


def _dump_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def _problem_dict(p: Problem) -> dict[str, str]:
    return {"code": p.code, "location": p.location, "message": p.message}


# -- validate -----------------------------------------------------------------------------
@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--ledger",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also check a CSV/XLSX household ledger (台账) against the structure.",
)
@click.option("--profile", help="Also run this profile's rules (a shipped name or a file).")
@click.option(
    "--strict", is_flag=True, help="With --profile, count warnings as problems (not only errors)."
)
@click.option("--format", "fmt", type=_FORMAT_TEXT_JSON, default="text", show_default=True)
@click.option("--lang", type=_LANG, default="en", show_default=True)
def validate(
    *, path: Path, ledger: Path | None, profile: str | None, strict: bool, fmt: str, lang: str
) -> None:
    """Check that PATH is a valid structure; print each problem on one line.

    Exit status 0 when valid, 1 when problems are found, 2 when PATH (or the ledger) cannot be
    read at all. An empty structure (``{}``: no areas, households, organisations, people…)
    is valid, so it exits 0, but the output says it is empty (JSON: ``"empty": true``): an
    empty file is a legitimate start, and a script that needs content checks that flag.
    """
    from gridgov.io import import_ledger, load

    result: dict[str, Any] = {"path": str(path), "valid": False, "problems": [], "findings": []}
    stages = ["loading and checking", *(["ledger"] * bool(ledger)), *(["rules"] * bool(profile))]
    findings: list[Any] = []
    with Progress(stages) as bar, _bulk():
        try:
            bar.step("loading and checking")
            structure = load(path)
            if ledger is not None:
                bar.step("ledger")
                result["ledger"] = str(ledger)
                import_ledger(structure, ledger)
            if profile is not None:
                bar.step("rules")
                findings = structure.check(profile)
        except (StructureError, LedgerError, DataFileError) as exc:
            failure: StructureError | LedgerError | DataFileError | None = exc
        else:
            failure = None
    if isinstance(failure, StructureError | LedgerError):
        result["problems"] = [_problem_dict(p) for p in failure.problems]
        _validate_out(result, fmt, lang, failure)
        raise click.exceptions.Exit(EXIT_PROBLEMS) from None
    if failure is not None:
        if fmt == "json":
            unreadable = {
                "readable": False,
                "error": one_line(failure),
                "reasons": reasons(failure),
            }
            click.echo(_dump_json({**result, **unreadable}), nl=False)
        raise InputError.of(failure) from failure
    failing = {"error", "warning"} if strict else {"error"}
    result["findings"] = [
        {**f.model_dump(include={"rule", "severity", "subject", "message", "message_zh"})}
        for f in findings
    ]
    bad = [f for f in findings if f.severity in failing]
    result["valid"] = not bad
    result["summary"] = {"households": len(structure.households), "areas": len(structure.areas)}
    result["empty"] = _is_empty(structure)
    _validate_out(result, fmt, lang, None, findings)
    if bad:
        raise click.exceptions.Exit(EXIT_PROBLEMS)


def _validate_out(
    result: dict[str, Any],
    fmt: str,
    lang: str,
    error: StructureError | LedgerError | None,
    findings: Sequence[Any] = (),
) -> None:
    if fmt == "json":
        click.echo(_dump_json({**result, "readable": True}), nl=False)
        return
    zh = lang == "zh"
    if error is not None:
        for p in error.problems:
            click.echo(str(p))
        what = result.get("ledger") if isinstance(error, LedgerError) else result["path"]
        n = len(error.problems)
        click.echo(f"{what}：发现 {n} 个问题" if zh else f"{what}: {n} problem(s) found", err=True)
        return
    for f in findings:
        click.echo(f.text(lang))
    summary = result["summary"]
    households, areas = f"{summary['households']:,}", f"{summary['areas']:,}"
    if result["valid"]:
        if result.get("empty"):
            text = (
                f"{result['path']}：有效，但是空的：没有任何区域、住户、组织或人员"
                if zh
                else f"{result['path']}: valid but EMPTY: no areas, households, organisations "
                "or people"
            )
        else:
            text = (
                f"{result['path']}：有效（区域 {areas} 个，住户 {households} 户）"
                if zh
                else f"{result['path']}: valid ({areas} areas, {households} households)"
            )
        if "ledger" in result:
            text += (
                f"；台账 {result['ledger']} 可导入"
                if zh
                else f"; ledger {result['ledger']} imports"
            )
        click.echo(text)
    else:
        bad = sum(1 for f in result["findings"] if f["severity"] != "info")
        click.echo(
            f"{result['path']}：规则检查发现 {bad} 个问题"
            if zh
            else f"{result['path']}: {bad} rule finding(s) at failing severity",
            err=True,
        )


def _is_empty(structure: Any) -> bool:
    """Whether every collection of a structure (areas, households, people …) is empty."""
    sizes = [
        len(value)
        for name in type(structure).model_fields
        if hasattr(value := getattr(structure, name), "__len__") and not isinstance(value, str)
    ]
    return not any(sizes)


# -- report and demo ----------------------------------------------------------------------
_ALL_ROWS = click.option("--all", "all_rows", is_flag=True, help="Print every row of long tables.")


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--profile", default="default", show_default=True, help="Profile whose rules run.")
@click.option("--format", "fmt", type=_FORMAT_REPORT, default="text", show_default=True)
@click.option("--lang", type=_LANG, default="en", show_default=True)
@_ALL_ROWS
@click.option("-o", "--output", help="Write the report to this file instead of printing it.")
@click.option(
    "--events",
    type=click.Path(dir_okay=False, path_type=Path),
    help="An event log of the structure's cases (Parquet, CSV or NDJSON); the report then "
    "holds its monthly rates for the year of the report's day.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    help="Exit 1 when a rule finding at or above this severity exists (default: exit 0 "
    "whatever the findings).",
)
@click.option(
    "--scheme",
    help="Also assess under this scheme (gridgov.assess.schemes() or a .toml file): red and "
    "black lists and the ranking. PATH may then be a bundled example (bozhou, youyi, huanan), "
    "whose own events, ratings and credit records are used unless given.",
)
@click.option(
    "--ratings",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Questionnaire file for --scheme (CSV or XLSX).",
)
@click.option(
    "--records",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Credit records for --scheme (CSV).",
)
def report(
    *,
    path: Path,
    profile: str,
    fmt: str,
    lang: str,
    all_rows: bool,
    output: str | None,
    events: Path | None,
    fail_on: str | None,
    scheme: str | None,
    ratings: Path | None,
    records: Path | None,
) -> None:
    """Print the report on the structure in PATH: rules, roll-ups, cross-appointments, coverage.

    --format html writes one self-contained page with charts (no network needed to open it).
    With --scheme the report also holds an assessment (see gridgov assess).
    Exit status 0 once the report is printed, whatever it finds, unless --fail-on is given:
    then 1 when a finding at or above that severity exists (the report is printed first).
    """
    from gridgov.io import load
    from gridgov.report import build_report, render

    with Progress(["loading and checking", "rules and roll-ups", "rendering"]) as bar, _bulk():
        bar.step("loading and checking")
        assessment = None
        if scheme is not None:
            from gridgov.cli._assess import run_assessment

            structure, log, assessment = run_assessment(
                str(path), events, ratings, records, scheme, None
            )
        else:
            structure = load(path)
            log = None
            if events is not None:
                from gridgov.service import read_events

                log = read_events(events, structure)
        bar.step("rules and roll-ups")
        built = build_report(structure, profile, events=log, assessment=assessment)
        bar.step("rendering")
        text = render(built, fmt, lang, max_rows=None if all_rows else 25)  # type: ignore[arg-type]
    _emit(text, output)
    if fail_on is not None:
        counts = built.counts_by_severity()
        failing = sum(counts[s] for s in (("error",) if fail_on == "error" else _AT_LEAST_WARNING))
        if failing:
            click.echo(
                f"{path}：{failing} 个发现达到 {fail_on} 级别"
                if lang == "zh"
                else f"{path}: {failing} finding(s) at or above {fail_on}",
                err=True,
            )
            raise click.exceptions.Exit(EXIT_PROBLEMS)


_AT_LEAST_WARNING = ("error", "warning")


@cli.command()
@click.option(
    "--lang",
    type=click.Choice(["en", "zh", "both"]),
    default="both",
    show_default=True,
    help="Language of the report; 'both' prints English then Chinese.",
)
@click.option("--format", "fmt", type=_FORMAT_REPORT, default="text", show_default=True)
@_ALL_ROWS
def demo(lang: str, fmt: str, all_rows: bool) -> None:
    """Print the report on the bundled youyi example (友谊县, synthetic) under its profile."""
    from gridgov.datasets import load as load_dataset
    from gridgov.report import build_report, render

    built = build_report(load_dataset("youyi"), "youyi")
    max_rows = None if all_rows else 25
    if fmt == "json":
        click.echo(render(built, "json"), nl=False)
        return
    langs = ["en", "zh"] if lang == "both" else [lang]
    texts = [render(built, fmt, code, max_rows=max_rows) for code in langs]  # type: ignore[arg-type]
    click.echo("\n".join(texts), nl=False)


# -- schema -------------------------------------------------------------------------------
@cli.command()
@click.option("-o", "--output", help="Write the schema to this file instead of printing it.")
def schema(output: str | None) -> None:
    """Print the JSON Schema of a structure file."""
    from gridgov.io import structure_schema

    _emit(_dump_json(structure_schema()), output)


# -- synth --------------------------------------------------------------------------------
@cli.command()
@click.option("--households", type=click.IntRange(min=1), required=True, help="How many.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--profile", default="default", show_default=True, help="Profile to follow.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Structure file to write (.json, .yaml or .yml).",
)
@click.option(
    "--tables",
    type=click.Choice(["auto", "inline", "ndjson", "csv", "parquet"]),
    default="auto",
    show_default=True,
    help=f"Where the big tables go; auto: parquet beside above {SYNTH_TABLES_THRESHOLD:,} "
    "households, else inline.",
)
@click.option("--format", "fmt", type=_FORMAT_TEXT_JSON, default="text", show_default=True)
def synth(*, households: int, seed: int, profile: str, output: Path, tables: str, fmt: str) -> None:
    """Generate a synthetic city with a progress bar and write it (it validates).

    The progress bar (on standard error) follows the generator's stages, then checking the
    profile's rules and writing the file. Above 100 000 households the big tables are written
    beside the main file as Parquet unless --tables says otherwise.
    """
    from gridgov.datasets import synthetic_city
    from gridgov.datasets.synthetic import check_city_arguments
    from gridgov.io import format_of, save
    from gridgov.org.profiles import load_profile

    # refuse what would fail later before generating anything: size, seed, profile, output
    format_of(output)
    check_city_arguments(households, seed=seed)
    load_profile(profile)
    _check_output(output)
    table_format = _synth_tables(tables, households)
    timings: dict[str, float] = {}
    with _Progress(quiet=fmt == "json") as progress:
        start = time.perf_counter()
        try:
            city = synthetic_city(
                households=households, seed=seed, profile=profile, progress=progress.generating
            )
        except (ValueError, TypeError) as exc:
            raise InputError(f"cannot generate that city: {one_line(exc)}") from exc
        timings["generate"] = time.perf_counter() - start
        progress.stage("check", 0.85)
        start = time.perf_counter()
        findings = city.check(profile)
        timings["check"] = time.perf_counter() - start
        progress.stage("write", 0.9)
        start = time.perf_counter()
        save(city, output, tables=table_format)
        timings["write"] = time.perf_counter() - start
        progress.stage("done", 1.0)
    summary = {
        "path": str(output),
        "households": len(city.households),
        "grids": int((city.areas.frame.get_column("level") == "grid").sum()),
        "seed": seed,
        "profile": profile,
        "tables": table_format or "inline",
        "findings": len(findings),
        "seconds": {k: round(v, 3) for k, v in timings.items()},
    }
    if fmt == "json":
        click.echo(_dump_json(summary), nl=False)
        return
    total = sum(timings.values())
    beside = f"; tables beside as {table_format}" if table_format else ""
    click.echo(
        f"wrote {output}: {summary['households']:,} households in {summary['grids']:,} grid(s)"
        f"{beside}; {len(findings)} finding(s) under profile {profile}; {total:.1f} s "
        f"({', '.join(f'{k} {v:.1f} s' for k, v in timings.items())})"
    )


def _check_output(path: Path) -> None:
    """Refuse an output path that cannot be written: a folder, or a missing or read-only one."""
    parent = path.parent
    if path.is_dir():
        raise InputError(f"{path}: is a directory; give the file to write")
    if path.exists() and not path.is_file():
        raise InputError(f"{path}: cannot write: not a regular file")
    if not parent.is_dir():
        raise InputError(f"{path}: cannot write: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"{path}: cannot write: no permission to create files in {parent}")


def _synth_tables(choice: str, households: int) -> str | None:
    if choice == "auto":
        return "parquet" if households > SYNTH_TABLES_THRESHOLD else None
    return None if choice == "inline" else choice


class _Progress:
    """A progress bar on standard error: generation fills 0–85 %, then check and write."""

    _STEPS = 1000
    _GENERATE_SHARE = 0.85

    def __init__(self, *, quiet: bool) -> None:
        self._bar = click.progressbar(
            length=self._STEPS,
            label="synth: generate",
            file=sys.stderr,
            hidden=quiet,
            show_eta=False,
        )

    def __enter__(self) -> _Progress:
        self._bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.__exit__(None, None, None)

    def _to(self, fraction: float) -> None:
        target = round(min(max(fraction, 0.0), 1.0) * self._STEPS)
        if target > self._bar.pos:
            self._bar.update(target - self._bar.pos)

    def generating(self, stage: str, fraction: float) -> None:
        """The generator's progress callback: ``(stage, fraction of generation done)``."""
        self._bar.label = f"synth: generate {stage}"
        self._to(fraction * self._GENERATE_SHARE)

    def stage(self, name: str, at: float) -> None:
        """Start a later stage at ``at`` (fraction of the whole run)."""
        self._bar.label = f"synth: {name}"
        self._to(at)
        self._bar.render_progress()


# -- ledgers ------------------------------------------------------------------------------
@cli.command("import-ledger")
@click.argument("structure_path", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("ledger", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the structure with the ledger's households added.",
)
@click.option("--sheet", help="Worksheet of an XLSX ledger (default: the active one).")
@click.option("--ignore-unknown-columns", is_flag=True, help="Skip columns gridgov does not know.")
def import_ledger_command(
    *,
    structure_path: Path,
    ledger: Path,
    output: Path,
    sheet: str | None,
    ignore_unknown_columns: bool,
) -> None:
    """Add the households of a CSV/XLSX ledger (台账) to a structure; all rows or none.

    Exit status 1 lists every bad row (row number and column); nothing is written then.
    """
    from gridgov.io import import_ledger, load, save, saved_layout

    structure = load(structure_path)
    layout = saved_layout(structure_path)  # re-save alike: same tables, personal fields kept
    try:
        updated = import_ledger(
            structure,
            ledger,
            sheet=sheet,
            unknown_columns="ignore" if ignore_unknown_columns else "error",
        )
    except LedgerError as exc:
        for p in exc.problems:
            click.echo(str(p))
        click.echo(f"{ledger}: {len(exc.problems)} problem(s); nothing imported", err=True)
        raise click.exceptions.Exit(EXIT_PROBLEMS) from None
    save(updated, output, **layout.save_options())
    added = len(updated.households) - len(structure.households)
    click.echo(f"wrote {output}: {added:,} household(s) added from {ledger}")


# -- profiles -----------------------------------------------------------------------------
@cli.group()
def profile() -> None:
    """Locality profiles: list, show and compare them."""


@profile.command("list")
@click.option("--format", "fmt", type=_FORMAT_TEXT_JSON, default="text", show_default=True)
def profile_list(fmt: str) -> None:
    """List the shipped profiles."""
    from gridgov.org.profiles import available_profiles, load_profile

    names = available_profiles()
    if fmt == "json":
        click.echo(_dump_json(names), nl=False)
        return
    for name in names:
        click.echo(f"{name:10} {load_profile(name).label_zh}")


@profile.command("show")
@click.argument("name")
@click.option("--format", "fmt", type=_FORMAT_TEXT_JSON, default="text", show_default=True)
def profile_show(name: str, fmt: str) -> None:
    """Show a profile (a shipped NAME or a file): every value with its source, and its rules."""
    from gridgov.org.profiles import load_profile

    prof = load_profile(name)
    if fmt == "json":
        click.echo(_dump_json(prof.model_dump(mode="json")), nl=False)
        return
    title = f"profile {prof.name}" + (f" ({prof.label_zh})" if prof.label_zh else "")
    click.echo(title)
    if prof.extends:
        click.echo(f"  extends {prof.extends}")
    if prof.description:
        click.echo("  " + " ".join(prof.description.split()))
    click.echo("\nvalues:")
    for key in sorted(prof.values):
        v = prof.sourced(key)
        click.echo(f"  {key} = {json.dumps(v.value, ensure_ascii=False)}  [{v.confidence}]")
        click.echo(f"      source: {v.source}")
        if v.note:
            click.echo(f"      note: {v.note}")
    click.echo("\nrules:")
    for rid, setting in sorted(prof.rules.items()):
        state = "on" if setting.enabled else "off"
        extra = f" severity={setting.severity}" if setting.severity else ""
        extra += (
            f" params={json.dumps(setting.params, ensure_ascii=False)}" if setting.params else ""
        )
        click.echo(f"  {rid}: {state}{extra}")


@profile.command("diff")
@click.argument("first")
@click.argument("second")
@click.option("--format", "fmt", type=_FORMAT_TEXT_JSON, default="text", show_default=True)
def profile_diff(first: str, second: str, fmt: str) -> None:
    """Show where profile FIRST differs from profile SECOND (values, then rules)."""
    from gridgov.org.profiles import load_profile

    a, b = load_profile(first), load_profile(second)
    diffs = a.diff(b)
    if fmt == "json":
        click.echo(_dump_json([d.model_dump(mode="json") for d in diffs]), nl=False)
        return
    if not diffs:
        click.echo(f"{a.name} and {b.name} do not differ")
        return
    click.echo(f"{len(diffs)} difference(s), {a.name} vs {b.name}:")
    for d in diffs:
        left = json.dumps(d.value, ensure_ascii=False) if d.source is not None else "(absent)"
        right = (
            json.dumps(d.other_value, ensure_ascii=False)
            if d.other_source is not None
            else "(absent)"
        )
        click.echo(f"  {d.kind} {d.key}: {left}  vs  {right}")
        if d.kind == "value" and d.value != d.other_value:
            continue
        if d.kind == "value":
            click.echo(f"      source: {d.source}  vs  {d.other_source}")


# -- cases (gridgov.cli._cases registers its group here) -----------------------------------
from gridgov.cli._cases import cases as _cases  # noqa: E402  # imports this module's helpers

cli.add_command(_cases)
from gridgov.cli._store import register as _register_store  # noqa: E402

_register_store(_cases)

# -- assess (gridgov.cli._assess registers its command here) -------------------------------
from gridgov.cli._assess import assess as _assess  # noqa: E402  # imports this module's helpers

cli.add_command(_assess)

# -- spec (gridgov.cli._spec registers its group here) ------------------------------------
from gridgov.cli._spec import spec as _spec  # noqa: E402  # imports this module's helpers

cli.add_command(_spec)
