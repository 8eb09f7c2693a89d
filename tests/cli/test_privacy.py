"""Tests for gridgov.cli._privacy: --privacy on every command, fail-closed, nothing leaks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from tests.cli.test_app import assert_one_line_error
from tests.io.test_privacy import KEY, OTHER_KEY, people, with_people

import gridgov
from gridgov.cli._app import cli
from gridgov.cli._privacy import DEFAULT_K, DEFAULTS, KEY_ENV, LEVELS
from gridgov.io import save
from gridgov.org import Structure
from gridgov.org import privacy as org_privacy

#: Every command that writes or prints data, with the arguments it needs besides the output.
COMMANDS = sorted(DEFAULTS)


def run(*args: str | Path, key: bytes | None = None) -> Result:
    env = {KEY_ENV: key.decode()} if key is not None else {KEY_ENV: ""}
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def test_levels_match_the_library() -> None:
    # the command line repeats them so that `gridgov --help` does not import gridgov.org
    assert LEVELS == org_privacy.LEVELS
    assert DEFAULT_K == org_privacy.DEFAULT_K


@pytest.mark.parametrize("command", COMMANDS)
def test_help_says_the_default_and_why(command: str) -> None:
    result = run(*command.split(), "--help")
    assert result.exit_code == 0, result.output
    level, why = DEFAULTS[command]
    text = " ".join(result.output.split()).replace("- ", "-")  # click wraps at hyphens
    assert f"Default {level}: {' '.join(why.split())}".replace("- ", "-") in text
    for option in ("--privacy", "--privacy-key-file", "--allow-full", "--suppress-below"):
        assert option in text


def command_line(command: str, path: Path, out: Path) -> list[str | Path]:
    """A run of ``command`` on the structure file ``path`` writing ``out`` where it writes."""
    lines: dict[str, list[str | Path]] = {
        "report": ["report", path, "-o", out],
        "demo": ["demo"],
        "synth": ["synth", "--households", "20", "-o", out],
        "import-ledger": ["import-ledger", path, path.with_name("ok.csv"), "-o", out],
        "assess": ["assess", "youyi", "--scheme", "youyi_party_member_points", "-o", out],
        "cases rates": ["cases", "rates", path.with_name("events.csv")],
        "spec export": ["spec", "export", path, "-o", out],
    }
    return lines[command]


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    s = with_people([{"id": "PQ0", "name": "БГДЖ", "phone": "13912345678"}])
    path = save(s, tmp_path / "city.json", privacy="full")
    (tmp_path / "ok.csv").write_text("户号,所属网格,人口数\nN1,G1,3\n", "utf-8")
    gridgov.datasets.events("youyi").head(50).write_csv(tmp_path / "events.csv")
    return path


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("options", "fragments"),
    [
        (["--privacy", "secret"], ["unknown privacy level 'secret'", "public, research"]),
        (["--privacy", "research"], ["needs a key", KEY_ENV]),
        (["--privacy", "full"], ["--allow-full"]),
        (["--privacy", "research", "--privacy-key-file", "short.key"], ["at least 16 bytes"]),
    ],
)
def test_fail_closed(
    command: str, options: list[str], fragments: list[str], inputs: Path, tmp_path: Path
) -> None:
    (tmp_path / "short.key").write_bytes(b"too short")
    out = tmp_path / "out.json"
    options = [str(tmp_path / o) if o == "short.key" else o for o in options]
    result = run(*command_line(command, inputs, out), *options)
    assert_one_line_error(result, *fragments)
    assert not out.exists()  # nothing written


def test_import_ledger_refuses_to_drop_what_the_file_holds(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    refused = run("import-ledger", inputs, tmp_path / "ok.csv", "-o", out)
    assert_one_line_error(refused, "holds ID numbers or phones", "--allow-full")
    assert not out.exists()
    kept = run(
        "import-ledger", inputs, tmp_path / "ok.csv", "-o", out, "--privacy", "full", "--allow-full"
    )
    assert kept.exit_code == 0, kept.output
    assert "13912345678" in out.read_text("utf-8")
    dropped = run("import-ledger", inputs, tmp_path / "ok.csv", "-o", out, "--privacy", "internal")
    assert dropped.exit_code == 0, dropped.output
    assert "13912345678" not in out.read_text("utf-8")


def everything(result: Result, folder: Path) -> bytes:
    """Every byte a run printed or wrote (its files in ``folder``)."""
    data = result.stdout_bytes + result.stderr_bytes
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name.startswith("out"):
            data += path.read_bytes()
    return data


def secrets_of(s: Structure) -> set[str]:
    out: set[str] = set()
    for p in s.people:
        out |= {p.id, p.name} - {""}
        out |= {x.get_secret_value() for x in (p.phone, p.id_number) if x is not None}
    return out


@settings(
    max_examples=6,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(persons=people())
def test_no_name_phone_or_id_number_leaves_any_command(
    persons: list[dict[str, object]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    s = with_people(persons)
    secret = secrets_of(s)
    folder = tmp_path_factory.mktemp("run")
    path = save(s, folder / "city.json", privacy="full")
    (folder / "ok.csv").write_text("户号,所属网格,人口数\nN1,G1,3\n", "utf-8")
    assert all(x.encode() in path.read_bytes() for x in secret)  # they are there to leak
    runs = [
        *(
            ["report", path, "--format", fmt, "--lang", lang]
            for fmt in ("text", "md", "json", "html")
            for lang in ("en", "zh")
        ),
        ["report", path, "-o", folder / "out-report.html", "--format", "html"],
        ["spec", "export", path, "-o", folder / "out-popolo.json"],
        ["spec", "export", path, "-o", folder / "out-structure.json", "--to", "structure"],
        ["spec", "export", path, "-o", folder / "out-structure.yaml", "--to", "structure"],
        ["import-ledger", path, folder / "ok.csv", "-o", folder / "out-ledger.json"],
    ]  # fmt: skip
    for level in ("public", "research"):
        for args in runs:
            result = run(*args, "--privacy", level, key=KEY)
            assert result.exit_code == 0, (args, result.output)
            data = everything(result, folder)
            for x in secret:
                assert x.encode() not in data, (level, args, x)


def youyi_secrets() -> set[str]:
    return secrets_of(gridgov.datasets.load("youyi"))


@pytest.mark.parametrize("level", ["public", "research"])
def test_bundled_commands_leave_no_person(level: str, tmp_path: Path) -> None:
    """demo, assess and cases rates on the bundled youyi example; synth on its own city."""
    names = {x for x in youyi_secrets() if not x.startswith("P")}  # ids are checked below
    ids = {p.id for p in gridgov.datasets.load("youyi").people}
    gridgov.datasets.events("youyi").write_csv(tmp_path / "events.csv")
    structure = save(gridgov.datasets.load("youyi"), tmp_path / "youyi.json")
    runs: list[list[str | Path]] = [
        ["demo", "--format", "json"],
        ["demo", "--format", "html", "--lang", "zh"],
        ["cases", "rates", tmp_path / "events.csv", "--by", "grid", "--structure", structure],
    ]
    if level == "research":  # a ranking of people is nothing public (test_fail_closed_assess)
        runs += [
            ["assess", "youyi", "--scheme", "youyi_party_member_points", "--format", fmt]
            for fmt in ("text", "md", "json")
        ]
    for args in runs:
        result = run(*args, "--privacy", level, key=KEY)
        assert result.exit_code == 0, (args, result.output)
        text = result.stdout
        assert not [x for x in names if x in text], args
        assert not [x for x in ids if f'"{x}"' in text or f" {x} " in text], args


def test_assess_of_people_is_never_public() -> None:
    result = run("assess", "youyi", "--scheme", "youyi_party_member_points", "--privacy", "public")
    assert_one_line_error(result, "ranks people")
    explain = run(
        "assess", "youyi", "--scheme", "youyi_party_member_points", "--privacy", "research",
        "--explain", "P0000001", key=KEY,
    )  # fmt: skip
    assert_one_line_error(explain, "--explain")


def test_synth_at_research_writes_no_name(tmp_path: Path) -> None:
    internal, research = tmp_path / "internal.json", tmp_path / "research.json"
    assert run("synth", "--households", "30", "-o", internal).exit_code == 0
    made = run("synth", "--households", "30", "-o", research, "--privacy", "research", key=KEY)
    assert made.exit_code == 0, made.output
    names = {p.name for p in gridgov.io.load(internal).people if p.name}
    assert names
    text = research.read_text("utf-8")
    assert not [n for n in names if f'"{n}"' in text]


def test_pseudonyms_stable_under_a_key_and_unlinkable_under_another(
    inputs: Path, tmp_path: Path
) -> None:
    def person_ids(key: bytes, name: str) -> list[str]:
        out = tmp_path / name
        result = run("spec", "export", inputs, "-o", out, "--privacy", "research", key=key)
        assert result.exit_code == 0, result.output
        return [p["id"] for p in json.loads(out.read_text("utf-8"))["persons"]]

    first, again, other = (
        person_ids(KEY, "a.json"),
        person_ids(KEY, "b.json"),
        person_ids(OTHER_KEY, "c.json"),
    )
    assert first == again
    assert first
    assert not set(first) & set(other)
    key_file = tmp_path / "key"
    key_file.write_bytes(KEY + b"\n")  # a trailing newline is not part of the key
    out = tmp_path / "d.json"
    from_file = run(
        "spec", "export", inputs, "-o", out, "--privacy", "research", "--privacy-key-file", key_file
    )
    assert from_file.exit_code == 0, from_file.output
    assert [p["id"] for p in json.loads(out.read_text("utf-8"))["persons"]] == first


def test_public_report_suppresses_small_cells(inputs: Path) -> None:
    result = run("report", inputs, "--privacy", "public", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["privacy"] == "public"
    assert doc["suppressed_below"] == DEFAULT_K
    assert doc["summary"]["households"] is None  # one household: 1 < 5
    more = run("report", inputs, "--privacy", "public", "--suppress-below", "11")
    assert "<11" in more.stdout


def test_public_rates_suppress_small_counts(inputs: Path) -> None:
    events = inputs.with_name("events.csv")
    result = run("cases", "rates", events, "--privacy", "public", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    assert rows
    for row in rows:
        for column in ("filed", "due"):
            assert row[column] is None or row[column] == 0 or row[column] >= DEFAULT_K
        if row["filed"] is None or row["due"] is None:
            assert row["closing_rate"] is None


def test_public_report_takes_k_from_its_profile(inputs: Path, tmp_path: Path) -> None:
    profile = tmp_path / "strict.toml"
    profile.write_text(
        'name = "strict"\nextends = "default"\n\n[values."privacy.k"]\nvalue = 11\n'
        'source = "the office\'s own disclosure rule"\nconfidence = "assumed"\n',
        "utf-8",
    )
    by_profile = run(
        "report", inputs, "--privacy", "public", "--profile", profile, "--format", "json"
    )
    assert by_profile.exit_code == 0, by_profile.output
    assert json.loads(by_profile.stdout)["suppressed_below"] == 11
    given = run(
        "report", inputs, "--privacy", "public", "--profile", profile, "--suppress-below", "3",
        "--format", "json",
    )  # fmt: skip
    assert json.loads(given.stdout)["suppressed_below"] == 3
