"""Bulk work: many new objects, none of them garbage, so the cyclic collector waits.

A million-household structure is millions of new objects (models, strings, tuples). With the
cyclic garbage collector on, its passes over them cost a quarter to a half of a load or a
generation (measured on the synthetic city: ``bench/bench_city.py``), and find nothing: the
objects are all alive. :func:`gc_paused` pauses it for the bulk step, then hands what was
made to the oldest generation in one step (``freeze`` then ``unfreeze``), so the young
generations do not scan it either. Reference counting still frees everything as usual.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import threading
from collections.abc import Iterator

__all__ = ["gc_paused", "gil_handoffs"]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk step; restore its state after.

    Examples
    --------
    >>> import gc
    >>> with gc_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
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


class _Handoffs:
    """Who is inside :func:`gil_handoffs`, and the interval to restore when the last one leaves."""

    lock = threading.Lock()
    inside = 0
    restore = 0.0


@contextlib.contextmanager
def gil_handoffs(interval: float = 0.0002) -> Iterator[None]:
    """Hand the GIL to a waiting thread after ``interval`` seconds, not the default 5 ms.

    For the few seconds two threads share a load. The interpreter's switch interval is
    process-wide, so nested and concurrent uses are counted: the first one in sets it (never
    longer than it was), the last one out puts back what it found.

    Examples
    --------
    >>> import sys
    >>> before = sys.getswitchinterval()
    >>> with gil_handoffs(0.0001):
    ...     sys.getswitchinterval()
    0.0001
    >>> sys.getswitchinterval() == before
    True
    """
    with _Handoffs.lock:
        if not _Handoffs.inside:
            _Handoffs.restore = sys.getswitchinterval()
            sys.setswitchinterval(min(interval, _Handoffs.restore))
        _Handoffs.inside += 1
    try:
        yield
    finally:
        with _Handoffs.lock:
            _Handoffs.inside -= 1
            if not _Handoffs.inside:
                sys.setswitchinterval(_Handoffs.restore)
