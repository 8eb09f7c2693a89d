"""Tests for gridgov.io._atomic: a failed save leaves the old files byte for byte."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from gridgov.errors import SaveError
from gridgov.io import json_yaml, load, save, tables
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
