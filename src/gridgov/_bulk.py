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
from collections.abc import Iterator

__all__ = ["gc_paused"]


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
