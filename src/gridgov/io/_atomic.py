"""Atomic writes: a file is either the old one or the complete new one, never half written.

Each target is written to a temporary file in the *same directory* (so the final rename never
crosses a file system), flushed and ``fsync``-ed, then moved over the target with
:func:`os.replace`, which is atomic on POSIX and Windows; finally the directory is synced so
the rename itself survives a crash. Several files (a main file and its tables) are written
together by :func:`atomic_write_many`: every temporary file is completed first and only then
are they renamed, the main file last, so a failure while *writing* leaves every old file as it
was.

A new file gets the permissions an ordinary ``open(path, "w")`` would give (``0o666`` less
the umask); a replaced file keeps its mode.

Examples
--------
>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
>>> atomic_write(target, lambda fh: fh.write(b"hello")).read_bytes()
b'hello'
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from gridgov.errors import SaveError

__all__ = ["Writer", "atomic_write", "atomic_write_many"]

#: Writes a file's content to an open binary file.
Writer = Callable[[IO[bytes]], Any]


def atomic_write(path: str | os.PathLike[str], write: Writer) -> Path:
    """Write one file atomically with ``write(fh)``; return its path.

    Raises
    ------
    gridgov.errors.SaveError
        Naming the path, when anything fails (the exception is the ``__cause__``); the old
        file, if any, is left byte for byte as it was and no temporary file is left behind.
    """
    return atomic_write_many([(Path(path), write)])[0]


def atomic_write_many(targets: Sequence[tuple[str | os.PathLike[str], Writer]]) -> list[Path]:
    """Write several files, each atomically, renaming them only once all are written.

    The last target is renamed last: pass the file that refers to the others (the main
    structure file) last.
    """
    paths = [Path(p) for p, _ in targets]
    temps: list[Path] = []
    try:
        for path, (_, write) in zip(paths, targets, strict=True):
            temps.append(_write_temp(path, write))
        for path, temp in zip(paths, temps, strict=True):
            temp.replace(path)
        for directory in {p.parent for p in paths}:
            _fsync_dir(directory)
    except BaseException as exc:
        for temp in temps:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
        if not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit: clean up, go on
            raise
        where = paths[len(temps)] if len(temps) < len(paths) else paths[-1]
        raise SaveError(f"{where}: save failed, previous file kept: {_reason(exc)}") from exc
    return paths


def _write_temp(path: Path, write: Writer) -> Path:
    directory = path.parent if str(path.parent) else Path()
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        temp.chmod(_mode_for(path))
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise
    return temp


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process umask, read without changing it (``os.umask`` would race other threads)."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii", errors="replace")
    except OSError:  # pragma: no cover - not Linux
        return 0o022
    for line in status.splitlines():
        if line.startswith("Umask:"):
            return int(line.split()[1], 8)
    return 0o022  # pragma: no cover - kernels before 4.7


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":  # pragma: no cover - directories cannot be opened on Windows
        return
    fd = os.open(directory if str(directory) else ".", os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
