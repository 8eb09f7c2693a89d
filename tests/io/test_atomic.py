"""Tests for gridgov.io._atomic: a failed or killed save leaves the old files or the new, whole."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from gridgov.errors import DataFileError, SaveError
from gridgov.io import _atomic, json_yaml, load, save, tables
from gridgov.io._atomic import atomic_write, atomic_write_many
from gridgov.org import Structure


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _broken_encoder(data: dict[str, Any], fmt: str) -> Iterator[bytes]:
    yield b'{"name": "half a file'  # written to the temporary file, then the serializer fails
    raise RuntimeError("serializer exploded")


@pytest.mark.parametrize("suffix", ["json", "yaml"])
def test_failure_mid_write_keeps_old_file_byte_identical(
    small: Structure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    target = save(small, tmp_path / f"city.{suffix}")
    before = _snapshot(tmp_path)
    changed = Structure.model_validate({"name": "another"})
    monkeypatch.setattr(json_yaml, "_encode", _broken_encoder)
    with pytest.raises(SaveError) as info:
        save(changed, target)
    assert str(info.value).startswith(f"{target}: save failed, previous file kept")
    assert "serializer exploded" in str(info.value)
    assert isinstance(info.value.__cause__, RuntimeError)
    assert _snapshot(tmp_path) == before  # same files (no temporary left), same bytes
    monkeypatch.undo()
    assert load(target).name == small.name


def test_failure_writing_main_file_keeps_old_tables_too(
    small: Structure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save(small, tmp_path / "city.json", tables="csv")
    before = _snapshot(tmp_path)
    monkeypatch.setattr(json_yaml, "_encode", _broken_encoder)
    with pytest.raises(SaveError):
        save(Structure.model_validate({"name": "x"}), tmp_path / "city.json", tables="csv")
    assert _snapshot(tmp_path) == before


def test_failure_writing_a_table_keeps_everything(
    small: Structure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save(small, tmp_path / "city.json", tables="parquet")
    before = _snapshot(tmp_path)

    def broken(frame: object, fmt: str, fh: IO[bytes]) -> None:
        fh.write(b"PAR1")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tables, "_write_frame", broken)
    with pytest.raises(SaveError, match="No space left on device"):
        save(Structure.model_validate({"name": "x"}), tmp_path / "city.json", tables="parquet")
    assert _snapshot(tmp_path) == before


def test_keyboard_interrupt_cleans_up_and_propagates(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    target.write_bytes(b"old")

    def interrupted(fh: IO[bytes]) -> None:
        fh.write(b"new")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, interrupted)
    assert _snapshot(tmp_path) == {"x.txt": b"old"}


def test_new_file_gets_umask_permissions(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        path = atomic_write(tmp_path / "new.txt", lambda fh: fh.write(b"x"))
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "private.json"
    path.write_bytes(b"{}")
    path.chmod(0o600)
    atomic_write(path, lambda fh: fh.write(b'{"a": 1}'))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes() == b'{"a": 1}'


def test_many_files_are_all_written(tmp_path: Path) -> None:
    paths = atomic_write_many(
        [(tmp_path / "a", lambda fh: fh.write(b"1")), (tmp_path / "b", lambda fh: fh.write(b"2"))]
    )
    assert [p.read_bytes() for p in paths] == [b"1", b"2"]


# -- killed saves: the old structure or the new one, whole ---------------------------------
# The child loads the new structure, then wraps the system calls through which a save changes
# the disk (create/open, fsync, chmod, rename, unlink) and SIGKILLs itself just before call
# number K (K = 0: never), so every state between two steps is one a real crash can leave.
KILL_AT_STEP = r"""
import os, signal, sys
from gridgov.io import load, save

k, source, target, fmt = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
new = load(source)
steps = 0

def counted(call):
    def step(*args, **kwargs):
        global steps
        steps += 1
        if steps == k:
            os.kill(os.getpid(), signal.SIGKILL)
        return call(*args, **kwargs)
    return step

for name in ("open", "fsync", "chmod", "replace", "rename", "unlink"):
    setattr(os, name, counted(getattr(os, name)))
save(new, target, tables=None if fmt == "inline" else fmt)
print(steps)
"""

# The child saves when told "go" and the parent kills it at a random moment of the save.
KILL_AT_RANDOM = r"""
import sys, time
from gridgov.io import load, save

new = load(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
t0 = time.perf_counter()
save(new, sys.argv[2], tables=sys.argv[3])
print(time.perf_counter() - t0, flush=True)
"""


def _variant(small: Structure) -> Structure:
    """``small`` with another name, another household size and another link date."""
    data = json_yaml.to_data(small, include_personal=True)
    data["name"] = "另一个县"
    data["households"][0]["residents"] = 7
    data["linked_households"][0]["start"] = "2023-03-01"
    return Structure.model_validate(data)


def _whole(loaded: Structure, old: Structure, new: Structure) -> str:
    """``"old"`` or ``"new"`` when ``loaded`` is one of them in every part; fails otherwise."""
    for label, expected in (("old", old), ("new", new)):
        if loaded.name == expected.name:
            assert loaded.households == expected.households, f"main file {label}, tables not"
            assert loaded.areas == expected.areas
            assert loaded.linked_households == expected.linked_households
            return label
    raise AssertionError(f"neither structure: {loaded.name}")


def _run(script: str, *args: object, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONWARNINGS": "error"},
        check=False,
    )


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".gridgov-tmp-" in p.name)


@pytest.mark.parametrize(("old_tables", "new_tables"), [("parquet", "parquet"), ("csv", "inline")])
def test_save_killed_at_every_step_leaves_old_or_new_whole(
    small: Structure,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    old_tables: str,
    new_tables: str,
) -> None:
    new = _variant(small)
    source = save(new, tmp_path / "new.json", tables="parquet", include_personal=True)
    (tmp_path / "probe").mkdir()
    save(small, tmp_path / "probe" / "city.json", tables=old_tables)
    full = _run(KILL_AT_STEP, 0, source, tmp_path / "probe" / "city.json", new_tables)
    assert full.returncode == 0, full.stderr
    steps = int(full.stdout)
    assert steps >= 10  # each table: create, fsync, chmod, hash, rename; the main file …
    seen = []
    monkeypatch.setattr(json_yaml, "ORPHAN_GRACE_SECONDS", -1.0)  # for the clean-up check
    for k in range(1, steps + 2):
        folder = tmp_path / f"k{k}"
        folder.mkdir()
        main = save(small, folder / "city.json", tables=old_tables)
        killed = _run(KILL_AT_STEP, k, source, main, new_tables)
        if k <= steps:
            assert killed.returncode == -signal.SIGKILL, (k, killed.stderr)
        else:
            assert killed.returncode == 0, killed.stderr
        seen.append(_whole(load(main), small, new))
        assert _temps(folder) == []  # the load removed what the dead save left
        save(new, main, tables="csv")  # the next save also clears tables no one refers to
        refs = json_yaml.referenced_files(json.loads(main.read_text("utf-8")), main)
        assert sorted(folder.iterdir()) == sorted({main, *refs})
    # the switch is one step: old up to it, new from it on, never a mixture in between
    assert seen[0] == "old"
    assert seen[-1] == "new"
    assert seen == sorted(seen, key=["old", "new"].index)


def test_save_killed_at_random_moments_leaves_old_or_new_whole(tmp_path: Path) -> None:
    import random

    from gridgov.datasets import synthetic_city

    old = synthetic_city(households=3_000, seed=1)
    new = synthetic_city(households=3_000, seed=2)
    source = save(new, tmp_path / "new.json", tables="parquet")
    rng = random.Random(8)
    outcomes = []
    duration = 0.0
    for trial in range(6):
        folder = tmp_path / f"t{trial}"
        folder.mkdir()
        main = save(old, folder / "city.json", tables="parquet")
        child = subprocess.Popen(
            [sys.executable, "-c", KILL_AT_RANDOM, str(source), str(main), "parquet"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdin is not None
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n"
        child.stdin.write("go\n")
        child.stdin.flush()
        if trial == 0:  # the first trial runs to the end and times the save
            duration = float(child.stdout.readline())
        else:
            time.sleep(rng.uniform(0, duration))
            child.send_signal(signal.SIGKILL)
        child.communicate(timeout=120)
        outcomes.append(_whole(load(main), old, new))
    assert outcomes[0] == "new"


# -- temporary files of dead saves ---------------------------------------------------------
def _dead_pid() -> int:
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(child.stdout)


def test_next_save_and_load_remove_what_dead_saves_left(small: Structure, tmp_path: Path) -> None:
    main = save(small, tmp_path / "city.json", tables="parquet")
    tag = _atomic._host_tag()
    dead = [tmp_path / f".city.json.gridgov-tmp-{tag}-{_dead_pid()}-{i:08x}.tmp" for i in range(3)]
    for path in dead:
        path.write_bytes(b"half a save" * 1000)
    load(main)
    assert _temps(tmp_path) == []
    dead[0].write_bytes(b"again")
    save(small, main, tables="parquet")
    assert _temps(tmp_path) == []


def test_live_and_foreign_writers_files_are_kept_until_stale(tmp_path: Path) -> None:
    live = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        tag = _atomic._host_tag()
        kept = [
            tmp_path / f".a.json.gridgov-tmp-{tag}-{live.pid}-00000001.tmp",  # a live writer
            tmp_path / f".a.json.gridgov-tmp-{tag}-{os.getpid()}-00000002.tmp",  # this process
            tmp_path / f".a.json.gridgov-tmp-0123abcd-{_dead_pid()}-00000003.tmp",  # another host
            tmp_path / ".a.json.x1y2z3.tmp",  # not gridgov's name: never touched
        ]
        for path in kept:
            path.write_bytes(b"x")
        assert _atomic.clean_stale_temps(tmp_path) == []
        assert all(p.exists() for p in kept)
        later = time.time() + _atomic.STALE_AFTER_SECONDS + 60
        assert sorted(_atomic.clean_stale_temps(tmp_path, now=later)) == sorted(kept[:3])
        assert [p.name for p in tmp_path.iterdir()] == [kept[3].name]
    finally:
        live.communicate(b"", timeout=30)


def test_temp_names_carry_host_and_pid(tmp_path: Path) -> None:
    name = _atomic.temp_path(tmp_path / ("x" * 250 + ".json")).name
    assert len(name) < 255
    assert f".gridgov-tmp-{_atomic._host_tag()}-{os.getpid()}-" in name
    assert name.startswith(".xxx")
    assert name.endswith(".tmp")


# -- FIFOs and other non-regular files -----------------------------------------------------
LOAD_ONE = r"""
import sys
from gridgov.errors import DataFileError
from gridgov.io import load
try:
    load(sys.argv[1])
except DataFileError as exc:
    print(exc)
"""


def test_loading_a_fifo_is_refused_not_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "city.json"
    os.mkfifo(fifo)
    result = _run(LOAD_ONE, fifo, timeout=60)  # a hang would fail here, not stall the suite
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{fifo}: cannot read: not a regular file (a FIFO (named pipe))"


def test_a_table_that_is_a_fifo_is_refused_not_blocking(small: Structure, tmp_path: Path) -> None:
    main = save(small, tmp_path / "city.json", tables="ndjson")
    data = json.loads(main.read_text("utf-8"))
    table = main.with_name(data["households"]["file"])
    table.unlink()
    os.mkfifo(table)
    result = _run(LOAD_ONE, main, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip() == f"{table}: cannot read: not a regular file (a FIFO (named pipe))"
    )


def test_devices_and_directories_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="not a regular file \\(a character device\\)"):
        _atomic.open_regular("/dev/null")
    with pytest.raises(DataFileError, match="is a directory"):
        _atomic.open_regular(tmp_path)
    with pytest.raises(FileNotFoundError):
        _atomic.open_regular(tmp_path / "missing")
