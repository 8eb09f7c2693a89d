"""The ``gridgov`` command: argument parsing and printing over the library, nothing more.

Commands (``gridgov COMMAND --help`` for each)::

    gridgov validate PATH [--ledger FILE] [--profile P]   exit 0 valid, 1 problems, 2 unreadable
    gridgov report PATH [--profile P] [--format text|md|json] [--lang en|zh] [--fail-on L]
    gridgov demo [--lang en|zh|both] [--format text|md|json]   the report on the youyi example
    gridgov schema [-o PATH]                              JSON Schema of a structure file
    gridgov synth --households N --seed S [--profile P] -o PATH
    gridgov import-ledger STRUCTURE LEDGER -o PATH        add a 台账's households
    gridgov profile list | show NAME | diff A B
    gridgov cases check LOG [--template T]                exit 0 conforms, 1 deviations, 2 bad log
    gridgov cases rates LOG [--by grid] [--period 2024-06] [--structure PATH] [--format json]
    gridgov cases ingest LOG [--store URL]                append a log to a case store
    gridgov cases open [--store URL] [--overdue]          open cases and when they are due
    gridgov cases rates --store URL [--by grid] …         rates of the events in a store

Exit codes follow docs/design.md §3: ``0`` success (for ``validate``: valid), ``1`` problems found
(an invalid structure, a ledger with bad rows, rule findings at the failing severity), ``2``
usage errors and input that cannot be read (a missing, garbled or refused file; an unknown
profile). An error is one line on standard error (``gridgov: error: …``), followed by one
``  - …`` line per reason it carries (every problem of a rejected profile, structure or
table), never a traceback; set ``GRIDGOV_DEBUG=1`` to see the traceback of an error gridgov
reports. ``report`` exits 0 whatever it finds unless ``--fail-on error|warning`` is given;
``validate`` of an empty structure exits 0 and says it is empty.

Global options (before the command): ``--lang en|zh`` shows every message of the run — errors,
problems, usage errors, progress labels — in that language (default: ``$GRIDGOV_LANG``, else
English; a command's own ``--lang`` defaults to it and wins over it); ``-q/--quiet`` turns the
progress bar off (it is drawn only when standard error is a terminal anyway).

The command line needs the ``[cli]`` extra (click); without it :func:`main` says so and exits
with status 2.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> None:
    """Run the ``gridgov`` command (the console script); exits with the command's status.

    Parameters
    ----------
    argv
        Arguments without the program name (default: ``sys.argv[1:]``). Called without
        them, as the console script and ``python -m gridgov.cli`` call it, the process ends
        without tearing the interpreter down (:func:`_end`); called with them (from Python),
        it raises :class:`SystemExit` as usual.
    """
    try:
        import click  # noqa: F401  # only to find out whether the extra is installed
    except ImportError:
        print(
            "gridgov: the command line needs click: install gridgov[cli] "
            "(pip install 'gridgov[cli]')",
            file=sys.stderr,
        )
        sys.exit(2)
    import gc

    from gridgov.cli._app import run

    status = run(argv)
    # the process ends here: spare it a last collection over every object the command made
    # (seconds after loading a million households; nothing is left to collect that matters)
    gc.freeze()
    if argv is None:
        _end(status)
    sys.exit(status)


def _end(status: int) -> None:
    """End the process now: exit handlers run and output is flushed, nothing is freed.

    The command's work is done and its files are written and closed. What a normal exit
    adds is the interpreter's teardown, which frees every object and module one by one: a
    tenth of a second after a million-household command, for memory the operating system
    takes back at once anyway.
    """
    import atexit
    import contextlib
    import os

    atexit._run_exitfuncs()  # what registered to run at exit still does (logging, …)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            stream.flush()
    os._exit(status)
