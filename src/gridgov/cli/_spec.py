"""``gridgov spec``: check any document against gridgov's open data specification.

Commands::

    gridgov spec validate FILE [--format text|json]
        exit 0 conforms, 1 problems found (each with its place), 2 the file cannot be read
    gridgov spec export STRUCTURE -o OUT [--to popolo|structure] [--privacy LEVEL]
                        [--privacy-key-file FILE] [--allow-full]
        write a structure file (JSON/YAML) or a Popolo document at a privacy level
    gridgov spec version

FILE is a JSON or YAML document: a gridgov structure or a Popolo document, whatever wrote it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from gridgov._i18n import translate
from gridgov.cli._app import EXIT_PROBLEMS, InputError, _dump_json
from gridgov.cli._privacy import privacy_options
from gridgov.cli._ui import current_lang, say, tr

if TYPE_CHECKING:
    from gridgov.org.privacy import Privacy

__all__ = ["spec"]

_FORMAT = click.Choice(["text", "json"])


@click.group()
def spec() -> None:
    """The open data specification (gridgov.spec): version and validation."""


@spec.command("version")
def version() -> None:
    """Print the specification's version."""
    from gridgov.spec import VERSION

    click.echo(VERSION)


@spec.command("validate")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=_FORMAT, default="text", show_default=True)
def validate(*, path: Path, fmt: str) -> None:
    """Check that FILE conforms to the specification; print each problem with its place.

    Exit status 0 when it conforms, 1 when problems are found, 2 when FILE cannot be read.
    """
    from gridgov.errors import DataFileError, SpecError
    from gridgov.io.json_yaml import format_of, parse_document
    from gridgov.io.safety import read_bounded
    from gridgov.spec import VERSION
    from gridgov.spec import validate as check

    try:
        doc = parse_document(read_bounded(path), format_of(path), str(path))
    except (DataFileError, OSError) as exc:
        raise InputError.of(exc) from exc
    result: dict[str, Any] = {"path": str(path), "spec": VERSION, "valid": True, "problems": []}
    try:
        result["kind"] = check(doc, source=str(path), path=str(path))
    except SpecError as exc:
        result["valid"] = False
        result["problems"] = [
            {"code": p.code, "location": p.location, "message": p.message} for p in exc.problems
        ]
    if fmt == "json":
        click.echo(_dump_json(result), nl=False)
    elif result["valid"]:
        click.echo(tr(f"{path}: conforms to gridgov spec {VERSION} ({result['kind']})"))
    else:
        for p in result["problems"]:  # locations and codes stay as they are: scripts key on them
            click.echo(f"{p['location']}: [{p['code']}] {translate(p['message'], current_lang())}")
        say(f"{path}: {len(result['problems'])} problem(s)")
    if not result["valid"]:
        raise click.exceptions.Exit(EXIT_PROBLEMS)


@spec.command("export")
@click.argument("structure_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write (.json; a structure also .yaml or .yml).",
)
@click.option(
    "--to",
    "target",
    type=click.Choice(["popolo", "structure"]),
    default="popolo",
    show_default=True,
    help="Popolo JSON or a gridgov structure file.",
)
@privacy_options("spec export", key_aliases=("--key-file",))
def export(*, structure_path: Path, output: Path, target: str, privacy: Privacy) -> None:
    """Write STRUCTURE as a Popolo document or a structure file at a privacy level.

    The default level is public: an exported file is made to be passed on. A research
    export without a key, or with a key under 16 bytes, is refused (exit 2).
    """
    import json

    from gridgov.errors import DataFileError, PrivacyError
    from gridgov.io import load, save, to_popolo
    from gridgov.io._atomic import atomic_write

    try:
        structure = load(structure_path)
        if target == "structure":
            save(structure, output, privacy=privacy)
        else:
            doc = to_popolo(structure, privacy=privacy)
            text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
            atomic_write(output, lambda fh: fh.write(text.encode("utf-8")))
    except (DataFileError, PrivacyError, OSError) as exc:
        raise InputError.of(exc) from exc
    click.echo(tr(f"wrote {output} ({target}, privacy {privacy.level})"))
