"""Atomic writes, whole multi-file saves, and the file-system guards of the save/load pair.

A file is either the old one or the complete new one, never half written. Each target is
written to a temporary file in the *same directory* (so the final rename never crosses a file
system), flushed and ``fsync``-ed, then moved over the target with :func:`os.replace`, which
is atomic on POSIX and Windows; the directory is synced so the rename itself survives a crash.

**A main file and its companions** (the tables beside a structure file) are switched together
by one rename, by :func:`write_with_companions`: each companion is written under a
*content-addressed* name (its SHA-256 is part of the name, so a new version never overwrites a
file the old main file refers to), the directory is synced, and only then is the main file,
which names every companion and its hash, renamed into place. Before that rename the old main
file and its old companions are untouched; after it the new set is complete. Companions the
old main file referred to and the new one does not are removed after the switch (best effort,
never before).

**Temporary files** are named ``.<target>.gridgov-tmp-<host>-<pid>-<random>.tmp``.
:func:`clean_stale_temps` (run by every save and load in the folder) removes those of a writer
that is dead — its pid no longer runs on this host — and those untouched for
:data:`STALE_AFTER_SECONDS` (a pid since reused, or a writer on another host sharing the
folder); a live writer's file is never removed.

**Opening for reading** goes through :func:`open_regular`, which refuses anything but a
regular file (a FIFO, a socket, a device, a directory) *before* reading and opens with
``O_NONBLOCK``, so a file swapped for a FIFO in between cannot block the reader.

A new file gets the permissions an ordinary ``open(path, "w")`` would give (``0o666`` less
the umask); a replaced file keeps its mode.

Examples
--------
>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
>>> atomic_write(target, lambda fh: fh.write(b"hello")).read_bytes()
b'hello'
>>> temp_path(target).name.startswith(".out.txt.gridgov-tmp-")
True
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import secrets
import socket
import stat
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

from gridgov.errors import DataFileError, SaveError

__all__ = [
    "STALE_AFTER_SECONDS",
    "Companion",
    "Writer",
    "Written",
    "atomic_write",
    "atomic_write_many",
    "clean_stale_temps",
    "open_regular",
    "remove_quietly",
    "temp_path",
    "write_with_companions",
]

#: Writes a file's content to an open binary file.
Writer = Callable[[IO[bytes]], Any]

#: A temporary file untouched this long (seconds) is removed whoever wrote it.
STALE_AFTER_SECONDS = 24 * 3600
_TEMP_TAG = "gridgov-tmp"
_TEMP_RE = re.compile(r"^\..*\.gridgov-tmp-([0-9a-f]{8})-([0-9]+)-[0-9a-f]+\.tmp$", re.DOTALL)
_NAME_CHARS = 80  # of the target's name kept in a temporary file's name (names are ≤ 255)


# -- single files -------------------------------------------------------------------------
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
    """Write several independent files, each atomically, renaming them once all are written.

    Each file on its own is old or new; the *set* is not switched as a whole (a crash between
    two renames leaves some old and some new). Files that refer to each other are written by
    :func:`write_with_companions`.
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
            remove_quietly(temp)
        if not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit: clean up, go on
            raise
        where = paths[len(temps)] if len(temps) < len(paths) else paths[-1]
        raise _save_error(where, exc) from exc
    return paths


# -- a main file and its companions, switched by one rename -------------------------------
@dataclass(frozen=True, slots=True)
class Companion:
    """A file written beside the main file under a name that depends on its content.

    ``name(sha256_hex)`` gives the file name (in the main file's directory); ``write(fh)``
    writes the content; ``label`` names the file in an error before its hash is known.
    """

    name: Callable[[str], str]
    write: Writer
    label: Path | None = None


@dataclass(frozen=True, slots=True)
class Written:
    """A companion as written: its final path and the SHA-256 of its bytes (hex)."""

    path: Path
    sha256: str


def write_with_companions(
    main: str | os.PathLike[str],
    companions: Sequence[Companion],
    main_writer: Callable[[list[Written]], Writer],
    *,
    obsolete: Callable[[list[Written]], Iterable[Path]] = lambda written: (),
) -> tuple[Path, list[Written]]:
    """Write companions under content-addressed names, then switch the main file by one rename.

    Parameters
    ----------
    main
        The main file (it refers to the companions).
    companions
        The files beside it.
    main_writer
        Given the written companions (paths and hashes), the writer of the main file.
    obsolete
        Given the written companions, the files to remove once the main file is switched
        (files only the old main file referred to). Removal is best effort.

    Returns
    -------
    tuple
        The main file's path and the written companions, in the order given.

    Raises
    ------
    gridgov.errors.SaveError
        Naming the file that failed; the old main file and its companions are kept, and the
        new companions not yet referred to are removed.
    """
    main_path = Path(main)
    directory = main_path.parent
    existed: set[Path] = set()
    written: list[Written] = []
    where = main_path
    try:
        for companion in companions:
            where = companion.label or main_path
            temp = _write_temp(main_path, companion.write)
            try:
                digest = _sha256(temp)
                final = directory / companion.name(digest)
                where = final
                if os.path.lexists(final):
                    existed.add(final)  # the same bytes, possibly the old main file's: keep
                temp.replace(final)
            except BaseException:
                remove_quietly(temp)
                raise
            written.append(Written(final, digest))
        _fsync_dir(directory)  # every companion is durable before the main file names them
        where = main_path
        atomic_write(main_path, main_writer(written))
    except BaseException as exc:
        for w in written:
            if w.path not in existed:
                remove_quietly(w.path)
        if not isinstance(exc, Exception):
            raise
        if isinstance(exc, SaveError):
            raise
        raise _save_error(where, exc) from exc
    keep = {w.path for w in written}
    with contextlib.suppress(Exception):  # best effort: the save itself has succeeded
        for path in obsolete(written):
            if path not in keep and path != main_path:
                remove_quietly(path)
    return main_path, written


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open_regular(path) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- temporary files ----------------------------------------------------------------------
def temp_path(path: str | os.PathLike[str]) -> Path:
    """A fresh temporary name beside ``path``, carrying this writer's host tag and pid."""
    p = Path(path)
    token = secrets.token_hex(4)
    name = f".{p.name[:_NAME_CHARS]}.{_TEMP_TAG}-{_host_tag()}-{os.getpid()}-{token}.tmp"
    return p.with_name(name)


def _write_temp(path: Path, write: Writer) -> Path:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temp = temp_path(path)
        try:
            fd = os.open(temp, flags, 0o600)
        except FileExistsError:  # pragma: no cover - 32 random bits collided
            continue
        break
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        temp.chmod(_mode_for(path))
    except BaseException:
        remove_quietly(temp)
        raise
    return temp


def clean_stale_temps(directory: str | os.PathLike[str], *, now: float | None = None) -> list[Path]:
    """Remove the temporary files that dead saves left in ``directory``; return them.

    A temporary file (named by :func:`temp_path`) is removed when its writer ran on this host
    and that pid no longer runs, or when it has not been modified for
    :data:`STALE_AFTER_SECONDS`. A live writer's file is kept (so is this process's own,
    unless stale). Best effort: a file that cannot be removed, or a folder that cannot be
    listed, is left alone silently.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> left = folder / f".x.json.gridgov-tmp-{_host_tag()}-{2**22 + 1}-00ff.tmp"
    >>> _ = left.write_bytes(b"half a save")  # pid 4194305 is above Linux's pid_max
    >>> [p.name == left.name for p in clean_stale_temps(folder)], left.exists()
    ([True], False)
    """
    folder = Path(directory)
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder if str(folder) else "."))
    except OSError:
        return removed
    own = _host_tag()
    for entry in entries:
        match = _TEMP_RE.match(entry.name)
        if match is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        tag, pid = match.group(1), int(match.group(2))
        dead = tag == own and pid != os.getpid() and not _alive(pid)
        if dead or age > STALE_AFTER_SECONDS:
            path = folder / entry.name
            if remove_quietly(path):
                removed.append(path)
    return removed


@functools.cache
def _host_tag() -> str:
    """8 hex digits naming this host and pid namespace (pids are compared only within it)."""
    try:
        namespace = Path("/proc/self/ns/pid").stat().st_ino
    except OSError:  # pragma: no cover - not Linux
        namespace = 0
    seed = f"{socket.gethostname()}|{namespace}".encode()
    return hashlib.sha256(seed).hexdigest()[:8]


def _alive(pid: int) -> bool:
    if os.name != "posix":  # pragma: no cover - os.kill(pid, 0) would terminate it on Windows
        return True  # unknowable: only the age rule applies
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):  # another user's process, or unknowable
        return True
    return True


def remove_quietly(path: str | os.PathLike[str]) -> bool:
    """Remove a file if it can be; return whether it was removed."""
    try:
        Path(path).unlink()
    except OSError:
        return False
    return True


# -- reading ------------------------------------------------------------------------------
_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """Open a regular file for reading; refuse a FIFO, socket, device or directory.

    The file is checked with :func:`os.stat` before it is opened, opened with ``O_NONBLOCK``
    (so a FIFO swapped in meanwhile cannot block) and checked again with :func:`os.fstat`.

    Raises
    ------
    gridgov.errors.DataFileError
        ``"<path>: cannot read: not a regular file (a FIFO (named pipe))"`` and the like.
    OSError
        When the file is missing or cannot be opened (callers name the file).

    Examples
    --------
    >>> import os, tempfile, pathlib
    >>> fifo = pathlib.Path(tempfile.mkdtemp()) / "pipe.json"
    >>> os.mkfifo(fifo)
    >>> open_regular(fifo)
    Traceback (most recent call last):
    ...
    gridgov.errors.DataFileError: .../pipe.json: cannot read: not a regular file (a FIFO ...)
    """
    p = Path(path)
    _refuse_special(p, p.stat().st_mode)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(p, flags | getattr(os, "O_BINARY", 0))
    try:
        _refuse_special(p, os.fstat(fd).st_mode)
        if os.name == "posix":
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _refuse_special(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise DataFileError(f"{path}: cannot read: is a directory")
    kind = next((name for test, name in _KINDS if test(mode)), "a special file")
    raise DataFileError(f"{path}: cannot read: not a regular file ({kind})")


# -- helpers ------------------------------------------------------------------------------
def _save_error(where: Path, exc: BaseException) -> SaveError:
    return SaveError(f"{where}: save failed, previous file kept: {_reason(exc)}")


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
