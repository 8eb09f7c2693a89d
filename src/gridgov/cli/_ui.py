"""What every command shares: the language of messages, ``--quiet`` and the progress bar.

The language is chosen once per run: a command's own ``--lang``, else the global ``gridgov
--lang``, else ``$GRIDGOV_LANG``, else English. Every line the command line prints about the
run (errors, problems, "wrote …", progress labels) goes through :func:`tr`, which translates
it with gridgov's one message catalogue (:mod:`gridgov._i18n`); results keep their own
``--lang`` handling. ``--quiet`` (global) and a standard error that is not a terminal both
silence the progress bar; nothing else changes.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

import click

from gridgov._i18n import ENV_LANG, LANGS, N_, resolve_lang, translate

__all__ = [
    "STAGES",
    "Progress",
    "begin_run",
    "chosen_lang",
    "current_lang",
    "default_lang",
    "is_quiet",
    "is_terminal",
    "progress_bar",
    "say",
    "set_lang",
    "set_quiet",
    "tr",
]


@dataclass
class _State:
    lang: str | None = None  # chosen on the command line; None: the environment decides
    quiet: bool = False


_STATE = _State()


def begin_run(argv: Sequence[str]) -> None:
    """Begin a run: forget the last run's choices, and read ``--lang`` ahead of parsing.

    Reading it ahead means that an error in the arguments themselves (a missing option) is
    already shown in the language asked for.
    """
    _STATE.lang, _STATE.quiet = None, False
    args = list(argv)
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = arg.removeprefix("--lang=") if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        if value in LANGS:
            _STATE.lang = value
        if arg in {"-q", "--quiet"}:
            _STATE.quiet = True


def set_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Option callback: remember the language asked for (global or a command's ``--lang``)."""
    if value in LANGS:
        _STATE.lang = value
    return value


def set_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    """Option callback of the global ``--quiet``."""
    _STATE.quiet = _STATE.quiet or bool(value)
    return value


def current_lang() -> str:
    """The language of this run's messages: ``"en"`` or ``"zh"``."""
    return resolve_lang(_STATE.lang)


def default_lang() -> str:
    """The default of a command's ``--lang``: the global choice, ``$GRIDGOV_LANG`` or English."""
    return current_lang()


def chosen_lang() -> str | None:
    """The language asked for (``gridgov --lang`` or ``$GRIDGOV_LANG``), or None if neither."""
    if _STATE.lang is not None:
        return _STATE.lang
    asked = os.environ.get(ENV_LANG, "").strip().lower()
    return asked if asked in LANGS else None


def is_quiet() -> bool:
    """Whether ``--quiet`` was given."""
    return _STATE.quiet


def tr(text: str) -> str:
    """``text`` in this run's language (see :func:`gridgov._i18n.translate`)."""
    return translate(text, current_lang())


def say(text: str, *, err: bool = True) -> None:
    """Print ``text`` in this run's language, on standard error unless ``err=False``."""
    click.echo(tr(text), err=err)


def is_terminal(stream: IO[str]) -> bool:
    """Whether ``stream`` is a terminal (a closed or unusual stream is not)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class Progress:
    """A one-line progress bar on standard error, drawn only on a terminal and without --quiet.

    ``step(label)`` starts the next of the given stages; while a stage runs, the line shows
    the time elapsed, refreshed every half second, so that a long load is seen to be alive.
    The line is erased at the end, so nothing of it stays in the output. Labels are shown in
    the run's language. When standard error is not a terminal (a pipe, a file, CI) or
    ``--quiet`` was given, nothing at all is written.

    Examples
    --------
    >>> import io
    >>> with Progress(["loading", "checking"], stream=io.StringIO()) as bar:  # not a terminal
    ...     bar.step("loading")
    """

    _WIDTH = 24
    _REFRESH = 0.5

    def __init__(self, stages: Sequence[str], *, stream: IO[str] | None = None) -> None:
        self.total = len(stages)
        self.done = -1
        self.label = ""
        self.started = time.perf_counter()
        out = sys.stderr if stream is None else stream
        self.stream: IO[str] | None = out if is_terminal(out) and not is_quiet() else None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def __enter__(self) -> Progress:
        if self.stream is not None:
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        if self.stream is not None and self.done >= 0:
            with self._lock:
                self.stream.write("\r\x1b[2K")  # erase the line
                self.stream.flush()

    def step(self, label: str) -> None:
        """Show that stage ``label`` (the next one) has started."""
        self.done += 1
        self.label = tr(label)
        self._draw()

    def _tick(self) -> None:
        while not self._stop.wait(self._REFRESH):
            if self.done >= 0:
                self._draw()

    def _draw(self) -> None:
        if self.stream is None:
            return
        filled = self._WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (self._WIDTH - filled)
        seconds = time.perf_counter() - self.started
        line = f"gridgov [{bar}] {self.done + 1}/{self.total} {self.label} ({seconds:.1f} s)"
        with self._lock:
            if self._stop.is_set() and self.done < 0:
                return
            self.stream.write(f"\r\x1b[2K{line}")
            self.stream.flush()


def progress_bar(length: int, label: str, *, hidden: bool = False) -> Any:
    """A click progress bar on standard error, hidden with --quiet; the label translated."""
    return click.progressbar(
        length=length,
        label=tr(label),
        file=sys.stderr,
        hidden=hidden or is_quiet(),
        show_eta=False,
    )


# the labels of the commands' stages, marked for the catalogue
STAGES = (
    N_("loading and checking"),
    N_("ledger"),
    N_("rules"),
    N_("rules and roll-ups"),
    N_("rendering"),
    N_("writing"),
)
