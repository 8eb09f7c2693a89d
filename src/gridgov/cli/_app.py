"""The click application behind ``gridgov`` (see :mod:`gridgov.cli` for the commands)."""

from __future__ import annotations

import io
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click
from pydantic import ValidationError

from gridgov._bulk import gc_paused
from gridgov._i18n import N_, translate
from gridgov.cli._privacy import explicit_level, privacy_options
from gridgov.cli._ui import (
    Progress,
    begin_run,
    chosen_lang,
    current_lang,
    default_lang,
    progress_bar,
    say,
    set_lang,
    set_quiet,
    tr,
)
from gridgov.errors import (
    DataFileError,
    GridgovError,
    LedgerError,
    PrivacyError,
    Problem,
    StructureError,
)

if TYPE_CHECKING:
    from gridgov.org.privacy import Privacy

__all__ = ["EXIT_INPUT", "EXIT_OK", "EXIT_PROBLEMS", "Progress", "cli", "run"]

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
    """An error in the user's input: one line, then every reason it carries; exit status 2.

    It is shown in the run's language (``gridgov --lang zh``, ``GRIDGOV_LANG=zh``): a library
    error is translated from the error itself (each problem of a structure or ledger), a
    message given here through the catalogue.
    """

    exit_code = EXIT_INPUT

    def __init__(
        self, message: str, reasons: Sequence[str] = (), *, error: BaseException | None = None
    ) -> None:
        super().__init__(message)
        self.reasons = list(reasons)
        self.error = error

    @classmethod
    def of(cls, exc: BaseException) -> InputError:
        """The input error for a library error: its first line, then each of its reasons."""
        return cls(one_line(exc), reasons(exc), error=exc)

    def show(self, file: IO[Any] | None = None) -> None:
        """Print ``gridgov: error: <message>`` and ``  - <reason>`` lines on standard error."""
        lang = current_lang()
        if self.error is not None:
            message, why = one_line(self.error, lang), reasons(self.error, lang)
        else:
            message = translate(self.message, lang)
            why = [translate(r, lang) for r in self.reasons]
        click.echo(tr(f"gridgov: error: {message}"), err=True)
        for reason in why:
            click.echo(f"  - {reason}", err=True)


def one_line(exc: BaseException, lang: str = "en") -> str:
    """A one-line description of an error, for the command line, in ``lang``."""
    if isinstance(exc, ValidationError):
        return translate(N_(f"invalid {exc.title}, {exc.error_count()} problem(s):"), lang)
    text = (exc.text(lang) if isinstance(exc, GridgovError) else str(exc)).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    if isinstance(exc, OSError) and not isinstance(exc, GridgovError):
        name = f"{exc.filename}: " if exc.filename else ""
        return f"{name}{translate(exc.strerror or first, lang)}"
    return first


def reasons(exc: BaseException, lang: str = "en") -> list[str]:
    """Every reason an error gives beyond its first line (``.problems``, or its other lines).

    A rejected profile, structure or ledger names each problem; the command line prints them
    all, one per line, under the error's first line, in ``lang``.
    """
    if isinstance(exc, ValidationError):
        return [
            f"{'.'.join(str(x) for x in e['loc']) or 'value'}: {translate(e['msg'], lang)}"
            for e in exc.errors(include_url=False, include_input=False)
        ]
    problems = getattr(exc, "problems", None)
    if isinstance(problems, tuple | list) and problems:
        return [p.text(lang) if isinstance(p, Problem) else str(p) for p in problems]
    text = exc.text(lang) if isinstance(exc, GridgovError) else str(exc)
    lines = text.strip().splitlines()[1:]
    return [line.strip().removeprefix("- ") for line in lines if line.strip()]


class _UsageError(click.UsageError):
    """click's usage error, shown in the run's language (English exactly as click shows it)."""

    def __init__(self, original: click.UsageError) -> None:
        super().__init__(original.message, original.ctx)
        self.original = original

    def format_message(self) -> str:
        """The original's message (a bad parameter names the parameter)."""
        return self.original.format_message()

    def show(self, file: IO[Any] | None = None) -> None:
        """Print the usage line, the help hint and the error in the run's language."""
        lang = current_lang()
        if lang == "en":
            self.original.show(file)
            return
        shown = io.StringIO()  # click's own lines (the catalogue's [external] section)
        self.original.show(shown)
        click.echo(translate(shown.getvalue().rstrip("\n"), lang), file=file, err=True)


class _Group(click.Group):
    """Turns gridgov's input errors into one line and exit status 2, in the run's language."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **options: Any) -> Any:
        """Start the run (language and --quiet read ahead), then run click's main."""
        begin_run(sys.argv[1:] if args is None else args)
        return super().main(args, *rest, **options)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        """Parse the global options; a usage error is shown in the run's language."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise _UsageError(exc) from exc

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # click's own handling of a closed pipe applies
            raise
        except _UsageError:
            raise
        except click.UsageError as exc:
            raise _UsageError(exc) from exc
        except (GridgovError, OSError, ValidationError) as exc:
            if os.environ.get(_DEBUG_ENV):
                raise
            raise InputError.of(exc) from exc


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gridgov", prog_name="gridgov")
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    callback=set_lang,
    expose_value=False,
    is_eager=True,
    help="Language of every message and of each command's output (a command's own --lang "
    "overrides it). Default: $GRIDGOV_LANG, else en.",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    callback=set_quiet,
    expose_value=False,
    help="Show no progress bar (none is shown when standard error is not a terminal).",
)
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
        say("gridgov: interrupted")
        return 130
    return status if isinstance(status, int) else EXIT_OK


def _emit(text: str, output: str | None) -> None:
    """Print ``text``, or write it atomically to ``output``."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    from gridgov.io._atomic import atomic_write

    atomic_write(output, lambda fh: fh.write(text.encode("utf-8")))
    say(f"wrote {output}")


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
    with Progress(stages) as bar, gc_paused():
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
            click.echo(p.text(lang))
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
@click.option(
    "--runs",
    type=click.IntRange(min=0),
    default=200,
    show_default=True,
    help="Monte Carlo runs of the mobilisation section of a located structure (seed 0); 0 "
    "leaves out the service circles and mobilisation.",
)
@privacy_options("report")
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
    runs: int,
    privacy: Privacy,
) -> None:
    """Print the report on the structure in PATH: rules, roll-ups, cross-appointments, coverage.

    --format html writes one self-contained page with charts (no network needed to open it).
    With --scheme the report also holds an assessment (see gridgov assess).
    Exit status 0 once the report is printed, whatever it finds, unless --fail-on is given:
    then 1 when a finding at or above that severity exists (the report is printed first).
    """
    from gridgov.io import load
    from gridgov.report import build_report, render

    with Progress(["loading and checking", "rules and roll-ups", "rendering"]) as bar, gc_paused():
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
        # without --suppress-below, a public report takes k from its profile (privacy.k)
        k = privacy.k if explicit_level(name="suppress_below") else None
        built = build_report(
            structure,
            profile,
            events=log,
            assessment=assessment,
            analysis=runs > 0,
            runs=runs or 1,
            privacy=privacy.level,
            key=privacy.key,
            k=k,
        )
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
@privacy_options("demo")
def demo(lang: str, fmt: str, all_rows: bool, privacy: Privacy) -> None:
    """Print the report on the bundled youyi example (友谊县, synthetic) under its profile."""
    from gridgov.datasets import load as load_dataset
    from gridgov.report import build_report, render

    built = build_report(load_dataset("youyi"), "youyi", privacy=privacy)
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
@privacy_options("synth")
def synth(
    *,
    households: int,
    seed: int,
    profile: str,
    output: Path,
    tables: str,
    fmt: str,
    privacy: Privacy,
) -> None:
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
    timings: dict[str, float] = {N_("generate"): 0.0, N_("check"): 0.0, N_("write"): 0.0}
    with _Progress(quiet=fmt == "json") as progress:
        start = time.perf_counter()
        try:
            city = synthetic_city(
                households=households, seed=seed, profile=profile, progress=progress.generating
            )
        except (ValueError, TypeError) as exc:
            raise InputError(f"cannot generate that city: {one_line(exc)}") from exc
        timings["generate"] = time.perf_counter() - start
        progress.stage(N_("check"), 0.85)
        start = time.perf_counter()
        findings = city.check(profile)
        timings["check"] = time.perf_counter() - start
        progress.stage(N_("write"), 0.9)
        start = time.perf_counter()
        save(city, output, tables=table_format, privacy=privacy)
        timings["write"] = time.perf_counter() - start
        progress.stage(N_("done"), 1.0)
    summary = {
        "path": str(output),
        "households": len(city.households),
        "grids": int((city.areas.frame.get_column("level") == "grid").sum()),
        "seed": seed,
        "profile": profile,
        "tables": table_format or "inline",
        "findings": len(findings),
        "seconds": {k: round(v, 3) for k, v in timings.items()},
        "privacy": privacy.level,
    }
    if fmt == "json":
        click.echo(_dump_json(summary), nl=False)
        return
    total = sum(timings.values())
    beside = tr(f"; tables beside as {table_format}") if table_format else ""
    if privacy.level != "internal":  # the counts are the city's; the file holds what the level lets
        beside += tr(f"; written at privacy {privacy.level}")
    times = ", ".join(f"{translate(k, current_lang())} {v:.1f} s" for k, v in timings.items())
    click.echo(
        tr(
            f"wrote {output}: {summary['households']:,} households in {summary['grids']:,} "
            f"grid(s){beside}; {len(findings)} finding(s) under profile {profile}; "
            f"{total:.1f} s ({times})"
        )
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
        self._bar = progress_bar(self._STEPS, N_("synth: generate"), hidden=quiet)

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
        self._bar.label = tr(f"synth: generate {stage}")
        self._to(fraction * self._GENERATE_SHARE)

    def stage(self, name: str, at: float) -> None:
        """Start a later stage at ``at`` (fraction of the whole run)."""
        self._bar.label = tr(f"synth: {name}")
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
@privacy_options("import-ledger")
def import_ledger_command(
    *,
    structure_path: Path,
    ledger: Path,
    output: Path,
    sheet: str | None,
    ignore_unknown_columns: bool,
    privacy: Privacy,
) -> None:
    """Add the households of a CSV/XLSX ledger (台账) to a structure; all rows or none.

    Exit status 1 lists every bad row (row number and column); nothing is written then.
    """
    from gridgov.io import import_ledger, load, save, saved_layout

    layout = saved_layout(structure_path)  # re-save alike: same tables
    if layout.include_personal and not privacy.personal and not explicit_level():
        raise PrivacyError(
            f"{structure_path} holds ID numbers or phones, which --privacy "
            f"{privacy.level} would drop: give --privacy full --allow-full to keep them, or "
            f"--privacy internal to drop them / 文件含身份证号或电话：请明确指定 --privacy"
        )
    with Progress(["loading and checking", "ledger", "writing"]) as bar:
        bar.step("loading and checking")
        structure = load(structure_path)
        bar.step("ledger")
        try:
            updated = import_ledger(
                structure,
                ledger,
                sheet=sheet,
                unknown_columns="ignore" if ignore_unknown_columns else "error",
            )
        except LedgerError as exc:
            failure: LedgerError | None = exc
        else:
            failure = None
            bar.step("writing")
            save(updated, output, tables=layout.tables, privacy=privacy)
    if failure is not None:
        for p in failure.problems:
            click.echo(p.text(current_lang()))
        say(f"{ledger}: {len(failure.problems)} problem(s); nothing imported")
        raise click.exceptions.Exit(EXIT_PROBLEMS) from None
    added = len(updated.households) - len(structure.households)
    level = "" if privacy.level == "internal" else tr(f"; written at privacy {privacy.level}")
    click.echo(tr(f"wrote {output}: {added:,} household(s) added from {ledger}") + level)


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


# -- every command's --lang defaults to the run's language ---------------------------------
def _lang_defaults(group: click.Group) -> None:
    """A command's ``--lang`` defaults to ``gridgov --lang`` / $GRIDGOV_LANG (else en, or both).

    Applied here, once, to every command (also those other modules register), so that the
    global choice reaches each without repeating it; the command's own ``--lang`` still wins
    and also sets the language of the run's messages.
    """
    for command in group.commands.values():
        if isinstance(command, click.Group):
            _lang_defaults(command)
        for param in command.params:
            if not (isinstance(param, click.Option) and param.name == "lang"):
                continue
            if param.default == "en":
                param.default = default_lang
                param.show_default = "gridgov --lang, $GRIDGOV_LANG or en"
                param.callback = set_lang
            elif param.default == "both":  # demo: one language when one was asked for
                param.default = lambda: chosen_lang() or "both"
                param.show_default = "gridgov --lang, $GRIDGOV_LANG or both"


_lang_defaults(cli)
