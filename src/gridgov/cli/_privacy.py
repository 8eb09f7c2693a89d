"""``--privacy`` and its companions, shared by every command that writes or prints data.

Each such command takes::

    --privacy public|research|internal|full   what of people the output holds
    --privacy-key-file FILE                   the HMAC key for research (or GRIDGOV_PRIVACY_KEY)
    --allow-full                              confirm full (ID numbers and phones)
    --suppress-below K                        the threshold k of public (default 5)

and is fail-closed: an unknown level, ``research`` without a key (or with one shorter than
16 bytes), or ``full`` without ``--allow-full`` is a :class:`~gridgov.errors.PrivacyError`,
printed as one line, exit status 2, before anything is read or written. The key is never an
argument on the command line (it would show in ``ps`` and in the shell's history): it is read
from a file or from the environment variable :data:`KEY_ENV`.

Each command's default is the safest level that still serves its purpose
(:data:`DEFAULTS`, the table in the documentation's privacy page and in each ``--help``).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from gridgov.errors import PrivacyError

if TYPE_CHECKING:
    from gridgov.org.privacy import Level, Privacy

__all__ = [
    "DEFAULTS",
    "DEFAULT_K",
    "KEY_ENV",
    "LEVELS",
    "explicit_level",
    "privacy_options",
    "resolve",
]

F = TypeVar("F", bound=Callable[..., Any])

#: :data:`gridgov.org.privacy.LEVELS` and :data:`~gridgov.org.privacy.DEFAULT_K`, repeated
#: here so that ``gridgov --help`` does not import the library (a test keeps them equal).
LEVELS: tuple[Level, ...] = ("public", "research", "internal", "full")
DEFAULT_K = 5

#: The environment variable holding the HMAC key of ``--privacy research``.
KEY_ENV = "GRIDGOV_PRIVACY_KEY"

#: Per command: its default level and why that is the safest level serving its purpose.
DEFAULTS: dict[str, tuple[Level, str]] = {
    "report": (
        "internal",
        (
            "a report is read by the office that acts on it (who holds which cross-appointment); "
            "it never holds ID numbers or phones"
        ),
    ),
    "demo": (
        "internal",
        "it shows every section of a report, on the bundled synthetic example (no real person)",
    ),
    "synth": (
        "internal",
        "the synthetic city is a working file like gridgov.save's, and its people are invented",
    ),
    "import-ledger": (
        "internal",
        (
            "it updates the office's working file; a file holding ID numbers or phones is refused "
            "unless the level is given (full --allow-full keeps them, internal drops them)"
        ),
    ),
    "assess": (
        "internal",
        (
            "red and black lists name the assessed subjects; of party members (person subjects) "
            "public prints nothing and research pseudonymises"
        ),
    ),
    "cases rates": (
        "internal",
        "the office compares exact counts of its own grids; public suppresses counts under k",
    ),
    "spec export": (
        "public",
        "an exported document is made to be passed on and published",
    ),
}


def privacy_options(command: str, *, key_aliases: tuple[str, ...] = ()) -> Callable[[F], F]:
    """Add the privacy options to a click command; it receives ``privacy=`` a :class:`Privacy`.

    Put it under ``@cli.command()`` (it must see the function before click does). The level
    is checked (with its key and ``--allow-full``) before the command body runs.
    """
    default, why = DEFAULTS[command]

    def decorate(f: F) -> F:
        @functools.wraps(f)
        def wrapper(
            *args: Any,
            privacy_level: str,
            privacy_key_file: Path | None,
            allow_full: bool,
            suppress_below: int,
            **kwargs: Any,
        ) -> Any:
            kwargs["privacy"] = resolve(
                privacy_level, key_file=privacy_key_file, allow_full=allow_full, k=suppress_below
            )
            return f(*args, **kwargs)

        options = [
            click.option(
                "--privacy",
                "privacy_level",
                default=default,
                show_default=True,
                metavar="|".join(LEVELS),
                help=f"What of people the output holds: public (no person-level data; counts "
                f"under k suppressed), research (keyed pseudonyms; needs a key), internal "
                f"(names, never ID numbers or phones), full (everything; needs --allow-full). "
                f"Default {default}: {why}.",
            ),
            click.option(
                "--privacy-key-file",
                *key_aliases,
                "privacy_key_file",
                type=click.Path(dir_okay=False, path_type=Path),
                help=f"File holding the HMAC key (16 bytes or more) for --privacy research; "
                f"else the environment variable {KEY_ENV}. Never a key on the command line.",
            ),
            click.option(
                "--allow-full",
                is_flag=True,
                help="Confirm --privacy full: the output holds ID numbers and phones.",
            ),
            click.option(
                "--suppress-below",
                "suppress_below",
                type=click.IntRange(min=1),
                default=DEFAULT_K,
                show_default=True,
                help="k of --privacy public: counts from 1 to k-1 are suppressed (a report "
                "takes its profile's value privacy.k when this is not given).",
            ),
        ]
        out: Any = wrapper
        for option in reversed(options):
            out = option(out)
        return out  # type: ignore[no-any-return]

    return decorate


def resolve(
    level: str,
    *,
    key_file: Path | None = None,
    allow_full: bool = False,
    k: int = DEFAULT_K,
    environ: dict[str, str] | None = None,
) -> Privacy:
    """The checked :class:`Privacy` of the command line's options; refuse anything unclear.

    Raises
    ------
    gridgov.errors.PrivacyError
        An unknown level; ``research`` with no key in ``key_file`` nor in :data:`KEY_ENV`,
        or a key under 16 bytes; ``full`` without ``allow_full``.

    Examples
    --------
    >>> resolve("internal").level
    'internal'
    >>> resolve("full")
    Traceback (most recent call last):
    ...
    gridgov.errors.PrivacyError: --privacy full writes ID numbers and phones: add --allow-full ...
    >>> resolve("research", environ={})
    Traceback (most recent call last):
    ...
    gridgov.errors.PrivacyError: --privacy research needs a key: --privacy-key-file FILE or ...
    """
    if level not in LEVELS:
        raise PrivacyError(
            f"unknown privacy level {level!r}: choose one of {', '.join(LEVELS)} / 未知的隐私级别"
        )
    if level == "full" and not allow_full:
        raise PrivacyError(
            "--privacy full writes ID numbers and phones: add --allow-full to confirm "
            "/ full 级别含身份证号和电话，需加 --allow-full 确认"
        )
    key: bytes | None = None
    if level == "research":
        env = os.environ if environ is None else environ
        if key_file is not None:
            from gridgov.io.safety import read_bounded

            key = read_bounded(key_file).strip()
        elif env.get(KEY_ENV):
            key = env[KEY_ENV].encode("utf-8")
        if not key:
            raise PrivacyError(
                f"--privacy research needs a key: --privacy-key-file FILE or the environment "
                f"variable {KEY_ENV} (16 bytes or more) / research 级别需要密钥"
            )
    from gridgov.org.privacy import policy

    return policy(level, key=key, k=k)


def explicit_level(ctx: click.Context | None = None, name: str = "privacy_level") -> bool:
    """Whether ``--privacy`` (or the option ``name``) was given, not left to its default."""
    source = (ctx or click.get_current_context()).get_parameter_source(name)
    return source not in (None, click.core.ParameterSource.DEFAULT)


#: Assessment subject kinds that are people.
PERSON_SUBJECTS = frozenset({"party_member"})


def redact_assessment(result: Any, privacy: Privacy) -> Any:
    """An :class:`~gridgov.assess.Assessment` as ``privacy`` lets it leave.

    Subjects that are organisations, grids or communities are not people: every level shows
    them. Subjects that are people (party members) are refused at ``public`` (a ranking of
    people is person-level at any size) and shown under their pseudonyms, without names, at
    ``research``.
    """
    import dataclasses

    import polars as pl

    if result.scheme.subject not in PERSON_SUBJECTS or privacy.level in ("internal", "full"):
        return result
    if privacy.level == "public":
        raise PrivacyError(
            f"scheme {result.scheme.name!r} ranks people ({result.scheme.subject}): "
            "nothing of it is public; use --privacy research or internal / 对人员的考核不可公开"
        )
    ids = result.frame.get_column("subject").unique().to_list()
    alias = {s: privacy.pseudonym(str(s)) for s in ids}
    frame = result.frame.with_columns(
        pl.col("subject").replace_strict(alias, default=None), pl.lit("").alias("name")
    )
    records = result.records
    if records is not None and "subject" in records.columns:
        records = records.with_columns(pl.col("subject").replace(alias))
    notes = {alias.get(k, k): v for k, v in result.notes.items()}
    # the lists are shown when there is a credit evaluation; its detail (explain) is not
    credit = None if result.credit is None else {alias[s]: None for s in ids}
    return dataclasses.replace(result, frame=frame, records=records, notes=notes, credit=credit)


def suppress_rate_table(wide: Any, keys: list[str], k: int) -> Any:
    """``gridgov cases rates``'s table at ``public``: small counts and their rates hidden.

    ``filed`` and ``due`` from 1 to ``k - 1`` are hidden; within one period the groups' counts
    add up to the period's total (which ``--by`` left out prints), so where exactly one is
    hidden the smallest other non-zero one is hidden too (complementary suppression,
    :func:`gridgov.org.privacy.protect`). Every rate of a row with a hidden count is
    hidden: a rate and its denominator give its numerator back.
    """
    import polars as pl

    from gridgov.org.privacy import protect

    if wide.height == 0:
        return wide
    # a count missing from the joined table is a zero, so None means suppressed below
    frame = wide.with_columns(pl.col("filed", "due").fill_null(0)).with_row_index("_row")
    hidden: dict[str, set[int]] = {"filed": set(), "due": set()}
    group_keys = ["period"] if keys != ["period"] else None
    for column, rows in hidden.items():
        values = frame.get_column(column).to_list()
        rows.update(i for i, v in enumerate(values) if 0 < v < k)
        if group_keys is None:
            continue
        for part in frame.partition_by(group_keys):
            index = part.get_column("_row").to_list()
            cells = [values[i] for i in index]
            before = {j for j, i in enumerate(index) if i in rows}
            after, _ = protect(cells, before, total=sum(cells), k=k)
            rows.update(index[j] for j in after)
    small = sorted(hidden["filed"] | hidden["due"])
    rates = [c for c in wide.columns if c not in (*keys, "filed", "due")]
    row = pl.col("_row")
    return frame.with_columns(
        *(
            pl.when(row.is_in(sorted(hidden[c]))).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("filed", "due")
        ),
        *(pl.when(row.is_in(small)).then(None).otherwise(pl.col(c)).alias(c) for c in rates),
    ).drop("_row")
