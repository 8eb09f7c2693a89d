"""Privacy levels for exports: re-exported from :mod:`gridgov.org.privacy`.

The levels live in :mod:`gridgov.org` so that every layer that writes people out — ``io``,
``graph``'s exports, ``report`` — applies the same rules without importing each other.
"""

from gridgov.org.privacy import (
    BIRTH_YEAR_BAND,
    DEFAULT_K,
    LEVELS,
    MIN_KEY_BYTES,
    Level,
    Privacy,
    coarsen_birth_year,
    policy,
    protect,
    pseudonym,
    redact_graph,
    redact_structure,
    suppress,
    suppressed_rollup,
)

__all__ = [
    "BIRTH_YEAR_BAND",
    "DEFAULT_K",
    "LEVELS",
    "MIN_KEY_BYTES",
    "Level",
    "Privacy",
    "coarsen_birth_year",
    "policy",
    "protect",
    "pseudonym",
    "redact_graph",
    "redact_structure",
    "suppress",
    "suppressed_rollup",
]
